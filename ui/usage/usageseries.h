#pragma once

#include "usagetotals.h"

#include <QJsonObject>
#include <QList>
#include <QString>

// Spend and tokens per time bucket for each key of a summary (a model or a provider), every
// bucket of the window present (empty ones as 0), ready to stack in a chart. Keys past the
// largest few fold into one "other" line so that their colours stay tellable apart.
struct UsageSeries
{
    struct Line
    {
        QString key;              // empty: rows without one
        bool other = false;       // the fold of the smaller keys
        QList<qint64> costMicros; // per bucket, the priced rows only
        QList<qint64> tokens;     // per bucket
        UsageTotals totals;
    };

    qint64 bucketMs = 0;
    QList<qint64> bucketStarts; // ascending, bucketMs apart
    QList<Line> lines;          // most spend first, then most tokens
    UsageTotals totals;         // the summary's own totals
    bool truncated = false;     // the summary stopped at its group limit

    // summary: LedgerReport::summary by a dimension and a bucket over [fromMs, toMs).
    static UsageSeries fromSummary(const QJsonObject &summary, qint64 fromMs, qint64 toMs,
                                   qint64 bucketMs, int maxLines);
};
