#pragma once

#include "ledger/sqldialect.h"

#include <QString>

#include <optional>

class QSqlDatabase;

// Where the store lives: a SQLite file (the embedded default) or a PostgreSQL server shared by
// several gateways (team mode). Its text never shows the password.
class DatabaseLocation
{
public:
    enum class Kind
    {
        Default, // nothing chosen: ledger.sqlite in the data directory
        SQLite,
        PostgreSQL
    };

    DatabaseLocation() = default;
    // Once, before any SQLite connection opens (first thing in main): every connection belongs
    // to one thread, so SQLite's per-connection mutexes and the mutex around its allocator's
    // statistics only cost (~40 lock pairs per ledger row). False when SQLite was already in use
    // (it then stays serialised, as safe as before).
    static bool configureSqliteForThreadOwnedConnections();
    static DatabaseLocation sqliteFile(QString path);
    // postgresql://[user[:password]@]host[:port]/database[?option=value&...] (postgres:// too;
    // options are libpq's, e.g. sslmode). False with *error naming what is wrong.
    static std::optional<DatabaseLocation> parse(const QString &text, QString *error);

    Kind kind() const { return m_kind; }
    bool isPostgres() const { return m_kind == Kind::PostgreSQL; }
    bool isSet() const { return m_kind != Kind::Default; }
    // The file of a SQLite location.
    QString file() const { return m_file; }
    // The file for Default: ledger.sqlite in dataDir; any other location as it is.
    DatabaseLocation resolved(const QString &dataDir) const;

    SqlDialect dialect() const;
    // A new named connection to this location, configured but not opened.
    QSqlDatabase addConnection(const QString &connectionName) const;
    // For messages and logs: the file, or the URL without its password.
    QString displayText() const;

    QString host() const { return m_host; }
    int port() const { return m_port; }
    QString user() const { return m_user; }
    QString databaseName() const { return m_databaseName; }

    friend bool operator==(const DatabaseLocation &, const DatabaseLocation &) = default;

private:
    Kind m_kind = Kind::Default;
    QString m_file;
    QString m_host;
    int m_port = 5432;
    QString m_user;
    QString m_password;
    QString m_databaseName;
    QString m_options; // libpq connect options, "key=value;key=value"
};
