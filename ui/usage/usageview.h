#pragma once

#include "usageseries.h"

#include <QTimer>
#include <QWidget>

class FigureCard;
class GatewayConsole;
class QLabel;
class QStackedWidget;
class QTableView;
class SegmentedSwitch;
class UsageChart;
class UsageRankingModel;

// Where the money and the tokens went: spend and tokens over time stacked by model or provider
// for the last hour, day, week or month, the range's totals, and the top flows, keys and models.
// Everything is read from the ledger on the reader thread; it follows new traffic, coalesced.
class UsageView : public QWidget
{
    Q_OBJECT
public:
    enum class Range
    {
        LastHour,
        LastDay,
        LastWeek,
        LastMonth
    };
    enum class Stack
    {
        Model,
        Provider
    };

    explicit UsageView(GatewayConsole *console, QWidget *parent = nullptr);

    Range range() const { return m_range; }
    void setRange(Range range); // reads the new range at once
    Stack stack() const { return m_stack; }
    void setStack(Stack stack);

    // What is on screen, from the last answer.
    const UsageSeries &series() const { return m_series; }
    UsageRankingModel *topModels() const { return m_models; }
    UsageRankingModel *topFlows() const { return m_flows; }
    UsageRankingModel *topKeys() const { return m_keys; }

public Q_SLOTS:
    // Reads the range now; while a read runs, once more after it.
    void refresh();

Q_SIGNALS:
    void updated(); // a fresh answer is on screen
    void failed(const QString &error);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void schedule();
    void present(const QJsonObject &answer, qint64 fromMs, qint64 toMs);
    void showTotals(const UsageTotals &totals);
    void showLegend();
    void showUnpricedNote();
    QTableView *rankingTable(UsageRankingModel *model);

    GatewayConsole *m_console;
    Range m_range = Range::LastDay;
    Stack m_stack = Stack::Model;
    UsageSeries m_series;
    bool m_reading = false;
    bool m_again = false; // something moved while reading
    bool m_stale = true;  // something moved while hidden
    QTimer m_coalesce;
    QTimer m_clock; // slides the window when nothing happens

    SegmentedSwitch *m_rangeSwitch;
    SegmentedSwitch *m_stackSwitch;
    QLabel *m_caption;
    FigureCard *m_spend;
    FigureCard *m_requests;
    FigureCard *m_tokens;
    FigureCard *m_unpriced;
    QStackedWidget *m_pages;
    QLabel *m_empty;
    UsageChart *m_spendChart;
    UsageChart *m_tokenChart;
    QLabel *m_legend;
    QLabel *m_unpricedNote;
    UsageRankingModel *m_models;
    UsageRankingModel *m_flows;
    UsageRankingModel *m_keys;
};
