#include "schemamigrator.h"

#include "ledger/sqlscript.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

void setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
}

bool exec(QSqlDatabase &db, const QString &statement, QString *error)
{
    QSqlQuery query(db);
    if (query.exec(statement))
        return true;
    setError(error, u"%1: %2"_s.arg(statement.left(200), query.lastError().text()));
    return false;
}

void rollback(QSqlDatabase &db)
{
    QSqlQuery query(db);
    query.exec(u"ROLLBACK"_s);
}

} // namespace

SchemaMigrator::SchemaMigrator(SqlDialect dialect)
    : m_dialect(std::move(dialect))
{}

std::optional<QList<SchemaMigrator::Migration>> SchemaMigrator::available(QString *error) const
{
    // The migrations are compiled into the static gateway library: referencing the resource
    // keeps the linker from dropping it.
    Q_INIT_RESOURCE(gateway);
    static const QRegularExpression name(u"^(\\d{4})_[a-z0-9_]+\\.sql$"_s);
    const QDir folder(m_dialect.migrationFolder);
    QList<Migration> migrations;
    for (const QString &file : folder.entryList({u"*"_s}, QDir::Files, QDir::Name)) {
        const QRegularExpressionMatch match = name.match(file);
        if (!match.hasMatch()) {
            setError(error, u"%1: migration file \"%2\" is not named NNNN_name.sql"_s.arg(
                                m_dialect.migrationFolder, file));
            return std::nullopt;
        }
        migrations.append(Migration{match.captured(1).toInt(), file});
    }
    std::sort(migrations.begin(), migrations.end(),
              [](const Migration &a, const Migration &b) { return a.version < b.version; });
    const auto duplicate = std::adjacent_find(
        migrations.cbegin(), migrations.cend(),
        [](const Migration &a, const Migration &b) { return a.version == b.version; });
    if (duplicate != migrations.cend()) {
        setError(error, u"%1: two migrations have version %2"_s.arg(m_dialect.migrationFolder)
                            .arg(duplicate->version));
        return std::nullopt;
    }
    if (migrations.isEmpty()) {
        setError(error, u"%1: no migrations found"_s.arg(m_dialect.migrationFolder));
        return std::nullopt;
    }
    return migrations;
}

bool SchemaMigrator::migrate(QSqlDatabase &db, QString *error) const
{
    if (!m_dialect.migrationLock.isEmpty() && !exec(db, m_dialect.migrationLock, error))
        return false;
    const bool migrated = migrateLocked(db, error);
    if (!m_dialect.migrationUnlock.isEmpty())
        exec(db, m_dialect.migrationUnlock, nullptr);
    return migrated;
}

bool SchemaMigrator::migrateLocked(QSqlDatabase &db, QString *error) const
{
    const std::optional<QList<Migration>> migrations = available(error);
    if (!migrations)
        return false;
    if (!exec(db,
              u"CREATE TABLE IF NOT EXISTS schema_migrations ("
              "version INTEGER PRIMARY KEY, applied_at_ms BIGINT NOT NULL)"_s,
              error))
        return false;

    for (const Migration &migration : *migrations) {
        const QString path = m_dialect.migrationFolder + u'/' + migration.file;
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            setError(error, u"cannot read %1: %2"_s.arg(path, file.errorString()));
            return false;
        }
        const QStringList statements = SqlScript::statements(QString::fromUtf8(file.readAll()));

        // The applied check runs inside the write transaction, so two processes opening the
        // same database cannot both apply a migration.
        if (!exec(db, m_dialect.beginWrite, error))
            return false;
        QSqlQuery applied(db);
        applied.prepare(u"SELECT 1 FROM schema_migrations WHERE version = ?"_s);
        applied.addBindValue(migration.version);
        if (!applied.exec()) {
            setError(error, u"schema_migrations: %1"_s.arg(applied.lastError().text()));
            rollback(db);
            return false;
        }
        const bool alreadyApplied = applied.next();
        applied.finish();
        if (alreadyApplied) {
            rollback(db);
            continue;
        }

        QString statementError;
        for (const QString &statement : statements) {
            if (!exec(db, statement, &statementError)) {
                setError(error, u"%1: %2"_s.arg(migration.file, statementError));
                rollback(db);
                return false;
            }
        }
        QSqlQuery record(db);
        record.prepare(u"INSERT INTO schema_migrations (version, applied_at_ms) VALUES (?, ?)"_s);
        record.addBindValue(migration.version);
        record.addBindValue(QDateTime::currentMSecsSinceEpoch());
        if (!record.exec()) {
            setError(error, u"schema_migrations: %1"_s.arg(record.lastError().text()));
            rollback(db);
            return false;
        }
        if (!exec(db, u"COMMIT"_s, error)) {
            rollback(db);
            return false;
        }
    }
    return true;
}
