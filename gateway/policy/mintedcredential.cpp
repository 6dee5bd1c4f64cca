#include "policy/mintedcredential.h"

#include <QDateTime>

QJsonObject MintedCredential::toJson() const
{
    auto orNull = [](const QString &text) {
        return text.isEmpty() ? QJsonValue() : QJsonValue(text);
    };
    return QJsonObject{
        {QStringLiteral("id"), id},
        {QStringLiteral("token"), orNull(token)},
        {QStringLiteral("expiresAtMs"), expiresAtMs},
        {QStringLiteral("expiresAt"),
         QDateTime::fromMSecsSinceEpoch(expiresAtMs, Qt::UTC).toString(Qt::ISODateWithMs)},
        {QStringLiteral("account"), account},
        {QStringLiteral("flow"), orNull(flow)},
        {QStringLiteral("execution"), orNull(executionId)},
        {QStringLiteral("principalType"), principalType},
        {QStringLiteral("model"), orNull(modelAlias)},
        {QStringLiteral("upstreamModel"), orNull(upstreamModel)},
        {QStringLiteral("governed"), governed},
        {QStringLiteral("openaiBaseUrl"), openaiBaseUrl},
        {QStringLiteral("anthropicBaseUrl"), anthropicBaseUrl},
        {QStringLiteral("notice"), orNull(notice)},
    };
}

std::optional<MintedCredential> MintedCredential::fromJson(const QJsonObject &object)
{
    MintedCredential minted;
    minted.id = object.value(QStringLiteral("id")).toString();
    minted.token = object.value(QStringLiteral("token")).toString();
    minted.expiresAtMs = qint64(object.value(QStringLiteral("expiresAtMs")).toDouble());
    minted.account = object.value(QStringLiteral("account")).toString();
    minted.flow = object.value(QStringLiteral("flow")).toString();
    minted.executionId = object.value(QStringLiteral("execution")).toString();
    minted.principalType = object.value(QStringLiteral("principalType")).toString();
    minted.modelAlias = object.value(QStringLiteral("model")).toString();
    minted.upstreamModel = object.value(QStringLiteral("upstreamModel")).toString();
    minted.governed = object.value(QStringLiteral("governed")).toBool(true);
    minted.openaiBaseUrl = object.value(QStringLiteral("openaiBaseUrl")).toString();
    minted.anthropicBaseUrl = object.value(QStringLiteral("anthropicBaseUrl")).toString();
    minted.notice = object.value(QStringLiteral("notice")).toString();
    if (minted.id.isEmpty() || minted.expiresAtMs <= 0 ||
        (minted.governed && minted.token.isEmpty()))
        return std::nullopt;
    return minted;
}
