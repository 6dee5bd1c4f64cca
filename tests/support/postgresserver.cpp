#include "postgresserver.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <QUuid>

#include <pwd.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

void setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
}

// PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres account.
bool asRoot()
{
    return ::geteuid() == 0;
}

bool chownToPostgres(const QString &path)
{
    const passwd *account = ::getpwnam("postgres");
    if (!account)
        return false;
    return ::chown(QFile::encodeName(path).constData(), account->pw_uid, account->pw_gid) == 0;
}

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

} // namespace

PostgresServer::PostgresServer() = default;

PostgresServer::~PostgresServer()
{
    if (m_running)
        stop();
}

QString PostgresServer::binDir()
{
    const QString dir = u"/usr/lib/postgresql/15/bin"_s;
    return QFile::exists(dir + u"/pg_ctl"_s) ? dir : QString();
}

QString PostgresServer::user() const
{
    return u"gatehouse"_s;
}

QString PostgresServer::database() const
{
    return u"gatehouse"_s;
}

QString PostgresServer::url() const
{
    return u"postgresql://%1@127.0.0.1:%2/%3"_s.arg(user()).arg(m_port).arg(database());
}

bool PostgresServer::run(const QString &program, const QStringList &arguments, QString *error) const
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    const QString path = binDir() + u'/' + program;
    if (asRoot())
        process.start(u"runuser"_s, QStringList{u"-u"_s, u"postgres"_s, u"--"_s, path} + arguments);
    else
        process.start(path, arguments);
    if (!process.waitForFinished(60'000) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0) {
        setError(error, u"%1 failed: %2"_s.arg(program, QString::fromLocal8Bit(process.readAll())));
        return false;
    }
    return true;
}

bool PostgresServer::start(QString *error)
{
    if (binDir().isEmpty()) {
        setError(error, u"PostgreSQL 15 is not installed (apt install postgresql)"_s);
        return false;
    }
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + u"/gatehouse-pg-XXXXXX"_s);
    if (!m_dir->isValid() || (asRoot() && !chownToPostgres(m_dir->path()))) {
        setError(error, u"cannot prepare %1"_s.arg(m_dir->path()));
        return false;
    }
    const QString data = m_dir->filePath(u"data"_s);
    if (!run(u"initdb"_s,
             {u"-D"_s, data, u"-U"_s, user(), u"--auth=trust"_s, u"--no-sync"_s,
              u"--encoding=UTF8"_s, u"--locale=C"_s},
             error))
        return false;
    m_port = freePort();
    if (m_port == 0) {
        setError(error, u"no free port on 127.0.0.1"_s);
        return false;
    }
    return restart(error) && createDatabase(error);
}

bool PostgresServer::restart(QString *error)
{
    if (m_running)
        return true;
    // The socket goes into the cluster's own directory: tests never touch the system's.
    const QString options = u"-p %1 -c listen_addresses=127.0.0.1 -k %2 -c fsync=off "
                            "-c synchronous_commit=off -c full_page_writes=off"_s.arg(m_port)
                                .arg(m_dir->path());
    m_running = run(u"pg_ctl"_s,
                    {u"-D"_s, m_dir->filePath(u"data"_s), u"-l"_s, m_dir->filePath(u"log"_s),
                     u"-o"_s, options, u"-w"_s, u"-t"_s, u"60"_s, u"start"_s},
                    error);
    return m_running;
}

bool PostgresServer::stop(QString *error)
{
    if (!m_running)
        return true;
    m_running = !run(u"pg_ctl"_s,
                     {u"-D"_s, m_dir->filePath(u"data"_s), u"-m"_s, u"fast"_s, u"-w"_s, u"-t"_s,
                      u"60"_s, u"stop"_s},
                     error);
    return !m_running;
}

bool PostgresServer::createDatabase(QString *error) const
{
    const QString name = u"postgres-setup-"_s + QUuid::createUuid().toString(QUuid::Id128);
    bool created = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, name);
        db.setHostName(u"127.0.0.1"_s);
        db.setPort(m_port);
        db.setUserName(user());
        db.setDatabaseName(u"postgres"_s);
        if (!db.open()) {
            setError(error, u"connecting to the test server: "_s + db.lastError().text());
        } else {
            QSqlQuery query(db);
            created = query.exec(u"CREATE DATABASE "_s + database());
            if (!created)
                setError(error, u"CREATE DATABASE: "_s + query.lastError().text());
        }
    }
    QSqlDatabase::removeDatabase(name);
    return created;
}
