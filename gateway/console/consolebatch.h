#pragma once

#include "budget/budgetbook.h"
#include "console/liverequest.h"

#include <QJsonArray>
#include <QList>
#include <QMetaType>

// What the gateway thread tells the console at most every LiveFeed::kIntervalMs: the calls
// that started or finished since the last batch (in order), the alerts raised, and, when
// anything that moves them happened, the budgets' and kill switch's state.
struct ConsoleBatch
{
    QList<LiveRequest> requests;
    QList<BudgetAlert> alerts;
    bool stateChanged = false; // true: budgets and killOrders below are current
    QJsonArray budgets;        // BudgetBook::status of each budget
    QJsonArray killOrders;     // KillOrder::toJson of each engaged switch
};

Q_DECLARE_METATYPE(ConsoleBatch)
