#include "gatewaycontext.h"

#include "ledger/ledgerstore.h"
#include "ledger/usagecost.h"
#include "ledger/usagerecord.h"

#include <QDateTime>
#include <QRandomGenerator>

GatewayContext::GatewayContext(const Configuration &configuration,
                               QHash<QString, ProviderEndpoint> endpoints, UpstreamClient *upstream,
                               LedgerStore *ledger)
    : keys(configuration.apiKeys)
    , models(configuration)
    , prices(PriceTable::bundled(configuration.prices))
    , providers(std::move(endpoints))
    , upstream(upstream)
    , ledger(ledger)
    , limits(configuration.limits)
{}

void GatewayContext::record(UsageRecord record) const
{
    const TokenUsage &usage = record.usage;
    if (usage.totalTokens() == 0 && usage.cacheWriteTokens == 0) {
        record.costMicros = 0; // nothing was used: exactly free, whatever the price
        record.priceSource = QStringLiteral("no_usage");
    } else {
        const Cost cost = UsageCost::compute(usage, prices.find(record.upstreamModel));
        record.costMicros = cost.micros;
        record.priceSource = cost.source;
    }
    ledger->enqueue(std::move(record));
}

QByteArray newRequestId()
{
    // Time first: ids of one moment sort together, so the ledger's unique index on them grows
    // at its end instead of dirtying a random page per record (~3x the store's records per
    // second, bench/RESULTS.md). 48 random bits keep ids of the same millisecond apart.
    const quint64 random = QRandomGenerator::global()->generate64() & 0xffff'ffff'ffffULL;
    QByteArray id = QByteArrayLiteral("gh-");
    id.reserve(3 + 24);
    id += QByteArray::number(QDateTime::currentMSecsSinceEpoch(), 16).rightJustified(12, '0');
    id += QByteArray::number(random, 16).rightJustified(12, '0');
    return id;
}
