#include "usageview.h"

#include "common/consolestyle.h"
#include "common/displaytext.h"
#include "common/figurecard.h"
#include "gatewayconsole.h"
#include "ledger/ledgerreport.h"
#include "common/segmentedswitch.h"
#include "usagechart.h"
#include "usagerankingmodel.h"

#include <QDateTime>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

// Each range's window, chart bucket, time labels, and how often new traffic may re-read it:
// a month's summaries over a full ledger take close to a second on the reader thread, which
// the admin API shares.
struct RangeSpec
{
    qint64 windowMs;
    LedgerReport::Bucket bucket;
    const char16_t *timeFormat;
    qint64 tickMs; // a time label every
    int minIntervalMs;
};

constexpr qint64 kHourMs = 3'600'000;
constexpr qint64 kDayMs = 24 * kHourMs;
constexpr RangeSpec kRanges[] = {
    {kHourMs, LedgerReport::Bucket::Minute, u"HH:mm", kHourMs / 6, 1000},
    {kDayMs, LedgerReport::Bucket::Hour, u"HH:mm", 3 * kHourMs, 2000},
    {7 * kDayMs, LedgerReport::Bucket::Hour, u"ddd d", kDayMs, 10'000},
    {30 * kDayMs, LedgerReport::Bucket::Day, u"MMM d", 5 * kDayMs, 30'000},
};
constexpr int kClockMs = 60'000;
constexpr int kMaxChartLines = 8;
constexpr int kMessageWidth = 560;

const RangeSpec &spec(UsageView::Range range)
{
    return kRanges[int(range)];
}

QLabel *heading(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setWeight(QFont::DemiBold);
    label->setFont(font);
    return label;
}

QLabel *mutedLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, ConsoleStyle::muted());
    label->setPalette(palette);
    return label;
}

} // namespace

UsageView::UsageView(GatewayConsole *console, QWidget *parent)
    : QWidget(parent)
    , m_console(console)
    , m_rangeSwitch(new SegmentedSwitch({tr("1 h"), tr("24 h"), tr("7 d"), tr("30 d")}, this))
    , m_stackSwitch(new SegmentedSwitch({tr("Model"), tr("Provider")}, this))
    , m_caption(mutedLabel(this))
    , m_spend(new FigureCard(tr("Spend"), this))
    , m_requests(new FigureCard(tr("Requests"), this))
    , m_tokens(new FigureCard(tr("Tokens"), this))
    , m_unpriced(new FigureCard(tr("Unpriced requests"), this))
    , m_pages(new QStackedWidget(this))
    , m_empty(mutedLabel(this))
    , m_spendChart(new UsageChart(UsageChart::Metric::Spend, this))
    , m_tokenChart(new UsageChart(UsageChart::Metric::Tokens, this))
    , m_legend(new QLabel(this))
    , m_unpricedNote(mutedLabel(this))
    , m_models(new UsageRankingModel(tr("Model"), tr("(no model)"), this))
    , m_flows(new UsageRankingModel(tr("Flow"), tr("(no flow)"), this))
    , m_keys(new UsageRankingModel(tr("API key"), tr("(credential)"), this))
{
    m_rangeSwitch->setCurrent(int(m_range));
    m_spendChart->setObjectName(u"spendChart"_s);
    m_tokenChart->setObjectName(u"tokenChart"_s);

    auto *header = new QHBoxLayout;
    header->addWidget(m_caption, 1);
    auto *stackLabel = mutedLabel(this);
    stackLabel->setText(tr("Stack by"));
    header->addWidget(stackLabel);
    header->addWidget(m_stackSwitch);
    header->addSpacing(16);
    header->addWidget(m_rangeSwitch);

    auto *figures = new QHBoxLayout;
    figures->setSpacing(12);
    for (FigureCard *card : {m_spend, m_requests, m_tokens, m_unpriced})
        figures->addWidget(card, 1);

    auto *content = new QWidget(m_pages);
    auto *grid = new QGridLayout(content);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(12);
    grid->setVerticalSpacing(4);
    auto *charts = new QGridLayout;
    charts->setHorizontalSpacing(12);
    charts->addWidget(heading(tr("Spend"), content), 0, 0);
    charts->addWidget(heading(tr("Tokens"), content), 0, 1);
    charts->addWidget(m_spendChart, 1, 0);
    charts->addWidget(m_tokenChart, 1, 1);
    auto *below = new QHBoxLayout;
    below->addWidget(m_legend, 1);
    below->addWidget(m_unpricedNote);
    charts->addLayout(below, 2, 0, 1, 2);
    m_legend->setTextFormat(Qt::RichText);
    m_legend->setWordWrap(true);
    grid->addLayout(charts, 0, 0, 1, 3);
    grid->setRowStretch(0, 3);
    const std::pair<const QString, UsageRankingModel *> tables[] = {
        {tr("Top models"), m_models}, {tr("Top flows"), m_flows}, {tr("Top API keys"), m_keys}};
    int column = 0;
    for (const auto &[title, model] : tables) {
        grid->addWidget(heading(title, content), 1, column);
        grid->addWidget(rankingTable(model), 2, column);
        ++column;
    }
    grid->setRowStretch(2, 2);
    m_pages->addWidget(content);

    // The empty state: a short message in a readable column in the middle.
    auto *emptyPage = new QWidget(m_pages);
    auto *emptyLayout = new QHBoxLayout(emptyPage);
    emptyLayout->addWidget(m_empty);
    m_empty->setParent(emptyPage);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setTextFormat(Qt::RichText);
    m_empty->setMaximumWidth(kMessageWidth);
    m_pages->addWidget(emptyPage);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->setSpacing(12);
    layout->addLayout(header);
    layout->addLayout(figures);
    layout->addWidget(m_pages, 1);

    m_coalesce.setSingleShot(true);
    connect(&m_coalesce, &QTimer::timeout, this, &UsageView::refresh);
    m_clock.setInterval(kClockMs);
    connect(&m_clock, &QTimer::timeout, this, &UsageView::schedule);
    connect(m_rangeSwitch, &SegmentedSwitch::currentChanged, this,
            [this](int index) { setRange(Range(index)); });
    connect(m_stackSwitch, &SegmentedSwitch::currentChanged, this,
            [this](int index) { setStack(Stack(index)); });
    connect(m_console, &GatewayConsole::requestsArrived, this,
            [this](const QList<LiveRequest> &requests) {
                // Only a finished call is in the ledger.
                for (const LiveRequest &request : requests) {
                    if (request.finished)
                        return schedule();
                }
            });
}

