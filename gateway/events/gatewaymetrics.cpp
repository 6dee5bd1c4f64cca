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

void addTo(std::map<QByteArrayList, qint64> &counters, const QByteArrayList &labels, qint64 amount)
{
    counters[labels] += amount;
}

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

void observe(std::map<QByteArrayList, LatencyHistogram> &series, const QByteArrayList &labels,
             std::span<const qint64> bounds, qint64 microseconds)
{
    series.try_emplace(labels, bounds).first->second.observe(microseconds);
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
    addTo(m_inFlight, {m_endpoints(endpoint)}, 1);
}

void GatewayMetrics::requestEnded(const QByteArray &endpoint)
{
    addTo(m_inFlight, {m_endpoints(endpoint)}, -1);
}

void GatewayMetrics::requestFinished(const UsageRecord &record)
{
    const QByteArray endpoint = m_endpoints(record.endpoint);
    const QByteArray provider = m_providers(record.provider.toUtf8());
    const QByteArray model = m_models(
        (record.upstreamModel.isEmpty() ? record.modelAlias : record.upstreamModel).toUtf8());
    const QByteArray outcome = m_outcomes(record.outcome);

    addTo(m_requests, {endpoint, provider, model, outcome, QByteArray::number(record.httpStatus)},
          1);

    const TokenUsage &usage = record.usage;
    const std::pair<const char *, qint64> kinds[] = {{"prompt", usage.promptTokens},
                                                     {"completion", usage.completionTokens},
                                                     {"cached", usage.cachedTokens},
                                                     {"cache_write", usage.cacheWriteTokens},
                                                     {"reasoning", usage.reasoningTokens}};
    for (const auto &[kind, tokens] : kinds) {
        if (tokens > 0)
            addTo(m_tokens, {provider, model, kind}, tokens);
    }

    if (!record.costMicros)
        addTo(m_unpriced, {provider, model}, 1);
    else if (usage.totalTokens() > 0 || usage.cacheWriteTokens > 0)
        addTo(m_costMicros, {provider, model}, *record.costMicros);

    if (record.outcome.startsWith("denied") || record.outcome == "unauthorized")
        addTo(m_denials, {outcome}, 1);
    if (record.outcome.startsWith("upstream_"))
        addTo(m_upstreamErrors, {provider, outcome}, 1);

    observe(m_duration, {endpoint, provider, model}, kDurationBoundsUs, record.durationUs);
    if (record.firstByteUs >= 0)
        observe(m_firstByte, {endpoint, provider, model}, kFirstByteBoundsUs, record.firstByteUs);
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
