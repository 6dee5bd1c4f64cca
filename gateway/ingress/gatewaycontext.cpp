#include "gatewaycontext.h"

#include "ledger/ledgerstore.h"
#include "ledger/usagecost.h"
#include "ledger/usagerecord.h"
#include "policy/namelist.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTimeZone>

GatewayContext::GatewayContext(const Configuration &configuration,
                               QHash<QString, ProviderEndpoint> endpoints, UpstreamClient *upstream,
                               LedgerStore *ledger, PolicyClock clock)
    : access(
          configuration,
          [ledger](StoreStatement statement) { ledger->execute(std::move(statement)); }, clock)
    , budgets([ledger](StoreStatement statement) { ledger->execute(std::move(statement)); },
              [ledger](const StoreStatement &query) { return ledger->select(query, nullptr); },
              clock,
              configuration.budgetPolicy.timeZone.isEmpty()
                  ? QTimeZone::systemTimeZone()
                  : QTimeZone(configuration.budgetPolicy.timeZone.toUtf8()))
    , killSwitch([ledger](StoreStatement statement) { ledger->execute(std::move(statement)); },
                 clock)
    , rateLimits(clock)
    , configuredRateLimits(configuration.rateLimits)
    , budgetPolicy(configuration.budgetPolicy)
    , models(configuration)
    , prices(PriceTable::bundled(configuration.prices))
    , providers(std::move(endpoints))
    , upstream(upstream)
    , ledger(ledger)
    , limits(configuration.limits)
    , captureBytes(configuration.events.captureFullBodies
                       ? qint64(8) << 20
                       : std::max<qint64>(64 * 1024, configuration.events.previewBytes * 2))
    , live([this](ConsoleBatch *batch) {
        for (const Budget &budget : budgets.budgets())
            batch->budgets.append(budgets.status(budget));
        for (const KillOrder &order : killSwitch.orders())
            batch->killOrders.append(order.toJson());
    })
{
    budgets.setAlertSink([this](const BudgetAlert &alert) { live.alert(alert); });
}

bool GatewayContext::load(QString *error)
{
    if (!access.load(ledger, error))
        return false;
    const auto aliases = ledger->select(
        {QStringLiteral("SELECT alias, provider, model, direct_for FROM model_aliases"), {}},
        error);
    if (!aliases)
        return false;
    const auto orders = ledger->select(KillSwitch::loadQuery(), error);
    if (!orders)
        return false;
    killSwitch.load(*orders);
    if (!budgets.load(error))
        return false;
    const auto limits = ledger->select(
        {QStringLiteral("SELECT definition FROM rate_limits ORDER BY id"), {}}, error);
    if (!limits)
        return false;
    QList<RateLimitRule> rules = configuredRateLimits;
    for (const QVariantList &row : *limits) {
        const auto rule = RateLimitRule::fromJson(
            QJsonDocument::fromJson(row.at(0).toString().toUtf8()).object(), error);
        if (!rule)
            return false;
        rules.append(*rule);
    }
    if (!rateLimits.setRules(rules, error))
        return false;
    for (const QVariantList &row : *aliases) {
        ModelAlias alias{row.at(0).toString(), row.at(1).toString(), row.at(2).toString(),
                         NameList::fromJsonText(row.at(3).toString()), false};
        if (providers.contains(alias.provider))
            models.put(alias);
    }
    return true;
}

std::optional<qint64> GatewayContext::price(const TokenUsage &usage, const QString &upstreamModel,
                                            QString *source) const
{
    if (usage.totalTokens() == 0 && usage.cacheWriteTokens == 0) {
        if (source)
            *source = QStringLiteral("no_usage");
        return 0; // nothing was used: exactly free, whatever the price
    }
    const Cost cost = UsageCost::compute(usage, prices.find(upstreamModel));
    if (source)
        *source = cost.source;
    return cost.micros;
}

void GatewayContext::record(UsageRecord record) const
{
    if (!record.costMicros && record.priceSource.isEmpty())
        record.costMicros = price(record.usage, record.upstreamModel, &record.priceSource);
    metrics.requestFinished(record);
    live.finished(record);
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
