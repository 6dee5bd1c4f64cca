#pragma once

#include <QString>
#include <QStringList>

#include <optional>

class QSqlError;

// What differs between the SQL databases the ledger runs on; everything else is shared SQL.
struct SqlDialect
{
    QString driver;              // Qt SQL driver, e.g. "QSQLITE"
    QString migrationFolder;     // resource folder holding NNNN_name.sql files
    QStringList connectionSetup; // run on every new connection, in order
    QString beginWrite;          // starts a transaction that holds the write lock at once
    // Around a whole migration run, so that one process at a time migrates (in PostgreSQL even
    // CREATE TABLE IF NOT EXISTS races); empty where beginWrite suffices.
    QString migrationLock;
    QString migrationUnlock;
    QString idleMaintenance; // run when the writer has been idle; may be empty
    // Stores a parameter bound as UTF-8 bytes (a QByteArray) as text, so large text is not
    // converted to UTF-16 for the driver and back to UTF-8 by the database.
    QString utf8Text;
    bool networked = false;  // a server that can drop the connection: reconnect after failures
    bool savepointPerStatement = false; // one failed statement aborts the whole transaction

    // Whether a failed statement may succeed later (busy, locked, connection lost) rather than
    // being refused by the schema.
    bool isTransient(const QSqlError &error) const;

    static SqlDialect sqlite();
    static SqlDialect postgresql();
    static std::optional<SqlDialect> forDriver(const QString &driver);
};
