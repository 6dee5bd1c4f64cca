#include "ledger/storestatement.h"

#include <QRegularExpression>

const QStringList &StoreStatement::sharedTables()
{
    static const QStringList tables{
        QStringLiteral("budgets"),        QStringLiteral("kill_switches"),
        QStringLiteral("model_aliases"),  QStringLiteral("rate_limits"),
        QStringLiteral("accounts"),       QStringLiteral("users"),
        QStringLiteral("flows"),          QStringLiteral("runtime_principals"),
        QStringLiteral("api_keys"),       QStringLiteral("runtime_credentials"),
        QStringLiteral("flow_executions")};
    return tables;
}

QString StoreStatement::sharedTable() const
{
    static const QRegularExpression change(
        QStringLiteral("^\\s*(?:INSERT\\s+INTO|UPDATE|DELETE\\s+FROM)\\s+(%1)\\b")
            .arg(sharedTables().join(u'|')),
        QRegularExpression::CaseInsensitiveOption);
    return change.match(sql).captured(1);
}
