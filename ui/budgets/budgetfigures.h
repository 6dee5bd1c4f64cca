#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

// One budget as the console shows it, read from the gateway's budget status: its definition
// and the figures of its fullest running total (a budget kept per account, key, flow or run has
// one total each; the one nearest its limit is the one that denies first).
struct BudgetFigures
{
    enum class Level
    {
        Ok,      // below the first alert threshold
        Warning, // at or past the first alert threshold, below the limit
        Failure  // at or past the limit, or denying
    };

    QString id;
    QString name;
    QString layer; // account, user, key, flow, execution, model, provider
    QString subject;
    QString withinAccount;
    QString withinFlow;
    QString period; // none, daily, weekly, monthly
    bool hard = true;
    QList<int> alertPercents;
    std::optional<qint64> limitMicros;
    std::optional<qint64> limitTokens;
    qint64 spentMicros = 0;
    qint64 reservedMicros = 0;
    qint64 spentTokens = 0;
    qint64 reservedTokens = 0;
    qint64 unpricedRequests = 0;
    QString instance;       // which total is shown, for a budget with one per subject or run
    int instances = 1;      // how many totals the budget keeps this period
    QDateTime periodEnd;    // invalid: the budget never resets
    QJsonObject definition; // the budget as PUT budgets/<id> takes it back

    // The gauge's measure: tokens only for a budget without a spending limit.
    bool tokens() const { return !limitMicros && limitTokens; }
    qint64 limit() const;
    qint64 spent() const;
    qint64 reserved() const;
    // What is left of the measure's limit (negative once overspent).
    qint64 remaining() const { return limit() - spent() - reserved(); }
    // Spent over the gauge's limit, rounded down, as the gateway's alerts count it.
    int percent() const;
    // The larger of both measures' percentages, against the first alert threshold.
    Level level() const;
    // A hard budget with nothing left on either measure refuses every request.
    bool denying() const;
    // "Account acme", "Each run of flow nightly", "Model fast in account acme".
    QString scopeText() const;
    QString periodText() const;
    // An amount of the gauge's measure: "$3.20", or "12.3k" tokens.
    QString amountText(qint64 amount) const;
    // Money to read at a glance: cents from $1 ("$8.35"), up to four decimals below ("$0.0412"),
    // exact below a cent, so that no amount reads as $0.00 that is not nothing.
    static QString roundedMoney(qint64 micros);

    static BudgetFigures fromStatus(const QJsonObject &status);
};

Q_DECLARE_METATYPE(BudgetFigures)
