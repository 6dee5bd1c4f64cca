#pragma once

#include "ledger/usagerecord.h"

#include <QString>
#include <QStringList>
#include <QVariantList>

#include <functional>
#include <variant>

// A change to the store other than a usage row (a minted credential, a session seen, an
// execution closed ...): one parameterised statement, run in the writer's next batch in the
// order it was queued.
struct StoreStatement
{
    QString sql;
    QVariantList values;

    // The table of shared, operator-changed state the statement writes, or empty. In team mode
    // a commit that changes one tells the other gateways, which read that state again.
    // Runtime sessions, usage and the budgets' running totals are not among them: every
    // instance writes those per request.
    QString sharedTable() const;
    // Every such table.
    static const QStringList &sharedTables();
};

// What the store's queue carries: usage rows, the bulk, take a prepared fast path.
using StoreWrite = std::variant<UsageRecord, StoreStatement>;

// Where a book on the gateway thread sends its changes: the store's queue (never waits).
using StoreSink = std::function<void(StoreStatement)>;
