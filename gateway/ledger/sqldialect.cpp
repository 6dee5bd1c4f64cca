#include "sqldialect.h"

#include <QSqlError>

using namespace Qt::StringLiterals;

bool SqlDialect::isTransient(const QSqlError &error) const
{
    const QString code = error.nativeErrorCode();
    if (!networked) {
        // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN: the database,
        // not the statement (the driver reports every failed step as a connection error).
        static const QStringList transient{u"5"_s, u"6"_s, u"10"_s, u"13"_s, u"14"_s};
        return transient.contains(code);
    }
    // No SQLSTATE: the server never answered (connection lost). Classes 08 (connection), 53
    // (resources), 57 (shutdown, cancel), 40 (serialization, deadlock), 55P03 (lock timeout).
    return code.isEmpty() || code.startsWith(u"08") || code.startsWith(u"53") ||
           code.startsWith(u"57") || code.startsWith(u"40") || code == u"55P03";
}

SqlDialect SqlDialect::sqlite()
{
    return SqlDialect{
        u"QSQLITE"_s,
        u":/gatehouse/migrations/sqlite"_s,
        // busy_timeout first: switching to WAL needs a lock another process may hold. A new
        // file gets 16 KiB pages (before WAL, which fixes the size): a record and its ~2 KB
        // event preview dirty fewer pages, so a batch's commit and checkpoint make fewer, larger
        // writes (the store's system time per row fell by a third, bench/RESULTS.md). An
        // existing file keeps its size.
        {u"PRAGMA busy_timeout=5000"_s, u"PRAGMA page_size=16384"_s, u"PRAGMA journal_mode=WAL"_s,
         u"PRAGMA synchronous=NORMAL"_s, u"PRAGMA foreign_keys=ON"_s},
        // A deferred BEGIN under two writers fails with "database is locked" at once.
        u"BEGIN IMMEDIATE"_s,
        // BEGIN IMMEDIATE already holds the one write lock.
        QString(),
        QString(),
        // A reader that never pauses keeps the WAL growing; checkpoint when the writer is idle.
        u"PRAGMA wal_checkpoint(PASSIVE)"_s,
        // A blob cast to text is its bytes, read in the database's encoding (UTF-8).
        u"CAST(? AS TEXT)"_s,
        false,
        false,
    };
}

SqlDialect SqlDialect::postgresql()
{
    return SqlDialect{
        u"QPSQL"_s,
        u":/gatehouse/migrations/postgresql"_s,
        // IF NOT EXISTS and friends would log a NOTICE per connection.
        {u"SET client_min_messages TO WARNING"_s},
        u"BEGIN"_s,
        // Row versions do not serialise two gateways starting at once: a session lock does
        // (the key is arbitrary, Gatehouse's own).
        u"SELECT pg_advisory_lock(4242170901)"_s,
        u"SELECT pg_advisory_unlock(4242170901)"_s,
        // Autovacuum does the housekeeping.
        QString(),
        // QPSQL binds bytes as bytea: decoded as UTF-8 by the server.
        u"convert_from(?, 'UTF8')"_s,
        true,
        true,
    };
}

std::optional<SqlDialect> SqlDialect::forDriver(const QString &driver)
{
    if (driver == u"QSQLITE")
        return sqlite();
    if (driver == u"QPSQL")
        return postgresql();
    return std::nullopt;
}
