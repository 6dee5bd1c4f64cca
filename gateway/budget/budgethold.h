#pragma once

#include <QList>
#include <QString>

#include <optional>

// One budget layer's share of a request's reservation in team mode: which shared total it goes
// to, what it may hold, and what it holds. Made by BudgetBook on the gateway thread, checked and
// applied atomically by TeamBudgets in the database.
struct BudgetHold
{
    QString budgetId;
    QString instance;         // '' or the subject of a per-subject total
    qint64 periodStartMs = 0; // the total of this period
    QString label;            // "'name' (flow 'nightly', monthly, hard)" for a denial
    // Checked only when set: a soft budget, or one without that limit, only counts.
    std::optional<qint64> limitMicros;
    std::optional<qint64> limitTokens;
    qint64 micros = 0; // the reservation
    qint64 tokens = 0;
    // What this gateway read from the ledger for the period, for a total not yet shared.
    qint64 seedSpentMicros = 0;
    qint64 seedSpentTokens = 0;
};
using BudgetHolds = QList<BudgetHold>;