void UsageView::setRange(Range range)
{
    m_rangeSwitch->setCurrent(int(range));
    if (range == m_range)
        return;
    m_range = range;
    refresh();
}

void UsageView::setStack(Stack stack)
{
    m_stackSwitch->setCurrent(int(stack));
    if (stack == m_stack)
        return;
    m_stack = stack;
    refresh();
}

void UsageView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_clock.start();
    if (m_stale)
        refresh();
}

void UsageView::schedule()
{
    if (!isVisible()) {
        m_stale = true;
        m_clock.stop();
        return;
    }
    if (!m_coalesce.isActive())
        m_coalesce.start(spec(m_range).minIntervalMs);
}

void UsageView::refresh()
{
    m_coalesce.stop();
    if (m_reading) {
        m_again = true;
        return;
    }
    m_reading = true;
    m_stale = false;
    const RangeSpec &range = spec(m_range);
    UsageFilter filter = UsageFilter::window(QDateTime::currentMSecsSinceEpoch(), range.windowMs);
    const LedgerReport::Dimension by = m_stack == Stack::Model ? LedgerReport::Dimension::Model
                                                               : LedgerReport::Dimension::Provider;
    const LedgerReport::Bucket bucket = range.bucket;
    m_console->read(
        this,
        [filter, by, bucket](const LedgerReport &report,
                             QString *error) -> std::optional<QJsonObject> {
            using D = LedgerReport::Dimension;
            QJsonObject answer;
            const std::pair<const char16_t *, D> tops[] = {
                {u"models", D::Model}, {u"flows", D::Flow}, {u"keys", D::Key}};
            for (const auto &[name, dimension] : tops) {
                const auto summary =
                    report.summary(filter, dimension, LedgerReport::Bucket::None, error);
                if (!summary)
                    return std::nullopt;
                answer.insert(QString::fromUtf16(name), *summary);
            }
            const auto chart = report.summary(filter, by, bucket, error);
            if (!chart)
                return std::nullopt;
            answer.insert(u"chart"_s, *chart);
            return answer;
        },
        [this, from = filter.fromMs, to = filter.toMs, range = m_range,
         stack = m_stack](const QJsonObject &answer, const QString &error) {
            m_reading = false;
            // An answer for switches the operator has changed since is not shown.
            const bool current = range == m_range && stack == m_stack;
            if (!error.isEmpty()) {
                m_caption->setText(tr("Could not read the ledger: %1").arg(error));
                Q_EMIT failed(error);
            } else if (current)
                present(answer, from, to);
            if (std::exchange(m_again, false))
                refresh();
        });
}

