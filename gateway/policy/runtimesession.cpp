#include "policy/runtimesession.h"

#include "policy/optionaltext.h"

QJsonObject RuntimeSession::toJson() const
{
    return QJsonObject{
        {QStringLiteral("id"), id},
        {QStringLiteral("externalId"), externalId},
        {QStringLiteral("source"), QString::fromLatin1(source)},
        {QStringLiteral("parent"), OptionalText::json(parentId)},
        {QStringLiteral("account"), account},
        {QStringLiteral("principal"), OptionalText::json(principal)},
        {QStringLiteral("principalType"), OptionalText::json(principalType)},
        {QStringLiteral("flow"), OptionalText::json(flow)},
        {QStringLiteral("execution"), OptionalText::json(executionId)},
        {QStringLiteral("credential"), OptionalText::json(credentialId)},
        {QStringLiteral("firstSeenMs"), firstSeenMs},
        {QStringLiteral("lastSeenMs"), lastSeenMs},
        {QStringLiteral("requests"), requests},
    };
}
