#pragma once

#include <QString>
#include <QStringList>

#include <optional>

// What differs between the SQL databases the ledger runs on; everything else is shared SQL.
struct SqlDialect
{
    QString driver;              // Qt SQL driver, e.g. "QSQLITE"
    QString migrationFolder;     // resource folder holding NNNN_name.sql files
    QStringList connectionSetup; // run on every new connection, in order
    QString beginWrite;          // starts a transaction that holds the write lock at once
    QString idleMaintenance;     // run when the writer has been idle; may be empty
    // Stores a parameter bound as UTF-8 bytes (a QByteArray) as text, so large text is not
    // converted to UTF-16 for the driver and back to UTF-8 by the database.
    QString utf8Text;

    static SqlDialect sqlite();
    static std::optional<SqlDialect> forDriver(const QString &driver);
};
