#include "gatewaymetrics.h"

#include "ledger/usagerecord.h"
#include "prometheustext.h"

#include <array>

namespace {

// Denials take under a millisecond, model calls up to minutes.
constexpr std::array<qint64, 17> kDurationBoundsUs{
    1'000,      5'000,      10'000,      25'000,      50'000,     100'000,
    250'000,    500'000,    1'000'000,   2'500'000,   5'000'000,  10'000'000,
    30'000'000, 60'000'000, 120'000'000, 300'000'000, 600'000'000};
constexpr std::array<qint64, 15> kFirstByteBoundsUs{
    1'000,   2'500,     5'000,     10'000,    25'000,     50'000,     100'000,   250'000,
    500'000, 1'000'000, 2'500'000, 5'000'000, 10'000'000, 30'000'000, 60'000'000};

// Label values from code or configuration; the limits only guard against surprises.
constexpr int kEndpointLimit = 32;
constexpr int kProviderLimit = 64;
constexpr int kOutcomeLimit = 64;
// Distinct raw label combinations remembered for the hot path (the labels themselves are
// bounded separately).
constexpr qsizetype kSeriesCacheLimit = 4096;

void header(QByteArray *out, const QByteArray &name, const char *type, const char *help)
{
    *out += "# HELP " + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n';
}

void renderCounters(
    QByteArray *out, const QByteArray &name, const char *type, const char *help,
    const QByteArrayList &labelNames, const std::map<QByteArrayList, qint64> &series,
    QByteArray (*value)(qint64) = [](qint64 n) { return QByteArray::number(n); })
{
    header(out, name, type, help);
    for (const auto &[labels, amount] : series)
        *out += name + PrometheusText::labelSet(labelNames, labels) + ' ' + value(amount) + '\n';
}

void renderHistograms(QByteArray *out, const QByteArray &name, const char *help,
                      const std::map<QByteArrayList, LatencyHistogram> &series)
{
    header(out, name, "histogram", help);
    for (const auto &[labels, histogram] : series)
        histogram.render(out, name, {"endpoint", "provider", "model"}, labels);
}

} // namespace

GatewayMetrics::GatewayMetrics(int modelLimit)
    : m_endpoints(kEndpointLimit)
    , m_providers(kProviderLimit)
    , m_models(modelLimit)
    , m_outcomes(kOutcomeLimit)
{}

void GatewayMetrics::requestStarted(const QByteArray &endpoint)
{
    ++inFlightOf(endpoint);
}

void GatewayMetrics::requestEnded(const QByteArray &endpoint)
{
    --inFlightOf(endpoint);
}

qint64 &GatewayMetrics::inFlightOf(const QByteArray &endpoint)
{
    if (m_inFlightSeries.size() >= kSeriesCacheLimit)
        m_inFlightSeries.clear();
    qint64 *&counter = m_inFlightSeries[endpoint];
    if (!counter)
        counter = &m_inFlight[{m_endpoints(endpoint)}];
    return *counter;
}

GatewayMetrics::Series &GatewayMetrics::seriesOf(const UsageRecord &record)
{
    const QString &model =
        record.upstreamModel.isEmpty() ? record.modelAlias : record.upstreamModel;
    SeriesKey key{record.endpoint, record.provider, model, record.outcome, record.httpStatus};
    if (const auto found = m_series.find(key); found != m_series.end())
        return *found;
    if (m_series.size() >= kSeriesCacheLimit)
        m_series.clear();
    Series series;
    series.endpoint = m_endpoints(record.endpoint);
    series.provider = m_providers(record.provider.toUtf8());
    series.model = m_models(model.toUtf8());
    series.outcome = m_outcomes(record.outcome);
    series.requests = &m_requests[{series.endpoint, series.provider, series.model, series.outcome,
                                   QByteArray::number(record.httpStatus)}];
    return *m_series.insert(std::move(key), std::move(series));
}

void GatewayMetrics::requestFinished(const UsageRecord &record)
{
    Series &series = seriesOf(record);
    // A series' labels are built only the first time this combination touches it.
    const auto add = [](qint64 *&slot, Counters &counters, qint64 amount, auto labels) {
        if (!slot)
            slot = &counters[labels()];
        *slot += amount;
    };
    const auto providerModel = [&series] { return QByteArrayList{series.provider, series.model}; };
    const auto observe = [&series](LatencyHistogram *&slot, Histograms &histograms,
                                   std::span<const qint64> bounds, qint64 microseconds) {
        if (!slot) {
            slot = &histograms.try_emplace({series.endpoint, series.provider, series.model}, bounds)
                        .first->second;
        }
        slot->observe(microseconds);
    };

    ++*series.requests;

    const TokenUsage &usage = record.usage;
    const std::array<std::pair<const char *, qint64>, 5> kinds{
        {{"prompt", usage.promptTokens},
         {"completion", usage.completionTokens},
         {"cached", usage.cachedTokens},
         {"cache_write", usage.cacheWriteTokens},
         {"reasoning", usage.reasoningTokens}}};
    for (size_t i = 0; i < kinds.size(); ++i) {
        const auto &[kind, tokens] = kinds[i];
        if (tokens > 0) {
            add(series.tokens[i], m_tokens, tokens, [&series, kind = kind] {
                return QByteArrayList{series.provider, series.model, kind};
            });
        }
    }

    if (!record.costMicros)
        add(series.unpriced, m_unpriced, 1, providerModel);
    else if (usage.totalTokens() > 0 || usage.cacheWriteTokens > 0)
        add(series.costMicros, m_costMicros, *record.costMicros, providerModel);

    if (record.outcome.startsWith("denied") || record.outcome == "unauthorized")
        add(series.denials, m_denials, 1, [&series] { return QByteArrayList{series.outcome}; });
    if (record.outcome.startsWith("upstream_")) {
        add(series.upstreamErrors, m_upstreamErrors, 1, [&series] {
            return QByteArrayList{series.provider, series.outcome};
        });
    }

    observe(series.duration, m_duration, kDurationBoundsUs, record.durationUs);
    if (record.firstByteUs >= 0)
        observe(series.firstByte, m_firstByte, kFirstByteBoundsUs, record.firstByteUs);
}

QByteArray GatewayMetrics::render() const
{
    QByteArray out;
    renderCounters(&out, "gatehouse_requests_total", "counter",
                   "Requests answered, by endpoint, provider, model, outcome and HTTP status.",
                   {"endpoint", "provider", "model", "outcome", "status"}, m_requests);
    renderCounters(&out, "gatehouse_requests_in_flight", "gauge",
                   "Requests taken on and not yet answered.", {"endpoint"}, m_inFlight);
    renderCounters(&out, "gatehouse_tokens_total", "counter",
                   "Tokens used, by kind (prompt includes cached and cache_write; completion "
                   "includes reasoning).",
                   {"provider", "model", "kind"}, m_tokens);
    renderCounters(&out, "gatehouse_cost_usd_total", "counter",
                   "Cost of priced requests in US dollars, exact to the micro-dollar.",
                   {"provider", "model"}, m_costMicros, PrometheusText::decimalFromMillionths);
    renderCounters(&out, "gatehouse_unpriced_requests_total", "counter",
                   "Requests whose cost is unknown (no price for the model); not counted as $0.",
                   {"provider", "model"}, m_unpriced);
    renderCounters(&out, "gatehouse_denials_total", "counter",
                   "Requests refused by policy (denied_*) or authentication (unauthorized).",
                   {"reason"}, m_denials);
    renderCounters(&out, "gatehouse_upstream_errors_total", "counter",
                   "Requests that failed at the provider (upstream_* outcomes).",
                   {"provider", "outcome"}, m_upstreamErrors);
    renderHistograms(&out, "gatehouse_request_duration_seconds",
                     "Time from the request's last byte to the response's end.", m_duration);
    renderHistograms(&out, "gatehouse_time_to_first_byte_seconds",
                     "Time from the request's last byte to the first response byte sent to the "
                     "client.",
                     m_firstByte);
    return out;
}
