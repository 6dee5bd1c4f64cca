#include "policy/runtimecredential.h"

#include "policy/optionaltext.h"

#include <QJsonArray>

QJsonObject RuntimeCredential::toJson(qint64 nowMs) const
{
    const QString state = revokedAtMs        ? QStringLiteral("revoked")
                          : expiredAt(nowMs) ? QStringLiteral("expired")
                                             : QStringLiteral("active");
    return QJsonObject{
        {QStringLiteral("id"), id},
        {QStringLiteral("state"), state},
        {QStringLiteral("account"), account},
        {QStringLiteral("user"), OptionalText::json(user)},
        {QStringLiteral("apiKey"), OptionalText::json(apiKey)},
        {QStringLiteral("flow"), OptionalText::json(flow)},
        {QStringLiteral("execution"), OptionalText::json(executionId)},
        {QStringLiteral("principal"), OptionalText::json(principal)},
        {QStringLiteral("principalType"), OptionalText::json(principalType)},
        {QStringLiteral("allowedModels"), QJsonArray::fromStringList(allowedModels)},
        {QStringLiteral("model"), OptionalText::json(defaultModel)},
        {QStringLiteral("governed"), governed},
        {QStringLiteral("createdAtMs"), createdAtMs},
        {QStringLiteral("expiresAtMs"), expiresAtMs},
        {QStringLiteral("revokedAtMs"), revokedAtMs ? QJsonValue(*revokedAtMs) : QJsonValue()},
    };
}
