#pragma once

#include "ledger/pricetable.h"
#include "policy/apikeybook.h"
#include "policy/modelrouter.h"
#include "providerendpoint.h"

#include <QHash>

class LedgerStore;
class UpstreamClient;
struct UsageRecord;

// What every relay on the gateway thread shares: read-only policy and the two queues out
// (the upstream client and the ledger).
struct GatewayContext
{
    GatewayContext(const Configuration &configuration, QHash<QString, ProviderEndpoint> endpoints,
                   UpstreamClient *upstream, LedgerStore *ledger);

    ApiKeyBook keys;
    ModelRouter models;
    PriceTable prices;
    QHash<QString, ProviderEndpoint> providers;
    UpstreamClient *upstream;
    LedgerStore *ledger;
    ServerLimits limits;

    // Prices the record (exact integer micro-dollars; unpriced stays empty) and queues it for
    // the store. Never waits on the database.
    void record(UsageRecord record) const;
};

// A fresh request id: "gh-" and 24 hex digits, the first 12 the time in ms (ids sort by time).
QByteArray newRequestId();
