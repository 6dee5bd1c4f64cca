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

bool ReadOnlyLedger::open(const QString &databaseFile, QString *error)
{
    close();
    // SQLite would create an empty database where none is: a typo must not look like no usage.
    if (!QFileInfo(databaseFile).isFile()) {
        *error = u"no ledger at %1"_s.arg(databaseFile);
        return false;
    }
    m_connectionName = u"gatehouse-ledger-reader-"_s + QUuid::createUuid().toString(QUuid::Id128);
    m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
    m_db.setDatabaseName(databaseFile);
    m_db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
    if (!m_db.open()) {
        *error = u"cannot open %1: %2"_s.arg(databaseFile, m_db.lastError().text());
        return false;
    }
    QSqlQuery setup(m_db);
    // The writer holds its lock only for a batch: wait for it rather than fail.
    for (const QString &statement : {u"PRAGMA busy_timeout=5000"_s, u"PRAGMA query_only=1"_s}) {
        if (!setup.exec(statement)) {
            *error = u"%1: %2"_s.arg(statement, setup.lastError().text());
            close();
            return false;
        }
    }
    if (!setup.exec(u"SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'usage'"_s) ||
        !setup.next()) {
        *error = u"%1 is not a Gatehouse ledger (no usage table)"_s.arg(databaseFile);
        close();
        return false;
    }
    return true;
}
