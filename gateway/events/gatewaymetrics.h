#pragma once

#include "boundedlabel.h"
#include "latencyhistogram.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QHash>
#include <QString>

#include <array>
#include <map>

struct UsageRecord;

// The gateway's traffic as Prometheus metrics, rendered for GET /metrics: requests, tokens,
// exact cost, unpriced requests, denials, upstream errors, requests in flight and latency
// histograms. It lives on the gateway thread and takes no locks: call it from that thread only.
//
// Label values a client can choose (model, endpoint of an unknown route) are bounded: past the
// limit of distinct values a label reads "other".
class GatewayMetrics
{
public:
    static constexpr int kDefaultModelLimit = 200;

    explicit GatewayMetrics(int modelLimit = kDefaultModelLimit);

    // Bracket a request in flight (a relay's lifetime): each requestStarted() must be followed by
    // exactly one requestEnded() with the same endpoint.
    void requestStarted(const QByteArray &endpoint);
    void requestEnded(const QByteArray &endpoint);
    // Counts a recorded request, whether it was in flight or refused at once, with the record as
    // the ledger gets it, priced: costMicros empty means unpriced. The model label is the
    // upstream model, or the requested alias when there is none.
    void requestFinished(const UsageRecord &record);

    // Text exposition format 0.0.4, in a fixed order (series sorted by their label values).
    QByteArray render() const;

private:
    using Counters = std::map<QByteArrayList, qint64>;
    using Histograms = std::map<QByteArrayList, LatencyHistogram>;

    // What a recorded request adds to, found once per distinct combination of its raw label
    // values rather than through six map lookups every time (std::map nodes never move, so
    // the pointers stay valid; a null one is a series this combination has not touched yet).
    struct SeriesKey
    {
        QByteArray endpoint;
        QString provider;
        QString model;
        QByteArray outcome;
        int status = 0;
        friend bool operator==(const SeriesKey &, const SeriesKey &) = default;
        friend size_t qHash(const SeriesKey &key, size_t seed = 0)
        {
            return qHashMulti(seed, key.endpoint, key.provider, key.model, key.outcome, key.status);
        }
    };
    struct Series
    {
        QByteArray endpoint; // the bounded label values
        QByteArray provider;
        QByteArray model;
        QByteArray outcome;
        qint64 *requests = nullptr;
        std::array<qint64 *, 5> tokens{};
        qint64 *costMicros = nullptr;
        qint64 *unpriced = nullptr;
        qint64 *denials = nullptr;
        qint64 *upstreamErrors = nullptr;
        LatencyHistogram *duration = nullptr;
        LatencyHistogram *firstByte = nullptr;
    };
    Series &seriesOf(const UsageRecord &record);
    qint64 &inFlightOf(const QByteArray &endpoint);

    // Both caches are cleared when they grow past a bound: what they point to stays.
    QHash<SeriesKey, Series> m_series;
    QHash<QByteArray, qint64 *> m_inFlightSeries;

    BoundedLabel m_endpoints;
    BoundedLabel m_providers;
    BoundedLabel m_models;
    BoundedLabel m_outcomes;

    Counters m_inFlight;       // endpoint
    Counters m_requests;       // endpoint, provider, model, outcome, status
    Counters m_tokens;         // provider, model, kind
    Counters m_costMicros;     // provider, model
    Counters m_unpriced;       // provider, model
    Counters m_denials;        // reason
    Counters m_upstreamErrors; // provider, outcome
    Histograms m_duration;     // endpoint, provider, model
    Histograms m_firstByte;    // endpoint, provider, model
};
