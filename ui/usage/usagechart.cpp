#include "usagechart.h"

#include "usageseries.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QChart>
#include <QCoreApplication>
#include <QDateTime>
#include <QLegend>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>

namespace {

constexpr double kMicrosPerDollar = 1e6;
// Past this many tokens at the top of the axis, the axis counts thousands.
constexpr double kThousandsFrom = 10'000;

// Eight tellable-apart hues for stacked keys (a categorical palette, not the meaning colours of
// ConsoleStyle): a chart folds keys past eight into "other".
constexpr QRgb kLineColors[] = {0x4e79a7, 0xf28e2b, 0x59a14f, 0xb07aa1,
                                0x76b7b2, 0xedc948, 0xff9da7, 0x9c755f};

QString lineName(const UsageSeries::Line &line)
{
    if (line.other)
        return QCoreApplication::translate("UsageChart", "other");
    if (line.key.isEmpty())
        return QCoreApplication::translate("UsageChart", "(none)");
    return line.key;
}

// The first label time at or after fromMs: a multiple of tickMs since local midnight (or a
// local midnight, for ticks of a day or more).
qint64 firstTick(qint64 fromMs, qint64 tickMs)
{
    const QDateTime from = QDateTime::fromMSecsSinceEpoch(fromMs);
    const qint64 midnight = from.date().startOfDay().toMSecsSinceEpoch();
    const qint64 step = std::min<qint64>(tickMs, 24LL * 3600 * 1000);
    const qint64 intoDay = fromMs - midnight;
    return midnight + (intoDay + step - 1) / step * step;
}

} // namespace

UsageChart::UsageChart(Metric metric, QWidget *parent)
    : QChartView(parent)
    , m_metric(metric)
{
    setRenderHint(QPainter::Antialiasing);
    setFrameShape(QFrame::NoFrame);
    setBackgroundBrush(palette().color(QPalette::Base));
    setMinimumHeight(180);
}

void UsageChart::setSeries(const UsageSeries &series, const QString &timeFormat, qint64 tickMs)
{
    // A new chart each time: Qt Charts 6.4 loses the legend or the axis labels when series
    // come and go on a chart whose axes once had none.
    auto *chart = new QChart;
    chart->setTheme(QChart::ChartThemeLight);
    chart->setBackgroundVisible(false);
    chart->setMargins(QMargins(0, 4, 8, 0));
    auto *time = new QCategoryAxis;
    auto *values = new QValueAxis;
    chart->addAxis(time, Qt::AlignBottom);
    chart->addAxis(values, Qt::AlignLeft);
    time->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    time->setLabelsFont(font());
    time->setGridLineVisible(false);
    time->setTruncateLabels(false);
    values->setLabelsFont(font());
    values->setMinorTickCount(0);
    QPen grid = values->gridLinePen();
    grid.setColor(palette().color(QPalette::Midlight));
    values->setGridLinePen(grid);

    const qsizetype buckets = series.bucketStarts.size();
    const auto raw = [&](const UsageSeries::Line &line, qsizetype bucket) {
        return m_metric == Metric::Spend ? double(line.costMicros.at(bucket)) / kMicrosPerDollar
                                         : double(line.tokens.at(bucket));
    };
    double top = 0;
    for (qsizetype b = 0; b < buckets; ++b) {
        double sum = 0;
        for (const UsageSeries::Line &line : series.lines)
            sum += raw(line, b);
        top = std::max(top, sum);
    }
    m_scale = m_metric == Metric::Tokens && top >= kThousandsFrom ? 1e-3 : 1.0;

    QList<double> below(buckets, 0.0);
    for (qsizetype index = 0; index < series.lines.size(); ++index) {
        const UsageSeries::Line &line = series.lines.at(index);
        auto *upper = new QLineSeries;
        auto *lower = new QLineSeries;
        for (qsizetype b = 0; b < buckets; ++b) {
            const double start = double(series.bucketStarts.at(b));
            const double end = start + double(series.bucketMs);
            const double base = below.at(b);
            const double value = base + raw(line, b) * m_scale;
            lower->append(start, base);
            lower->append(end, base);
            upper->append(start, value);
            upper->append(end, value);
            below[b] = value;
        }
        auto *area = new QAreaSeries(upper, lower);
        upper->setParent(area);
        lower->setParent(area);
        area->setName(lineName(line));
        area->setColor(lineColor(index));
        chart->addSeries(area);
        area->attachAxis(time);
        area->attachAxis(values);
        // No outline: it would draw every empty bucket as a line along the axis.
        area->setPen(Qt::NoPen);
        // A key that cost nothing known (unpriced) has no spend to draw.
        area->setVisible(m_metric == Metric::Spend ? line.totals.costMicros > 0
                                                   : line.totals.totalTokens > 0);
    }
    if (buckets > 0) {
        const qint64 start = series.bucketStarts.first();
        const qint64 end = series.bucketStarts.last() + series.bucketMs;
        time->setRange(double(start), double(end));
        time->setStartValue(double(start));
        for (qint64 tick = firstTick(start, tickMs); tick <= end; tick += tickMs)
            time->append(QDateTime::fromMSecsSinceEpoch(tick).toString(timeFormat), double(tick));
    }
    values->setRange(0, top > 0 ? top * m_scale * 1.05 : 1.0);
    values->applyNiceNumbers();
    if (m_metric == Metric::Spend) {
        const double max = values->max();
        values->setLabelFormat(max >= 10    ? QStringLiteral("$%.0f")
                               : max >= 0.1 ? QStringLiteral("$%.2f")
                                            : QStringLiteral("$%.4f"));
    } else {
        values->setLabelFormat(m_scale < 1 ? QStringLiteral("%.0fk") : QStringLiteral("%.0f"));
    }
    chart->legend()->setVisible(false);

    QChart *previous = this->chart();
    setChart(chart);
    delete previous;
}

double UsageChart::value(qsizetype line, qsizetype bucket) const
{
    const QList<QAbstractSeries *> all = chart()->series();
    if (line < 0 || line >= all.size())
        return 0;
    const auto *area = qobject_cast<const QAreaSeries *>(all.at(line));
    if (!area || 2 * bucket + 1 >= area->upperSeries()->count())
        return 0;
    const double drawn =
        area->upperSeries()->at(int(2 * bucket)).y() - area->lowerSeries()->at(int(2 * bucket)).y();
    return drawn / m_scale;
}

QColor UsageChart::lineColor(qsizetype line)
{
    return QColor(kLineColors[size_t(line) % std::size(kLineColors)]);
}
