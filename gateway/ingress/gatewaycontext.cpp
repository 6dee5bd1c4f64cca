#include "gatewaycontext.h"

#include "ingress/modelrelay.h"
#include "ledger/ledgerstore.h"
#include "ledger/usagecost.h"
#include "ledger/usagerecord.h"
#include "policy/namelist.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTimeZone>

using namespace Qt::StringLiterals;

GatewayContext::GatewayContext(const Configuration &configuration,
                               QHash<QString, ProviderEndpoint> endpoints, UpstreamClient *upstream,
                               LedgerStore *ledger, PolicyClock clock)
    : access(
          configuration, [this](StoreStatement statement) { store(std::move(statement)); }, clock)
    , budgets([this](StoreStatement statement) { store(std::move(statement)); },
              [ledger](const StoreStatement &query) { return ledger->select(query, nullptr); },
              clock,
              configuration.budgetPolicy.timeZone.isEmpty()
                  ? QTimeZone::systemTimeZone()
                  : QTimeZone(configuration.budgetPolicy.timeZone.toUtf8()))
    , killSwitch([this](StoreStatement statement) { store(std::move(statement)); }, clock)
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
    for (const StoredState &part : storedState()) {
        QList<QList<QVariantList>> results;
        for (const StoreStatement &query : part.queries()) {
            auto rows = ledger->select(query, error);
            if (!rows)
                return false;
            results.append(std::move(*rows));
        }
        if (!part.load(results, error))
            return false;
    }
    return budgets.load(error);
}

QList<StoredState> GatewayContext::storedState()
{
    const auto one = [](StoreStatement query) {
        return [query = std::move(query)] { return QList<StoreStatement>{query}; };
    };
    StoredState subjects{{u"accounts"_s, u"users"_s, u"flows"_s, u"runtime_principals"_s,
                          u"api_keys"_s, u"runtime_credentials"_s, u"flow_executions"_s},
                         [this] { return access.loadQueries(); },
                         [this](const QList<QList<QVariantList>> &results, QString *) {
                             access.load(results);
                             return true;
                         }};
    StoredState aliases{
        {u"model_aliases"_s},
        // Creation order, the same on every gateway of a team (ties: two gateways creating
        // at once).
        one({u"SELECT alias, provider, model, direct_for FROM model_aliases "
             "ORDER BY position, alias"_s,
             {}}),
        [this](const QList<QList<QVariantList>> &results, QString *) {
            QList<ModelAlias> stored;
            for (const QVariantList &row : results.constFirst()) {
                ModelAlias alias{row.at(0).toString(), row.at(1).toString(), row.at(2).toString(),
                                 NameList::fromJsonText(row.at(3).toString()), false};
                if (providers.contains(alias.provider))
                    stored.append(alias);
            }
            models.setStored(stored);
            return true;
        }};
    // Buckets of rules that stay keep counting (RateLimiter::setRules).
    StoredState limits{{u"rate_limits"_s},
                       one({u"SELECT definition FROM rate_limits ORDER BY id"_s, {}}),
                       [this](const QList<QList<QVariantList>> &results, QString *error) {
                           QList<RateLimitRule> rules = configuredRateLimits;
                           for (const QVariantList &row : results.constFirst()) {
                               const auto rule = RateLimitRule::fromJson(
                                   QJsonDocument::fromJson(row.at(0).toString().toUtf8()).object(),
                                   error);
                               if (!rule)
                                   return false;
                               rules.append(*rule);
                           }
                           return rateLimits.setRules(rules, error);
                       }};
    StoredState kill{{u"kill_switches"_s},
                     one(KillSwitch::loadQuery()),
                     [this](const QList<QList<QVariantList>> &results, QString *) {
                         killSwitch.replace(results.constFirst());
                         cutStopped(); // an order engaged elsewhere cuts here too
                         live.stateChanged();
                         return true;
                     }};
    return {subjects, aliases, limits, kill};
}

void GatewayContext::store(StoreStatement statement)
{
    const QString table = statement.sharedTable();
    const quint64 at = ledger->execute(std::move(statement));
    if (!table.isEmpty())
        latestWrites.insert(table, at);
}

int GatewayContext::cutStopped()
{
    // Copied first: cutting a relay settles it, and a settled exchange may go away.
    const QSet<ModelRelay *> running = relays;
    int cut = 0;
    for (ModelRelay *relay : running) {
        if (!relays.contains(relay))
            continue;
        const UsageRecord &record = relay->record();
        if (const auto order = killSwitch.cutting(record.account, record.flow)) {
            relay->cut(order->reason);
            ++cut;
        }
    }
    return cut;
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
    if (record.outcome != kLedgerBacklogOutcome)
        ledger->enqueue(std::move(record));
}

std::optional<quint64> GatewayContext::ledgerBacklog() const
{
    const quint64 backlog = ledger->recordBacklog();
    const bool behind = backlog >= quint64(limits.maxLedgerBacklog);
    if (behind != std::exchange(ledgerBehind, behind)) {
        if (behind)
            qWarning("gatehouse: the usage ledger is %llu records behind (limit %lld): refusing "
                     "model requests (503 ledger_backlog) until it catches up",
                     backlog, limits.maxLedgerBacklog);
        else
            qWarning("gatehouse: the usage ledger caught up (%llu records waiting): admitting "
                     "model requests again",
                     backlog);
    }
    return behind ? std::optional(backlog) : std::nullopt;
}

QByteArray newRequestId()
{
    // Time first: ids of one moment sort together, so the ledger's unique index on them grows
    // at its end instead of dirtying a random page per record (~3x the store's records per
    // second, bench/RESULTS.md). 48 random bits keep ids of the same millisecond apart.
    // "gh-", then the time and the random bits as 12 lower-case hex digits each.
    const quint64 parts[] = {quint64(QDateTime::currentMSecsSinceEpoch()),
                             QRandomGenerator::global()->generate64()};
    QByteArray id(3 + 24, Qt::Uninitialized);
    char *out = id.data();
    *out++ = 'g';
    *out++ = 'h';
    *out++ = '-';
    for (const quint64 part : parts) {
        for (int shift = 44; shift >= 0; shift -= 4)
            *out++ = "0123456789abcdef"[(part >> shift) & 0xf];
    }
    return id;
}
