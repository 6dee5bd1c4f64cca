#include "ledger/readonlyledger.h"

#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

using namespace Qt::StringLiterals;

ReadOnlyLedger::~ReadOnlyLedger()
{
    close();
}

void ReadOnlyLedger::close()
{
    if (m_connectionName.isEmpty())
        return;
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(std::exchange(m_connectionName, {}));
}

bool ReadOnlyLedger::open(const DatabaseLocation &location, QString *error)
{
    close();
    const QString where = location.displayText();
    // SQLite would create an empty database where none is: a typo must not look like no usage.
    if (!location.isPostgres() && !QFileInfo(location.file()).isFile()) {
        *error = u"no ledger at %1"_s.arg(where);
        return false;
    }
    m_connectionName = u"gatehouse-ledger-reader-"_s + QUuid::createUuid().toString(QUuid::Id128);
    m_db = location.addConnection(m_connectionName);
    // Sums of BIGINT are NUMERIC in PostgreSQL: money and tokens come back as integers.
    m_db.setNumericalPrecisionPolicy(QSql::LowPrecisionInt64);
    if (!location.isPostgres())
        m_db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
    if (!m_db.open()) {
        *error = u"cannot open %1: %2"_s.arg(where, m_db.lastError().text());
        close();
        return false;
    }
    QSqlQuery setup(m_db);
    // SQLite: the writer holds its lock only for a batch, wait for it rather than fail.
    const QStringList statements =
        location.isPostgres()
            ? QStringList{u"SET default_transaction_read_only = on"_s}
            : QStringList{u"PRAGMA busy_timeout=5000"_s, u"PRAGMA query_only=1"_s};
    for (const QString &statement : statements) {
        if (!setup.exec(statement)) {
            *error = u"%1: %2"_s.arg(statement, setup.lastError().text());
            close();
            return false;
        }
    }
    const QString usageTable =
        location.isPostgres()
            ? u"SELECT 1 WHERE to_regclass('usage') IS NOT NULL"_s
            : u"SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'usage'"_s;
    if (!setup.exec(usageTable) || !setup.next()) {
        *error = u"%1 is not a Gatehouse ledger (no usage table)"_s.arg(where);
        close();
        return false;
    }
    return true;
}
