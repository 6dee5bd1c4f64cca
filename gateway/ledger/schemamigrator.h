#pragma once

#include "ledger/sqldialect.h"

#include <QList>
#include <QString>

#include <optional>

class QSqlDatabase;

// Brings a database's schema up to date from its dialect's folder of numbered SQL migrations.
class SchemaMigrator
{
public:
    struct Migration
    {
        int version = 0;
        QString file; // NNNN_name.sql inside the dialect's migration folder
    };

    explicit SchemaMigrator(SqlDialect dialect);

    // The folder's migrations by ascending version; misnamed files and duplicate versions fail.
    std::optional<QList<Migration>> available(QString *error) const;

    // Applies every migration the database has not recorded in schema_migrations, in order,
    // each in its own write transaction together with its schema_migrations row.
    bool migrate(QSqlDatabase &db, QString *error) const;

private:
    bool migrateLocked(QSqlDatabase &db, QString *error) const;

    SqlDialect m_dialect;
};
