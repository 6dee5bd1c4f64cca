#pragma once

#include "budget/budgetperiod.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

// What a request is, as budgets see it: the subject and the route it takes.
struct BudgetCharge
{
    QString account;
    QString user;
    QString apiKey;
    QString flow;
    QString executionId;
    QString modelAlias;
    QString upstreamModel;
    QString provider;
};

// One spending limit: a layer and its scope, a limit in micro-dollars and/or tokens, a period
// and how it is enforced.
struct Budget
{
    enum class Layer
    {
        Account,
        User,
        ApiKey,
        Flow,
        Execution, // a ceiling for each run of a flow ("*": of every flow)
        Model,     // an alias or upstream model, optionally within an account or a flow
        Provider   // a hard cap nothing overrides (a trial or shared key's lifetime limit)
    };

    QString id; // "bu_" + hex, given when made
    QString name;
    Layer layer = Layer::Account;
    QString subject;       // the account, user, key, flow (Execution: the flow), model or provider
    QString withinAccount; // Model only: empty for every account
    QString withinFlow;    // Model only: empty for every flow
    std::optional<qint64> limitMicros;
    std::optional<qint64> limitTokens;
    BudgetPeriod period = BudgetPeriod::Monthly;
    bool hard = true; // soft: admit, and alert at the thresholds
    QList<int> alertPercents{80, 100};
    bool allowUnpriced = false; // a hard USD budget denies unpriced models unless this is set

    bool appliesTo(const BudgetCharge &charge) const;
    // Which running total of this budget a charge goes to: one per execution for an execution
    // ceiling, one in all for the rest.
    QString instanceOf(const BudgetCharge &charge) const;
    bool isHard() const { return hard || layer == Layer::Provider; }
    // "flow 'nightly', monthly, hard", for messages an operator and an agent both read.
    QString describe() const;

    QJsonObject toJson() const;
    static std::optional<Budget> fromJson(const QJsonObject &object, QString *error);
    static QString layerName(Layer layer);
};
