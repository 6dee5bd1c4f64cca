#include "sqldialect.h"

using namespace Qt::StringLiterals;

SqlDialect SqlDialect::sqlite()
{
    return SqlDialect{
        u"QSQLITE"_s,
        u":/gatehouse/migrations/sqlite"_s,
        // busy_timeout first: switching to WAL needs a lock another process may hold.
        {u"PRAGMA busy_timeout=5000"_s, u"PRAGMA journal_mode=WAL"_s,
         u"PRAGMA synchronous=NORMAL"_s, u"PRAGMA foreign_keys=ON"_s},
        // A deferred BEGIN under two writers fails with "database is locked" at once.
        u"BEGIN IMMEDIATE"_s,
        // A reader that never pauses keeps the WAL growing; checkpoint when the writer is idle.
        u"PRAGMA wal_checkpoint(PASSIVE)"_s,
        // A blob cast to text is its bytes, read in the database's encoding (UTF-8).
        u"CAST(? AS TEXT)"_s,
    };
}

std::optional<SqlDialect> SqlDialect::forDriver(const QString &driver)
{
    if (driver == u"QSQLITE")
        return sqlite();
    return std::nullopt;
}
