#include "requestbodies.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace {

QJsonArray userMessage(const QString &prompt)
{
    return QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                  {QStringLiteral("content"), prompt}}};
}

} // namespace

QByteArray RequestBodies::chat(const QString &model, const QString &prompt, bool stream,
                               const QJsonObject &extra)
{
    QJsonObject body = extra;
    body.insert(QStringLiteral("model"), model);
    body.insert(QStringLiteral("stream"), stream);
    body.insert(QStringLiteral("messages"), userMessage(prompt));
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

QByteArray RequestBodies::message(const QString &model, const QString &prompt, int maxTokens,
                                  const QJsonObject &extra)
{
    QJsonObject body = extra;
    body.insert(QStringLiteral("model"), model);
    body.insert(QStringLiteral("max_tokens"), maxTokens);
    body.insert(QStringLiteral("messages"), userMessage(prompt));
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}
