#include "latencyhistogram.h"

#include "prometheustext.h"

#include <algorithm>

LatencyHistogram::LatencyHistogram(std::span<const qint64> boundsUs)
    : m_bounds(boundsUs)
    , m_counts(qsizetype(boundsUs.size()) + 1, 0)
{}

void LatencyHistogram::observe(qint64 microseconds)
{
    microseconds = std::max<qint64>(0, microseconds);
    const auto bucket = std::lower_bound(m_bounds.begin(), m_bounds.end(), microseconds);
    ++m_counts[bucket - m_bounds.begin()];
    m_sumUs += microseconds;
    ++m_count;
}

void LatencyHistogram::render(QByteArray *out, const QByteArray &name,
                              const QByteArrayList &labelNames,
                              const QByteArrayList &labelValues) const
{
    QByteArrayList names = labelNames;
    names.append("le");
    qint64 cumulative = 0;
    for (size_t i = 0; i <= m_bounds.size(); ++i) {
        cumulative += m_counts[qsizetype(i)];
        QByteArrayList values = labelValues;
        values.append(i < m_bounds.size() ? PrometheusText::decimalFromMillionths(m_bounds[i])
                                          : QByteArrayLiteral("+Inf"));
        *out += name + "_bucket" + PrometheusText::labelSet(names, values) + ' ' +
                QByteArray::number(cumulative) + '\n';
    }
    const QByteArray labels = PrometheusText::labelSet(labelNames, labelValues);
    *out += name + "_sum" + labels + ' ' + PrometheusText::decimalFromMillionths(m_sumUs) + '\n';
    *out += name + "_count" + labels + ' ' + QByteArray::number(m_count) + '\n';
}
