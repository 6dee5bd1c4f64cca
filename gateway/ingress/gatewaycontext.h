#pragma once

#include "budget/budgetbook.h"
#include "budget/killswitch.h"
#include "console/livefeed.h"
#include "events/gatewaymetrics.h"
#include "ledger/pricetable.h"
#include "policy/accessbook.h"
#include "policy/modelrouter.h"
#include "policy/ratelimiter.h"
#include "providerendpoint.h"

#include <QHash>
#include <QSet>

class LedgerQueries;
class TeamBudgets;
class LedgerStore;
class ModelRelay;
class UpstreamClient;
struct UsageRecord;

// One part of the policy state kept in the store: the tables it is read from, its reads, and
// how their rows replace what the gateway thread holds (what the configuration file defines
// stays). Read at start (GatewayContext::load) and, in team mode, again whenever another
// gateway changed one of its tables (TeamSync).
struct StoredState
{
    QStringList tables;
    std::function<QList<StoreStatement>()> queries;
    std::function<bool(const QList<QList<QVariantList>> &results, QString *error)> load;
};

// What every relay on the gateway thread shares: the policy state (changed only on this thread,
// by the admin API) and the two queues out (the upstream client and the store).
struct GatewayContext
{
    GatewayContext(const Configuration &configuration, QHash<QString, ProviderEndpoint> endpoints,
                   UpstreamClient *upstream, LedgerStore *ledger,
                   PolicyClock clock = systemClock());

    // Reads the subjects, credentials and aliases earlier runs stored; once, before listening.
    bool load(QString *error);
    // Every part of the state load() reads but the budgets (see Gateway::start for those).
    QList<StoredState> storedState();

    // Queues a change for the store (never waits), noting this thread's latest write to each
    // shared table: a reading of the store is not taken as newer than this thread's own changes.
    void store(StoreStatement statement);
    QHash<QString, quint64> latestWrites; // shared table -> LedgerStore::execute()'s answer

    // Cuts the model calls in progress that a cut-mode kill order stops (running calls that a
    // finish-mode order stops complete); returns how many.
    int cutStopped();

    AccessBook access;
    BudgetBook budgets;
    KillSwitch killSwitch;
    RateLimiter rateLimits;
    QList<RateLimitRule> configuredRateLimits; // from the file: the admin API cannot change them
    BudgetPolicy budgetPolicy;
    ModelRouter models;
    PriceTable prices;
    QHash<QString, ProviderEndpoint> providers;
    UpstreamClient *upstream;
    LedgerStore *ledger;
    ServerLimits limits;
    QString publicUrl;         // http://HOST:PORT as bound, for the base URLs handed to runtimes
    QByteArray adminTokenHash; // SHA-256 hex of the admin token
    QSet<ModelRelay *> relays; // every model call in progress (a kill switch may cut them)
    LedgerQueries *ledgerQueries = nullptr; // the ledger's reader thread (the admin API's views)
    // Team mode: the budgets' shared totals (null: embedded, budgets are held here in memory).
    TeamBudgets *teamBudgets = nullptr;
    bool teamFailOpen = false; // admit without a shared reservation when the database is away
    mutable GatewayMetrics metrics;
    qint64 captureBytes;   // how much of a response a relay keeps for its event
    mutable LiveFeed live; // the operator console's batches, when one is attached

    // The request's cost at these prices (exact micro-dollars; empty: unpriced).
    std::optional<qint64> price(const TokenUsage &usage, const QString &upstreamModel,
                                QString *source = nullptr) const;

    // Prices the record (exact integer micro-dollars; unpriced stays empty) and queues it for
    // the store. Never waits on the database. A refusal for the ledger's backlog is counted and
    // shown live, not queued behind the backlog it was refused for.
    void record(UsageRecord record) const;

    // The ledger's backlog while it is past limits.maxLedgerBacklog (new model traffic waits);
    // logs when such a stretch begins and when it ends.
    std::optional<quint64> ledgerBacklog() const;
    mutable bool ledgerBehind = false;
};

// The outcome of a request refused because the ledger is too far behind.
inline constexpr QByteArrayView kLedgerBacklogOutcome = "denied_ledger_backlog";

// A fresh request id: "gh-" and 24 hex digits, the first 12 the time in ms (ids sort by time).
QByteArray newRequestId();
