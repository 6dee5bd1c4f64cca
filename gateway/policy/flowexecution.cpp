#include "policy/flowexecution.h"

#include "policy/optionaltext.h"

QJsonObject FlowExecution::toJson() const
{
    return QJsonObject{
        {QStringLiteral("id"), id},
        {QStringLiteral("flow"), OptionalText::json(flow)},
        {QStringLiteral("account"), account},
        {QStringLiteral("principal"), OptionalText::json(principal)},
        {QStringLiteral("command"), OptionalText::json(command)},
        {QStringLiteral("status"), status},
        {QStringLiteral("exitStatus"), exitStatus ? QJsonValue(*exitStatus) : QJsonValue()},
        {QStringLiteral("startedAtMs"), startedAtMs},
        {QStringLiteral("endedAtMs"), endedAtMs ? QJsonValue(*endedAtMs) : QJsonValue()},
    };
}
