#include "teaminstance.h"

#include "testenv.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;

const QByteArray TeamInstance::exampleKey = "gh-example-key-change-me";

TeamInstance::TeamInstance(qint64 leaseMs)
    : m_leaseMs(leaseMs)
{}

TeamInstance::~TeamInstance()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.terminate();
        if (!m_process.waitForFinished(30'000))
            m_process.kill();
    }
}

QByteArray TeamInstance::configuration(qint64 leaseMs)
{
    return QJsonDocument(
               QJsonObject{
                   {u"providers"_s, QJsonArray{QJsonObject{{u"name"_s, u"simulator"_s},
                                                           {u"protocol"_s, u"simulated"_s}}}},
                   {u"models"_s, QJsonArray{QJsonObject{{u"alias"_s, u"gpt-4o-mini"_s},
                                                        {u"provider"_s, u"simulator"_s}}}},
                   {u"apiKeys"_s,
                    QJsonArray{QJsonObject{
                        {u"name"_s, u"example"_s},
                        {u"account"_s, u"default"_s},
                        {u"sha256"_s,
                         u"e12cea48a0744bd4d17280abef4316f738f8567d700b29a326ad8e8d639ebe69"_s}}}},
                   {u"team"_s, QJsonObject{{u"leaseMs"_s, leaseMs}}}})
        .toJson();
}

bool TeamInstance::start(const QString &database)
{
    const QByteArray configuration = TeamInstance::configuration(m_leaseMs);
    QFile config(m_dir.filePath(u"gatehouse.json"_s));
    if (!config.open(QIODevice::WriteOnly) || config.write(configuration) < 0)
        return false;
    config.close();
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_port = TestEnv::startGatehouse(m_process,
                                     {u"--headless"_s, u"--listen"_s, u"127.0.0.1:0"_s,
                                      u"--data-dir"_s, m_dir.path(), u"--config"_s,
                                      config.fileName(), u"--database"_s, database},
                                     30'000);
    return m_port != 0;
}

void TeamInstance::killHard()
{
    ::kill(pid_t(m_process.processId()), SIGKILL);
    m_process.waitForFinished(30'000);
}

std::optional<RawHttpResponse> TeamInstance::admin(const QByteArray &method, const QByteArray &path,
                                                   const QJsonObject &body)
{
    QFile tokenFile(m_dir.filePath(u"admin-token"_s));
    if (!tokenFile.open(QIODevice::ReadOnly))
        return std::nullopt;
    RawHttpClient client;
    if (!client.connectTo(m_port))
        return std::nullopt;
    client.send(rawRequest(method, path, QJsonDocument(body).toJson(QJsonDocument::Compact),
                           "Authorization: Bearer " + tokenFile.readAll().trimmed() +
                               "\r\nContent-Type: application/json\r\n",
                           m_port));
    return client.readResponse(30'000);
}

QByteArray teamChatBody(int seconds, const QString &model, bool stream)
{
    QJsonObject body{
        {u"model"_s, model},
        {u"max_tokens"_s, 16},
        {u"messages"_s,
         QJsonArray{QJsonObject{{u"role"_s, u"user"_s},
                                {u"content"_s, u"[[sim tokens=8 tps=%1]] count to eight"_s.arg(
                                                   seconds > 0 ? 8.0 / seconds : 0.0)}}}}};
    if (stream)
        body.insert(u"stream"_s, true);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

QByteArray teamChatRequest(const QByteArray &body, quint16 port, const QByteArray &key)
{
    return rawRequest("POST", "/openai/v1/chat/completions", body,
                      "Authorization: Bearer " + key + "\r\nContent-Type: application/json\r\n",
                      port);
}
