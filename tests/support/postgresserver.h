#pragma once

#include <QString>
#include <QTemporaryDir>

#include <memory>

// A throw-away PostgreSQL 15 server for tests: its own cluster in a temporary directory,
// listening on 127.0.0.1 only, trust authentication, one database; stopped when it goes.
class PostgresServer
{
public:
    PostgresServer();
    ~PostgresServer();
    PostgresServer(const PostgresServer &) = delete;
    PostgresServer &operator=(const PostgresServer &) = delete;

    // Where Debian's postgresql package puts initdb and pg_ctl; empty when it is not installed.
    static QString binDir();

    // initdb, pg_ctl start on a free port, CREATE DATABASE. False with *error.
    bool start(QString *error);
    // Fast shutdown: open connections are cut, as when the server goes down under load.
    bool stop(QString *error = nullptr);
    // Starts the stopped cluster again on the same port with the same data.
    bool restart(QString *error);
    bool isRunning() const { return m_running; }

    quint16 port() const { return m_port; }
    QString user() const;
    QString database() const;
    // postgresql://USER@127.0.0.1:PORT/DATABASE
    QString url() const;

private:
    bool run(const QString &program, const QStringList &arguments, QString *error) const;
    bool createDatabase(QString *error) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    quint16 m_port = 0;
    bool m_running = false;
};
