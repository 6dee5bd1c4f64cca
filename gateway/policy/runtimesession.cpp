#include "policy/runtimesession.h"

QJsonObject RuntimeSession::toJson() const
{
    auto orNull = [](const QString &text) {
        return text.isEmpty() ? QJsonValue() : QJsonValue(text);
    };
    return QJsonObject{
        {QStringLiteral("id"), id},
        {QStringLiteral("externalId"), externalId},
        {QStringLiteral("source"), QString::fromLatin1(source)},
        {QStringLiteral("parent"), orNull(parentId)},
        {QStringLiteral("account"), account},
        {QStringLiteral("principal"), orNull(principal)},
        {QStringLiteral("principalType"), orNull(principalType)},
        {QStringLiteral("flow"), orNull(flow)},
        {QStringLiteral("execution"), orNull(executionId)},
        {QStringLiteral("credential"), orNull(credentialId)},
        {QStringLiteral("firstSeenMs"), firstSeenMs},
        {QStringLiteral("lastSeenMs"), lastSeenMs},
        {QStringLiteral("requests"), requests},
    };
}
