#include "budget/budget.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {

const QList<std::pair<Budget::Layer, QString>> &layerNames()
{
    static const QList<std::pair<Budget::Layer, QString>> names{
        {Budget::Layer::Account, u"account"_s},     {Budget::Layer::User, u"user"_s},
        {Budget::Layer::ApiKey, u"key"_s},          {Budget::Layer::Flow, u"flow"_s},
        {Budget::Layer::Execution, u"execution"_s}, {Budget::Layer::Model, u"model"_s},
        {Budget::Layer::Provider, u"provider"_s}};
    return names;
}

bool matches(const QString &scope, const QString &value)
{
    return scope == u"*" ? !value.isEmpty() : scope == value;
}

} // namespace

QString Budget::layerName(Layer layer)
{
    for (const auto &[known, name] : layerNames()) {
        if (known == layer)
            return name;
    }
    return {};
}

bool Budget::appliesTo(const BudgetCharge &charge) const
{
    switch (layer) {
    case Layer::Account:
        return matches(subject, charge.account);
    case Layer::User:
        return matches(subject, charge.user);
    case Layer::ApiKey:
        return matches(subject, charge.apiKey);
    case Layer::Flow:
        return matches(subject, charge.flow);
    case Layer::Execution:
        return !charge.executionId.isEmpty() && matches(subject, charge.flow);
    case Layer::Model:
        return (subject == charge.modelAlias || subject == charge.upstreamModel) &&
               (withinAccount.isEmpty() || withinAccount == charge.account) &&
               (withinFlow.isEmpty() || withinFlow == charge.flow);
    case Layer::Provider:
        return subject == charge.provider;
    }
    return false;
}

QString Budget::instanceOf(const BudgetCharge &charge) const
{
    if (layer == Layer::Execution)
        return charge.executionId;
    // "*" scopes keep one total per subject they match.
    if (subject == u"*") {
        switch (layer) {
        case Layer::Account:
            return charge.account;
        case Layer::User:
            return charge.user;
        case Layer::ApiKey:
            return charge.apiKey;
        case Layer::Flow:
            return charge.flow;
        default:
            break;
        }
    }
    return {};
}

QString Budget::describe() const
{
    QString scope = layer == Layer::Execution
                        ? (subject == u"*" ? u"each flow execution"_s
                                           : u"each execution of flow '%1'"_s.arg(subject))
                        : u"%1 '%2'"_s.arg(layerName(layer), subject);
    if (!withinAccount.isEmpty())
        scope += u" in account '%1'"_s.arg(withinAccount);
    if (!withinFlow.isEmpty())
        scope += u" in flow '%1'"_s.arg(withinFlow);
    return u"%1, %2, %3"_s.arg(
        scope, period == BudgetPeriod::None ? u"lifetime"_s : BudgetPeriods::name(period),
        isHard() ? u"hard"_s : u"soft"_s);
}

QJsonObject Budget::toJson() const
{
    QJsonArray alerts;
    for (int percent : alertPercents)
        alerts.append(percent);
    QJsonObject json{{u"id"_s, id},
                     {u"name"_s, name},
                     {u"layer"_s, layerName(layer)},
                     {u"subject"_s, subject},
                     {u"period"_s, BudgetPeriods::name(period)},
                     {u"enforcement"_s, isHard() ? u"hard"_s : u"soft"_s},
                     {u"alertPercents"_s, alerts},
                     {u"allowUnpriced"_s, allowUnpriced},
                     {u"limitUsd"_s, QJsonValue()},
                     {u"limitMicros"_s, limitMicros ? QJsonValue(*limitMicros) : QJsonValue()},
                     {u"limitTokens"_s, limitTokens ? QJsonValue(*limitTokens) : QJsonValue()}};
    if (limitMicros)
        json.insert(u"limitUsd"_s, double(*limitMicros) / 1e6);
    if (!withinAccount.isEmpty())
        json.insert(u"withinAccount"_s, withinAccount);
    if (!withinFlow.isEmpty())
        json.insert(u"withinFlow"_s, withinFlow);
    return json;
}

