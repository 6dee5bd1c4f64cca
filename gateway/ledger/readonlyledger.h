#pragma once

#include "ledger/databaselocation.h"

#include <QSqlDatabase>
#include <QString>

// A read-only connection to the ledger (its SQLite file or its PostgreSQL database), for the
// thread that makes it: queries cannot write, and never take the writer's lock. Removed from
// Qt's registry when it goes.
class ReadOnlyLedger
{
public:
    ReadOnlyLedger() = default;
    ~ReadOnlyLedger();
    ReadOnlyLedger(const ReadOnlyLedger &) = delete;
    ReadOnlyLedger &operator=(const ReadOnlyLedger &) = delete;

    // False with *error when the file or server is missing or not a ledger (no usage table).
    bool open(const DatabaseLocation &location, QString *error);
    bool isOpen() const { return m_db.isOpen(); }
    QSqlDatabase database() const { return m_db; }
    void close();

private:
    QString m_connectionName;
    QSqlDatabase m_db;
};
