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

    static SqlDialect sqlite();
    static std::optional<SqlDialect> forDriver(const QString &driver);
};
