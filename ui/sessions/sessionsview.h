#pragma once

#include "usage/usagetotals.h"

#include <QHash>
#include <QJsonArray>
#include <QTimer>
#include <QWidget>

class ExecutionListModel;
class GatewayConsole;
class QLabel;
class QStackedWidget;
class QTableView;
class QTreeView;
class SegmentedSwitch;
class SessionTreeModel;
class TimelineModel;
struct LiveRequest;

// Who has been working: runtime sessions with their sub-agents as a tree, or flow executions,
// with totals, duration and status; choosing one shows its requests (newest first) and their
// totals below. Follows the gateway as things move, at most once a second, keeping the
// selection and the expansion.
class SessionsView : public QWidget
{
    Q_OBJECT
public:
    enum class Scope
    {
        Sessions,
        Executions
    };
    // The timeline shows at most this many requests (its totals count them all).
    static constexpr int kTimelineRows = 500;

    explicit SessionsView(GatewayConsole *console, QWidget *parent = nullptr);

    Scope scope() const { return m_scope; }
    void setScope(Scope scope);
    // Selects a session or an execution (of the current scope) and shows its timeline.
    void choose(const QString &id);
    QString chosen() const { return m_chosen; }

    SessionTreeModel *sessions() const { return m_sessions; }
    ExecutionListModel *executions() const { return m_executions; }
    TimelineModel *timeline() const { return m_timeline; }
    // The chosen scope's totals over all its requests, from the ledger.
    const UsageTotals &timelineTotals() const { return m_timelineTotals; }

public Q_SLOTS:
    // Reads sessions, executions and their totals now; while a read runs, once more after it.
    void refresh();

Q_SIGNALS:
    void updated();         // the lists show a fresh answer
    void timelineUpdated(); // the timeline shows a fresh answer for chosen()
    void failed(const QString &error);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void schedule();
    void track(const QList<LiveRequest> &requests);
    void readTotals(const QJsonArray &sessions, const QJsonArray &executions);
    void present(const QJsonArray &sessions, const QJsonArray &executions,
                 const QJsonObject &totals, qint64 nowMs);
    void showList(); // the current scope's list, or its empty state
    void chosenChanged(const QString &id);
    void readTimeline();
    void presentTimeline(const QJsonObject &answer);
    void fail(const QString &error); // says so on the page, and emits failed
    void finishRead();
    QTableView *table();

    GatewayConsole *m_console;
    Scope m_scope = Scope::Sessions;
    QString m_chosen;
    UsageTotals m_timelineTotals;
    quint64 m_timelineRead = 0; // answers for an earlier choice are dropped
    bool m_reading = false;
    bool m_again = false;
    bool m_stale = true;
    QTimer m_coalesce;
    QTimer m_clock; // statuses age without traffic
    struct InFlight
    {
        QString session;
        qint64 startedAtMs = 0;
    };
    QHash<QByteArray, InFlight> m_inFlight;

    SegmentedSwitch *m_scopeSwitch;
    QLabel *m_caption;
    QStackedWidget *m_lists;
    QTreeView *m_tree;
    QTableView *m_executionTable;
    QWidget *m_noSessions;
    QWidget *m_noExecutions;
    QWidget *m_timelinePanel;
    QLabel *m_timelineTitle;
    QLabel *m_timelineSummary;
    QStackedWidget *m_timelinePages;
    QTableView *m_timelineTable;
    QLabel *m_timelineHint;
    SessionTreeModel *m_sessions;
    ExecutionListModel *m_executions;
    TimelineModel *m_timeline;
};
