#include "sqlitestatement.h"

#include <QSqlDatabase>
#include <QSqlDriver>
#include <QVariant>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

SqliteStatement::SqliteStatement(const QSqlDatabase &db, const QString &sql)
{
    // QSQLITE hands out its connection as a QVariant holding sqlite3*; the plugin links the
    // same system libsqlite3 as Gatehouse.
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0) {
        m_error = u"not an SQLite connection"_s;
        return;
    }
    m_db = *static_cast<sqlite3 *const *>(handle.constData());
    const QByteArray text = sql.toUtf8();
    // Persistent: prepared once per connection and run for every row.
    if (sqlite3_prepare_v3(m_db, text.constData(), int(text.size()), SQLITE_PREPARE_PERSISTENT,
                           &m_statement, nullptr) != SQLITE_OK) {
        fail();
        sqlite3_finalize(m_statement);
        m_statement = nullptr;
        return;
    }
    m_texts.resize(sqlite3_bind_parameter_count(m_statement));
}

SqliteStatement::~SqliteStatement()
{
    sqlite3_finalize(m_statement);
}

void SqliteStatement::bindInteger(int index, qint64 value)
{
    sqlite3_bind_int64(m_statement, index + 1, value);
}

void SqliteStatement::bindNull(int index)
{
    sqlite3_bind_null(m_statement, index + 1);
}

void SqliteStatement::bindText(int index, const QByteArray &utf8)
{
    // SQLITE_STATIC: the bytes stay alive in m_texts until exec() has run.
    QByteArray &kept = m_texts[index];
    kept = utf8;
    sqlite3_bind_text64(m_statement, index + 1, kept.isNull() ? "" : kept.constData(),
                        sqlite3_uint64(kept.size()), SQLITE_STATIC, SQLITE_UTF8);
}

bool SqliteStatement::exec()
{
    const int result = sqlite3_step(m_statement);
    const bool done = result == SQLITE_DONE || result == SQLITE_ROW;
    if (!done)
        fail();
    sqlite3_reset(m_statement);
    // No parameter may point into the texts released below.
    sqlite3_clear_bindings(m_statement);
    for (QByteArray &text : m_texts)
        text.clear();
    return done;
}

void SqliteStatement::fail()
{
    m_error = QString::fromUtf8(sqlite3_errmsg(m_db));
}
