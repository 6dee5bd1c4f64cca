#include "policy/mintedcredential.h"

#include "policy/optionaltext.h"

#include <QDateTime>

QJsonObject MintedCredential::toJson() const
{
    return QJsonObject{
        {QStringLiteral("id"), id},
        {QStringLiteral("token"), OptionalText::json(token)},
        {QStringLiteral("expiresAtMs"), expiresAtMs},
        {QStringLiteral("expiresAt"),
         QDateTime::fromMSecsSinceEpoch(expiresAtMs, Qt::UTC).toString(Qt::ISODateWithMs)},
        {QStringLiteral("account"), account},
        {QStringLiteral("flow"), OptionalText::json(flow)},
        {QStringLiteral("execution"), OptionalText::json(executionId)},
        {QStringLiteral("principalType"), principalType},
        {QStringLiteral("model"), OptionalText::json(modelAlias)},
        {QStringLiteral("upstreamModel"), OptionalText::json(upstreamModel)},
        {QStringLiteral("governed"), governed},
        {QStringLiteral("openaiBaseUrl"), openaiBaseUrl},
        {QStringLiteral("anthropicBaseUrl"), anthropicBaseUrl},
        {QStringLiteral("notice"), OptionalText::json(notice)},
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
