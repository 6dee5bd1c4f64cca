#include "gatewaycontext.h"

#include "ledger/ledgerstore.h"
#include "ledger/usagecost.h"
#include "ledger/usagerecord.h"

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
    quint32 bits[3];
    QRandomGenerator::global()->fillRange(bits);
    QByteArray id = QByteArrayLiteral("gh-");
    id.reserve(3 + 24);
    for (quint32 word : bits)
        id += QByteArray::number(word, 16).rightJustified(8, '0');
    return id;
}
