#pragma once

#include <QByteArray>
#include <QByteArrayList>
#include <QList>

#include <span>

// One Prometheus histogram series of durations, kept in integer microseconds so that bucket
// bounds compare exactly and the sum renders exactly.
class LatencyHistogram
{
public:
    // boundsUs: ascending upper bounds (inclusive) of the finite buckets; they must outlive this.
    explicit LatencyHistogram(std::span<const qint64> boundsUs);

    void observe(qint64 microseconds);
    // The _bucket lines (cumulative, then +Inf), _sum (seconds) and _count of this series.
    void render(QByteArray *out, const QByteArray &name, const QByteArrayList &labelNames,
                const QByteArrayList &labelValues) const;

private:
    std::span<const qint64> m_bounds;
    QList<qint64> m_counts; // per finite bucket, not cumulative; the last entry is above them all
    qint64 m_sumUs = 0;
    qint64 m_count = 0;
};
