#pragma once

#include "rawhttpclient.h"

#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <optional>

// Team mode with real processes: one gatehouse executable (--headless, --database) with its own
// data directory on a shared PostgreSQL database, configured with the built-in simulator (alias
// gpt-4o-mini), the example key and a lease of leaseMs.
class TeamInstance
{
public:
    static const QByteArray exampleKey;

    // Its configuration file (also for an in-process Gateway on the same database).
    static QByteArray configuration(qint64 leaseMs);

    explicit TeamInstance(qint64 leaseMs = 30'000);
    ~TeamInstance();

    bool start(const QString &database);
    void killHard();
    quint16 port() const { return m_port; }

    // A call to its admin API with its own admin token.
    std::optional<RawHttpResponse> admin(const QByteArray &method, const QByteArray &path,
                                         const QJsonObject &body = {});

private:
    qint64 m_leaseMs;
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
};

// A chat request that takes about `seconds` (the simulator streams slowly; 0: at once).
QByteArray teamChatBody(int seconds, const QString &model = QStringLiteral("gpt-4o-mini"),
                        bool stream = false);
QByteArray teamChatRequest(const QByteArray &body, quint16 port,
                           const QByteArray &key = TeamInstance::exampleKey);
