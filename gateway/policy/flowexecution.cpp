#include "policy/flowexecution.h"

QJsonObject FlowExecution::toJson() const
{
    auto orNull = [](const QString &text) {
        return text.isEmpty() ? QJsonValue() : QJsonValue(text);
    };
    return QJsonObject{
        {QStringLiteral("id"), id},
        {QStringLiteral("flow"), orNull(flow)},
        {QStringLiteral("account"), account},
        {QStringLiteral("principal"), orNull(principal)},
        {QStringLiteral("command"), orNull(command)},
        {QStringLiteral("status"), status},
        {QStringLiteral("exitStatus"), exitStatus ? QJsonValue(*exitStatus) : QJsonValue()},
        {QStringLiteral("startedAtMs"), startedAtMs},
        {QStringLiteral("endedAtMs"), endedAtMs ? QJsonValue(*endedAtMs) : QJsonValue()},
    };
}
