#include "gatewaycontext.h"

#include "ledger/ledgerstore.h"
#include "ledger/usagecost.h"
#include "ledger/usagerecord.h"
#include "policy/namelist.h"

#include <QRandomGenerator>

GatewayContext::GatewayContext(const Configuration &configuration,
                               QHash<QString, ProviderEndpoint> endpoints, UpstreamClient *upstream,
                               LedgerStore *ledger, PolicyClock clock)
    : access(
          configuration,
          [ledger](StoreStatement statement) { ledger->execute(std::move(statement)); },
          std::move(clock))
    , models(configuration)
    , prices(PriceTable::bundled(configuration.prices))
    , providers(std::move(endpoints))
    , upstream(upstream)
    , ledger(ledger)
    , limits(configuration.limits)
{}

bool GatewayContext::load(QString *error)
{
    if (!access.load(ledger, error))
        return false;
    const auto aliases = ledger->select(
        {QStringLiteral("SELECT alias, provider, model, direct_for FROM model_aliases"), {}},
        error);
    if (!aliases)
        return false;
    for (const QVariantList &row : *aliases) {
        ModelAlias alias{row.at(0).toString(), row.at(1).toString(), row.at(2).toString(),
                         NameList::fromJsonText(row.at(3).toString()), false};
        if (providers.contains(alias.provider))
            models.put(alias);
    }
    return true;
}

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
