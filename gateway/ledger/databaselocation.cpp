#include "ledger/databaselocation.h"

#include <QDir>
#include <QSqlDatabase>
#include <QUrl>
#include <QUrlQuery>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace {

void setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
}

// An unreachable server must fail an admission or a start-up in seconds, not minutes.
constexpr int defaultConnectTimeoutSeconds = 5;

} // namespace

bool DatabaseLocation::configureSqliteForThreadOwnedConnections()
{
    // Both only succeed before SQLite initialises (SQLITE_MISUSE after).
    return sqlite3_config(SQLITE_CONFIG_MULTITHREAD) == SQLITE_OK &&
           sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
}

DatabaseLocation DatabaseLocation::sqliteFile(QString path)
{
    DatabaseLocation location;
    location.m_kind = Kind::SQLite;
    location.m_file = std::move(path);
    return location;
}

std::optional<DatabaseLocation> DatabaseLocation::parse(const QString &text, QString *error)
{
    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme();
    if (scheme != u"postgresql" && scheme != u"postgres") {
        // Never echo the text: it may carry a password.
        setError(error, u"expected postgresql://user@host[:port]/database"_s);
        return std::nullopt;
    }
    DatabaseLocation location;
    location.m_kind = Kind::PostgreSQL;
    location.m_host = url.host();
    location.m_port = url.port(5432);
    location.m_user = url.userName();
    location.m_password = url.password();
    location.m_databaseName = url.path().mid(1);
    if (!url.isValid() || location.m_host.isEmpty()) {
        setError(error, u"%1: no host"_s.arg(location.displayText()));
        return std::nullopt;
    }
    if (location.m_databaseName.isEmpty() || location.m_databaseName.contains(u'/')) {
        setError(error, u"%1: name one database as the path"_s.arg(location.displayText()));
        return std::nullopt;
    }
    QStringList options;
    bool timeoutGiven = false;
    for (const auto &[key, value] : QUrlQuery(url).queryItems(QUrl::FullyDecoded)) {
        if (key.isEmpty() || key.contains(u'=') || key.contains(u';') || value.contains(u';')) {
            setError(error, u"%1: malformed option \"%2\""_s.arg(location.displayText(), key));
            return std::nullopt;
        }
        timeoutGiven |= key == u"connect_timeout";
        options.append(key + u'=' + value);
    }
    if (!timeoutGiven)
        options.append(u"connect_timeout=%1"_s.arg(defaultConnectTimeoutSeconds));
    location.m_options = options.join(u';');
    return location;
}

DatabaseLocation DatabaseLocation::resolved(const QString &dataDir) const
{
    if (m_kind != Kind::Default)
        return *this;
    return sqliteFile(QDir(dataDir).filePath(u"ledger.sqlite"_s));
}

SqlDialect DatabaseLocation::dialect() const
{
    return isPostgres() ? SqlDialect::postgresql() : SqlDialect::sqlite();
}

QSqlDatabase DatabaseLocation::addConnection(const QString &connectionName) const
{
    QSqlDatabase db = QSqlDatabase::addDatabase(dialect().driver, connectionName);
    if (!isPostgres()) {
        db.setDatabaseName(m_file);
        return db;
    }
    db.setHostName(m_host);
    db.setPort(m_port);
    db.setUserName(m_user);
    db.setPassword(m_password);
    db.setDatabaseName(m_databaseName);
    db.setConnectOptions(m_options);
    return db;
}

QString DatabaseLocation::displayText() const
{
    if (!isPostgres())
        return m_file;
    QUrl url;
    url.setScheme(u"postgresql"_s);
    url.setHost(m_host);
    if (m_port != 5432)
        url.setPort(m_port);
    url.setUserName(m_user);
    url.setPath(u'/' + m_databaseName);
    return url.toString();
}
