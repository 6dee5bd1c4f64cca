#include "ledger/storestatement.h"

#include <QRegularExpression>

QString StoreStatement::sharedTable() const
{
    static const QRegularExpression change(
        QStringLiteral("^\\s*(?:INSERT\\s+INTO|UPDATE|DELETE\\s+FROM)\\s+"
                       "(budgets|kill_switches|model_aliases|rate_limits|accounts|users|flows|"
                       "runtime_principals|api_keys|runtime_credentials|flow_executions)\\b"),
        QRegularExpression::CaseInsensitiveOption);
    return change.match(sql).captured(1);
}
