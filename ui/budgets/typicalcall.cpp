#include "typicalcall.h"

#include "budgetfigures.h"

#include <QJsonArray>

#include <algorithm>

std::optional<qint64> TypicalCall::micros() const
{
    if (!priced())
        return std::nullopt;
    return std::max<qint64>(1, (costMicros + pricedCalls - 1) / pricedCalls);
}

std::optional<qint64> TypicalCall::tokens() const
{
    if (!hasHistory())
        return std::nullopt;
    return std::max<qint64>(1, (totalTokens + calls - 1) / calls);
}

bool TypicalCall::countsAgainst(const BudgetFigures &budget) const
{
    if (budget.layer == u"model")
        return budget.subject == model || budget.subject == upstreamModel;
    if (budget.layer == u"provider")
        return provider.isEmpty() || budget.subject == provider;
    return true;
}

std::optional<qint64> TypicalCall::fitsIn(const BudgetFigures &budget) const
{
    // Both measures limit: the tighter one decides.
    std::optional<qint64> fits;
    if (budget.limitMicros) {
        if (!micros())
            return std::nullopt;
        const qint64 left = *budget.limitMicros - budget.spentMicros - budget.reservedMicros;
        fits = std::max<qint64>(0, left) / *micros();
    }
    if (budget.limitTokens && tokens()) {
        const qint64 left = *budget.limitTokens - budget.spentTokens - budget.reservedTokens;
        const qint64 byTokens = std::max<qint64>(0, left) / *tokens();
        fits = fits ? std::min(*fits, byTokens) : byTokens;
    }
    return fits;
}

QHash<QString, TypicalCall> TypicalCall::fromModels(const QJsonObject &answer)
{
    QHash<QString, TypicalCall> calls;
    for (const QJsonValue &value : answer.value(u"models").toArray()) {
        const QJsonObject row = value.toObject();
        TypicalCall call;
        call.model = row.value(u"model").toString();
        if (call.model.isEmpty())
            continue;
        call.calls = row.value(u"calls").toInteger();
        call.pricedCalls = call.calls - row.value(u"unpricedCalls").toInteger();
        call.costMicros = row.value(u"costMicros").toInteger();
        call.totalTokens = row.value(u"totalTokens").toInteger();
        calls.insert(call.model, call);
    }
    return calls;
}
