#pragma once

#include <QSqlDatabase>
#include <QString>

// A read-only connection to the ledger file, for the thread that makes it: queries cannot
// write, and never take the writer's lock. Removed from Qt's registry when it goes.
class ReadOnlyLedger
{
public:
    ReadOnlyLedger() = default;
    ~ReadOnlyLedger();
    ReadOnlyLedger(const ReadOnlyLedger &) = delete;
    ReadOnlyLedger &operator=(const ReadOnlyLedger &) = delete;

    // False with *error when the file is missing or not a ledger (no usage table).
    bool open(const QString &databaseFile, QString *error);
    bool isOpen() const { return m_db.isOpen(); }
    QSqlDatabase database() const { return m_db; }

private:
    void close();

    QString m_connectionName;
    QSqlDatabase m_db;
};
