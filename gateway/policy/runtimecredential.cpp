#include "policy/runtimecredential.h"

#include <QJsonArray>

QJsonObject RuntimeCredential::toJson(qint64 nowMs) const
{
    auto orNull = [](const QString &text) {
        return text.isEmpty() ? QJsonValue() : QJsonValue(text);
    };
    const QString state = revokedAtMs        ? QStringLiteral("revoked")
                          : expiredAt(nowMs) ? QStringLiteral("expired")
                                             : QStringLiteral("active");
    return QJsonObject{
        {QStringLiteral("id"), id},
        {QStringLiteral("state"), state},
        {QStringLiteral("account"), account},
        {QStringLiteral("user"), orNull(user)},
        {QStringLiteral("apiKey"), orNull(apiKey)},
        {QStringLiteral("flow"), orNull(flow)},
        {QStringLiteral("execution"), orNull(executionId)},
        {QStringLiteral("principal"), orNull(principal)},
        {QStringLiteral("principalType"), orNull(principalType)},
        {QStringLiteral("allowedModels"), QJsonArray::fromStringList(allowedModels)},
        {QStringLiteral("model"), orNull(defaultModel)},
        {QStringLiteral("governed"), governed},
        {QStringLiteral("createdAtMs"), createdAtMs},
        {QStringLiteral("expiresAtMs"), expiresAtMs},
        {QStringLiteral("revokedAtMs"), revokedAtMs ? QJsonValue(*revokedAtMs) : QJsonValue()},
    };
}
