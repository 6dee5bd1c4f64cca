#pragma once

#include <QHash>
#include <QJsonObject>
#include <QString>

#include <optional>

struct BudgetFigures;

// What one call of a model typically costs, from the ledger's successful calls of the last
// days, and so how many more such calls still fit in a budget.
struct TypicalCall
{
    static constexpr qint64 kWindowMs = 7LL * 24 * 3600 * 1000;

    QString model;         // the alias asked for (or the upstream model when none applied)
    QString provider;      // from the alias, when known
    QString upstreamModel; // from the alias, when known
    qint64 calls = 0;
    qint64 pricedCalls = 0;
    qint64 costMicros = 0; // of the priced calls
    qint64 totalTokens = 0;

    bool hasHistory() const { return calls > 0; }
    bool priced() const { return pricedCalls > 0; }
    // The mean cost of a priced call, rounded up (never 0); empty when unpriced.
    std::optional<qint64> micros() const;
    // The mean tokens of a call, rounded up (never 0); empty without history.
    std::optional<qint64> tokens() const;
    // Whether a call of this model counts against the budget (a model or provider budget
    // counts only its own; the rest count every model).
    bool countsAgainst(const BudgetFigures &budget) const;
    // How many more calls fit in what the budget has left; empty when it cannot be told (no
    // history, or an unpriced model against a spending limit).
    std::optional<qint64> fitsIn(const BudgetFigures &budget) const;

    // LedgerReport::models' answer, by model.
    static QHash<QString, TypicalCall> fromModels(const QJsonObject &answer);
};
