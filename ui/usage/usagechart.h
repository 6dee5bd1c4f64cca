#pragma once

#include <QChartView>

struct UsageSeries;

// One metric of a UsageSeries over time: a stacked area per key, drawn as steps so that each
// bucket reads as a block of its exact value, on a time axis labelled at round times. (A
// QBarSeries on a date axis draws nothing in Qt Charts 6.4, and a category axis of buckets
// labels every bucket: 60 minutes or 168 hours do not fit.) The legend is the view's: one
// for both charts.
class UsageChart : public QChartView
{
    Q_OBJECT
public:
    enum class Metric
    {
        Spend, // dollars, priced rows only
        Tokens
    };

    explicit UsageChart(Metric metric, QWidget *parent = nullptr);

    // The time axis is labelled every tickMs at round local times, in timeFormat (a QDateTime
    // format: "HH:mm", "MMM d").
    void setSeries(const UsageSeries &series, const QString &timeFormat, qint64 tickMs);
    // The value stacked for line (in the series' order) in bucket, in the axis's unit: dollars
    // or tokens. Read back from the drawn areas.
    double value(qsizetype line, qsizetype bucket) const;
    // The colour of a line, by its place in the series: the same in every chart and legend.
    static QColor lineColor(qsizetype line);

private:
    Metric m_metric;
    double m_scale = 1.0; // drawn per unit: large token counts are drawn in thousands
};