std::optional<Budget> Budget::fromJson(const QJsonObject &object, QString *error)
{
    const auto fail = [&](const QString &message) {
        *error = message;
        return std::nullopt;
    };
    static const QStringList known{u"id"_s,           u"name"_s,          u"layer"_s,
                                   u"subject"_s,      u"withinAccount"_s, u"withinFlow"_s,
                                   u"limitMicros"_s,  u"limitUsd"_s,      u"limitTokens"_s,
                                   u"period"_s,       u"enforcement"_s,   u"alertPercents"_s,
                                   u"allowUnpriced"_s};
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!known.contains(it.key()))
            return fail(u"unknown field '%1' (known: %2)"_s.arg(it.key(), known.join(u", "_s)));
    }
    Budget budget;
    budget.id = object.value(u"id"_s).toString();
    budget.name = object.value(u"name"_s).toString();
    const QString layer = object.value(u"layer"_s).toString();
    const auto named = std::find_if(layerNames().cbegin(), layerNames().cend(),
                                    [&](const auto &entry) { return entry.second == layer; });
    if (named == layerNames().cend()) {
        QStringList names;
        for (const auto &entry : layerNames())
            names += entry.second;
        return fail(u"layer must be one of %1"_s.arg(names.join(u", "_s)));
    }
    budget.layer = named->first;
    budget.subject = object.value(u"subject"_s).toString();
    if (budget.subject.isEmpty())
        return fail(u"subject is required: the %1 this budget limits"_s.arg(layer));
    if (budget.subject == u"*" && (budget.layer == Layer::Model || budget.layer == Layer::Provider))
        return fail(u"a model or provider budget names its model or provider"_s);
    budget.withinAccount = object.value(u"withinAccount"_s).toString();
    budget.withinFlow = object.value(u"withinFlow"_s).toString();
    if ((!budget.withinAccount.isEmpty() || !budget.withinFlow.isEmpty()) &&
        budget.layer != Layer::Model)
        return fail(u"withinAccount and withinFlow apply to model budgets only"_s);

    const QJsonValue micros = object.value(u"limitMicros"_s);
    const QJsonValue usd = object.value(u"limitUsd"_s);
    if (!micros.isUndefined() && !micros.isNull() && !usd.isUndefined() && !usd.isNull() &&
        std::llround(usd.toDouble() * 1e6) != qint64(micros.toDouble()))
        return fail(u"limitUsd and limitMicros disagree: give one of them"_s);
    if (!micros.isUndefined() && !micros.isNull()) {
        if (!micros.isDouble() || micros.toDouble() < 0 || micros.toDouble() > 9e15 ||
            micros.toDouble() != std::trunc(micros.toDouble()))
            return fail(u"limitMicros must be a whole number of micro-dollars"_s);
        budget.limitMicros = qint64(micros.toDouble());
    } else if (!usd.isUndefined() && !usd.isNull()) {
        if (!usd.isDouble() || usd.toDouble() < 0 || usd.toDouble() > 9e9)
            return fail(u"limitUsd must be a non-negative number of dollars"_s);
        budget.limitMicros = std::llround(usd.toDouble() * 1e6); // stored exact from here on
    }
    const QJsonValue tokens = object.value(u"limitTokens"_s);
    if (!tokens.isUndefined() && !tokens.isNull()) {
        if (!tokens.isDouble() || tokens.toDouble() < 0 ||
            tokens.toDouble() != std::trunc(tokens.toDouble()))
            return fail(u"limitTokens must be a whole number"_s);
        budget.limitTokens = qint64(tokens.toDouble());
    }
    if (!budget.limitMicros && !budget.limitTokens)
        return fail(u"a budget needs limitUsd (or limitMicros) and/or limitTokens"_s);

    const auto period = BudgetPeriods::fromName(object.value(u"period"_s).toString(u"monthly"_s));
    if (!period)
        return fail(u"period must be one of none, daily, weekly, monthly"_s);
    budget.period = *period;
    const QString enforcement = object.value(u"enforcement"_s).toString(u"hard"_s);
    if (enforcement != u"hard" && enforcement != u"soft")
        return fail(u"enforcement must be hard or soft"_s);
    budget.hard = enforcement == u"hard";
    if (!budget.hard && budget.layer == Layer::Provider)
        return fail(u"a provider cap is always hard"_s);
    if (object.contains(u"alertPercents"_s)) {
        budget.alertPercents.clear();
        for (const QJsonValue &value : object.value(u"alertPercents"_s).toArray()) {
            const int percent = value.toInt(-1);
            if (percent <= 0 || percent > 1000)
                return fail(u"alertPercents are whole percentages between 1 and 1000"_s);
            budget.alertPercents.append(percent);
        }
        std::sort(budget.alertPercents.begin(), budget.alertPercents.end());
    }
    budget.allowUnpriced = object.value(u"allowUnpriced"_s).toBool(false);
    return budget;
}
