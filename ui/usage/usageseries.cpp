#include "usageseries.h"

#include <QHash>
#include <QJsonArray>

#include <algorithm>

using namespace Qt::StringLiterals;

UsageSeries UsageSeries::fromSummary(const QJsonObject &summary, qint64 fromMs, qint64 toMs,
                                     qint64 bucketMs, int maxLines)
{
    UsageSeries series;
    series.bucketMs = bucketMs;
    series.totals = UsageTotals::fromJson(summary.value(u"totals"_s).toObject());
    series.truncated = summary.value(u"truncated"_s).toBool();
    if (bucketMs <= 0 || toMs <= fromMs)
        return series;
    const qint64 first = fromMs / bucketMs * bucketMs;
    const qint64 last = (toMs - 1) / bucketMs * bucketMs;
    for (qint64 start = first; start <= last; start += bucketMs)
        series.bucketStarts += start;
    const qsizetype buckets = series.bucketStarts.size();

    QList<Line> lines;
    QHash<QString, qsizetype> index;
    for (const QJsonValue &value : summary.value(u"groups"_s).toArray()) {
        const QJsonObject group = value.toObject();
        const qint64 at = (group.value(u"bucketStartMs"_s).toInteger() - first) / bucketMs;
        if (at < 0 || at >= buckets)
            continue;
        const QString key = group.value(u"key"_s).toString();
        auto found = index.constFind(key);
        if (found == index.constEnd()) {
            Line line;
            line.key = key;
            line.costMicros.fill(0, buckets);
            line.tokens.fill(0, buckets);
            found = index.insert(key, lines.size());
            lines.append(line);
        }
        Line &line = lines[*found];
        const UsageTotals sums = UsageTotals::fromJson(group);
        line.costMicros[at] += sums.costMicros;
        line.tokens[at] += sums.totalTokens;
        line.totals.add(sums);
    }
    std::sort(lines.begin(), lines.end(), [](const Line &a, const Line &b) {
        if (a.totals.costMicros != b.totals.costMicros)
            return a.totals.costMicros > b.totals.costMicros;
        if (a.totals.totalTokens != b.totals.totalTokens)
            return a.totals.totalTokens > b.totals.totalTokens;
        return a.key < b.key;
    });
    if (lines.size() > maxLines && maxLines > 1) {
        Line other;
        other.other = true;
        other.costMicros.fill(0, buckets);
        other.tokens.fill(0, buckets);
        for (qsizetype i = maxLines - 1; i < lines.size(); ++i) {
            const Line &line = lines.at(i);
            for (qsizetype b = 0; b < buckets; ++b) {
                other.costMicros[b] += line.costMicros.at(b);
                other.tokens[b] += line.tokens.at(b);
            }
            other.totals.add(line.totals);
        }
        lines.resize(maxLines - 1);
        lines.append(other);
    }
    series.lines = lines;
    return series;
}
