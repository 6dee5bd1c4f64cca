#include "writerstatement.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace {

// The bytes as they are when they are valid UTF-8, else decoded with invalid sequences replaced
// (what a round trip through QString gave before): SQLite stores text bytes unchecked.
QByteArray validUtf8(const QByteArray &bytes)
{
    return bytes.isValidUtf8() ? bytes : QString::fromUtf8(bytes).toUtf8();
}

} // namespace

bool WriterStatement::prepare(const QSqlDatabase &db, const QString &sql, QString *error)
{
    reset();
    if (db.driverName() == u"QSQLITE") {
        m_native.emplace(db, sql);
        if (m_native->isValid())
            return true;
        *error = m_native->lastError();
        m_native.reset();
        return false;
    }
    m_query.emplace(db);
    // QPSQL prepares through SQL PREPARE, which takes no BEGIN or COMMIT: a statement without
    // parameters runs as text each time.
    if (!sql.contains(u'?')) {
        m_text = sql;
        return true;
    }
    if (m_query->prepare(sql))
        return true;
    *error = m_query->lastError().text();
    m_query.reset();
    return false;
}

void WriterStatement::reset()
{
    m_native.reset();
    m_query.reset();
    m_text.clear();
}

void WriterStatement::bindInteger(int index, qint64 value)
{
    if (m_native)
        m_native->bindInteger(index, value);
    else
        m_query->bindValue(index, value);
}

void WriterStatement::bindInteger(int index, std::optional<qint64> value)
{
    if (value)
        bindInteger(index, *value);
    else if (m_native)
        m_native->bindNull(index);
    else
        m_query->bindValue(index, QVariant(QMetaType::fromType<qint64>()));
}

void WriterStatement::bindText(int index, const QString &value)
{
    if (m_native) {
        // Most text parameters repeat from row to row (account, key, model, outcome, ...): each
        // keeps its last UTF-8 form, reused while the text is the same.
        if (index >= m_lastText.size())
            m_lastText.resize(index + 1);
        auto &[text, utf8] = m_lastText[index];
        if (utf8.isNull() || text != value) {
            text = value;
            utf8 = value.toUtf8();
        }
        m_native->bindText(index, utf8);
    } else
        m_query->bindValue(index, value.isNull() ? QString(u""_s) : value);
}

void WriterStatement::bindText(int index, const QByteArray &utf8)
{
    if (m_native)
        m_native->bindText(index, validUtf8(utf8));
    else
        bindText(index, QString::fromUtf8(utf8));
}

void WriterStatement::bindOptionalText(int index, const QString &value)
{
    if (value.isEmpty() && m_native)
        m_native->bindNull(index);
    else if (value.isEmpty())
        m_query->bindValue(index, QVariant(QMetaType::fromType<QString>()));
    else
        bindText(index, value);
}

void WriterStatement::bindOptionalText(int index, const QByteArray &utf8)
{
    if (m_native && !utf8.isEmpty())
        m_native->bindText(index, validUtf8(utf8));
    else
        bindOptionalText(index, QString::fromUtf8(utf8));
}

void WriterStatement::bindUtf8Text(int index, const QByteArray &utf8)
{
    if (utf8.isEmpty()) {
        if (m_native)
            m_native->bindNull(index);
        else
            m_query->bindValue(index, QVariant(QMetaType::fromType<QByteArray>()));
        return;
    }
    if (m_native)
        m_native->bindText(index, validUtf8(utf8));
    else if (utf8.isValidUtf8())
        m_query->bindValue(index, utf8);
    else
        m_query->bindValue(index, QString::fromUtf8(utf8));
}

bool WriterStatement::exec(QString *error)
{
    if (m_native ? m_native->exec() : m_text.isEmpty() ? m_query->exec() : m_query->exec(m_text))
        return true;
    *error = m_native ? m_native->lastError() : m_query->lastError().text();
    return false;
}
