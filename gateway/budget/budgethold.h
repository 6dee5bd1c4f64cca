#pragma once

#include "ledger/storestatement.h"

#include <QList>
#include <QString>

#include <optional>

// One shared total: a budget's (per-subject: one subject's) spending in one period.
struct BudgetTotalKey
{
    QString budgetId;
    QString instance; // '' or the subject of a per-subject total
    qint64 periodStartMs = 0;
};

// One budget layer's share of a request's reservation in team mode: which shared total it goes
// to, what it may hold, and what it holds. Made by BudgetBook on the gateway thread, checked and
// applied atomically by TeamBudgets in the database.
struct BudgetHold
{
    BudgetTotalKey total;
    QString label; // "'name' (flow 'nightly', monthly, hard)" for a denial
    // Checked only when set: a soft budget, or one without that limit, only counts.
    std::optional<qint64> limitMicros;
    std::optional<qint64> limitTokens;
    qint64 micros = 0; // the reservation
    qint64 tokens = 0;
    // For a total not yet shared: reads the period's spending from the ledger (micros, tokens,
    // unpriced requests), in the same database and transaction that creates the total.
    StoreStatement seed;
};
using BudgetHolds = QList<BudgetHold>;