void UsageView::present(const QJsonObject &answer, qint64 fromMs, qint64 toMs)
{
    const RangeSpec &range = spec(m_range);
    m_series = UsageSeries::fromSummary(answer.value(u"chart"_s).toObject(), fromMs, toMs,
                                        LedgerReport::bucketLengthMs(range.bucket), kMaxChartLines);
    const QString timeFormat = QString::fromUtf16(range.timeFormat);
    m_spendChart->setSeries(m_series, timeFormat, range.tickMs);
    m_tokenChart->setSeries(m_series, timeFormat, range.tickMs);
    m_models->setGroups(answer.value(u"models"_s).toObject().value(u"groups"_s).toArray());
    m_flows->setGroups(answer.value(u"flows"_s).toObject().value(u"groups"_s).toArray());
    m_keys->setGroups(answer.value(u"keys"_s).toObject().value(u"groups"_s).toArray());
    showTotals(m_series.totals);
    showLegend();
    showUnpricedNote();

    const QStringList ranges{tr("the last hour"), tr("the last 24 hours"), tr("the last 7 days"),
                             tr("the last 30 days")};
    m_caption->setText(
        tr("Usage in %1, updated %2")
            .arg(ranges.at(int(m_range)), QTime::currentTime().toString(QStringLiteral("HH:mm"))));
    const bool empty = m_series.totals.isEmpty();
    // Four zeros say nothing the empty state does not.
    for (FigureCard *card : {m_spend, m_requests, m_tokens, m_unpriced})
        card->setVisible(!empty);
    if (empty) {
        m_empty->setText(
            tr("<p><b>No traffic in %1</b></p><p>Requests to %2 show up here once they "
               "finish. Choose a longer range to look further back.</p>")
                .arg(ranges.at(int(m_range)), m_console->url().toHtmlEscaped()));
        m_pages->setCurrentWidget(m_empty->parentWidget());
    } else {
        m_pages->setCurrentIndex(0);
    }
    Q_EMIT updated();
}

void UsageView::showTotals(const UsageTotals &totals)
{
    const QLocale locale;
    m_spend->setFigure(DisplayText::money(totals.costMicros),
                       totals.unpricedRequests > 0
                           ? tr("+ %n unpriced", nullptr, int(totals.unpricedRequests))
                           : tr("all priced"));
    m_requests->setFigure(locale.toString(totals.requests),
                          totals.errors > 0 ? tr("%n failed or denied", nullptr, int(totals.errors))
                                            : tr("none failed"),
                          totals.errors > 0 ? ConsoleStyle::failure() : QColor());
    m_tokens->setFigure(DisplayText::tokens(totals.totalTokens),
                        tr("%1 in, %2 out")
                            .arg(DisplayText::tokens(totals.promptTokens),
                                 DisplayText::tokens(totals.completionTokens)));
    m_unpriced->setFigure(locale.toString(totals.unpricedRequests),
                          totals.unpricedRequests > 0 ? tr("no price known: not in spend")
                                                      : tr("every request has a price"));
}

void UsageView::showLegend()
{
    // One legend for both charts: a line has the same colour in each.
    QStringList items;
    const QString muted = ConsoleStyle::muted().name();
    for (qsizetype i = 0; i < m_series.lines.size(); ++i) {
        const UsageSeries::Line &line = m_series.lines.at(i);
        if (line.totals.totalTokens == 0 && line.totals.costMicros == 0)
            continue; // draws nothing in either chart (failed calls only)
        const QString name = line.other           ? tr("other")
                             : line.key.isEmpty() ? tr("(none)")
                                                  : line.key;
        QString item = u"<span style='color:%1'>%2</span>&nbsp;%3"_s.arg(
            UsageChart::lineColor(i).name(), QString(QChar(0x25A0)), name.toHtmlEscaped());
        if (line.totals.pricedRequests == 0 && line.totals.unpricedRequests > 0)
            item += u"&nbsp;<span style='color:%1'>%2</span>"_s.arg(muted, tr("(unpriced)"));
        items += item;
    }
    m_legend->setText(items.join(u"&nbsp;&nbsp;&nbsp; "_s));
}

void UsageView::showUnpricedNote()
{
    QStringList keys;
    for (const UsageSeries::Line &line : std::as_const(m_series.lines)) {
        if (line.totals.unpricedRequests > 0 && !line.other)
            keys += line.key.isEmpty() ? tr("(none)") : line.key;
    }
    const qint64 unpriced = m_series.totals.unpricedRequests;
    m_unpricedNote->setVisible(unpriced > 0);
    if (unpriced == 0)
        return;
    const QString count = QLocale().toString(unpriced);
    m_unpricedNote->setText(
        keys.isEmpty() ? tr("Not in spend: %1 unpriced").arg(count)
                       : tr("Not in spend: %1 unpriced (%2)").arg(count, keys.join(u", "_s)));
}

QTableView *UsageView::rankingTable(UsageRankingModel *model)
{
    auto *table = new QTableView(this);
    table->setModel(model);
    table->verticalHeader()->hide();
    table->setShowGrid(false);
    table->setAlternatingRowColors(true);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setWordWrap(false);
    table->setTextElideMode(Qt::ElideMiddle);
    table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    QHeaderView *columns = table->horizontalHeader();
    columns->setHighlightSections(false);
    columns->setSectionResizeMode(UsageRankingModel::Name, QHeaderView::Stretch);
    for (int column = UsageRankingModel::Requests; column < UsageRankingModel::ColumnCount;
         ++column)
        columns->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    return table;
}
