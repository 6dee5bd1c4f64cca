#include "sessionsview.h"

#include "admin/adminreply.h"
#include "common/consolestyle.h"
#include "common/displaytext.h"
#include "common/segmentedswitch.h"
#include "executionlistmodel.h"
#include "gatewayconsole.h"
#include "ledger/ledgerreport.h"
#include "sessiontreemodel.h"
#include "timelinemodel.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QPointer>
#include <QSet>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

constexpr int kCoalesceMs = 1000;
constexpr int kClockMs = 15'000;
// Totals and timelines look back at most this far: every read stays bounded.
constexpr qint64 kMaxLookBackMs = 30LL * 24 * 3600 * 1000;
// A usage row's start and its session's first sight are taken at slightly different moments.
constexpr qint64 kSlackMs = 60'000;
// A call whose end never came (a lost batch) stops counting as in flight after this.
constexpr qint64 kForgetInFlightMs = 6LL * 3600 * 1000;

constexpr int kMessageWidth = 560;

QLabel *placeholder(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setAlignment(Qt::AlignCenter);
    label->setWordWrap(true);
    label->setTextFormat(Qt::RichText);
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, ConsoleStyle::muted());
    label->setPalette(palette);
    return label;
}

// An empty state: a short message in a readable column in the middle of the page.
QWidget *emptyPage(const QString &text, QWidget *parent)
{
    auto *page = new QWidget(parent);
    auto *layout = new QHBoxLayout(page);
    QLabel *label = placeholder(text, page);
    label->setMaximumWidth(kMessageWidth);
    layout->addWidget(label);
    return page;
}

void configure(QAbstractItemView *view)
{
    view->setAlternatingRowColors(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setTextElideMode(Qt::ElideMiddle);
}

// Column widths from what the columns hold, so that numbers line up without measuring rows.
void sizeColumns(QHeaderView *header, const QList<QString> &samples)
{
    const QFontMetrics metrics(header->font());
    for (int column = 0; column < samples.size(); ++column) {
        const QString title = header->model()->headerData(column, Qt::Horizontal).toString();
        header->resizeSection(column, std::max(metrics.horizontalAdvance(title),
                                               metrics.horizontalAdvance(samples.at(column))) +
                                          24);
    }
}

} // namespace

SessionsView::SessionsView(GatewayConsole *console, QWidget *parent)
    : QWidget(parent)
    , m_console(console)
    , m_scopeSwitch(new SegmentedSwitch({tr("Runtime sessions"), tr("Flow executions")}, this))
    , m_caption(new QLabel(this))
    , m_lists(new QStackedWidget(this))
    , m_tree(new QTreeView(this))
    , m_executionTable(table())
    , m_noSessions(emptyPage(
          tr("<p><b>No runtime sessions in the last day</b></p><p>Agents that call %1 show up "
             "here, sub-agents under their session. Claude Code and Codex are recognised by "
             "their credentials. Other clients name their session with the header<br>"
             "<tt>X-Gatehouse-Session-Id</tt></p>")
              .arg(console->url().toHtmlEscaped()),
          this))
    , m_noExecutions(emptyPage(
          tr("<p><b>No flow executions in the last day</b></p><p>Run a job with "
             "<tt>gatehouse exec</tt>, or open one through the admin API, to see it here.</p>"),
          this))
    , m_timelinePanel(new QWidget(this))
    , m_timelineTitle(new QLabel(this))
    , m_timelineSummary(new QLabel(this))
    , m_timelinePages(new QStackedWidget(this))
    , m_timelineTable(table())
    , m_timelineHint(placeholder(QString(), this))
    , m_sessions(new SessionTreeModel(this))
    , m_executions(new ExecutionListModel(this))
    , m_timeline(new TimelineModel(this))
{
    QPalette muted = m_caption->palette();
    muted.setColor(QPalette::WindowText, ConsoleStyle::muted());
    m_caption->setPalette(muted);
    m_timelineSummary->setPalette(muted);
    m_timelineSummary->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    QFont bold = m_timelineTitle->font();
    bold.setWeight(QFont::DemiBold);
    m_timelineTitle->setFont(bold);
    m_timelineTitle->setTextFormat(Qt::PlainText);

    m_tree->setModel(m_sessions);
    configure(m_tree);
    m_tree->setUniformRowHeights(true);
    // The same row height as the tables below.
    m_tree->setStyleSheet(u"QTreeView::item { padding: 3px 0px; }"_s);
    m_tree->setAllColumnsShowFocus(true);
    // The session's name takes what the figures leave: every column stays on screen.
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tree->header()->setSectionsMovable(false);
    m_tree->header()->setHighlightSections(false);
    sizeColumns(m_tree->header(),
                {u"5f0c6f6e-1111-4222-8333-944445555666  "_s, u"claude-code · reviewer"_s,
                 u"nightly-review"_s, DisplayText::time(QDateTime::currentMSecsSinceEpoch()),
                 u"59 min 59 s"_s, u"99,999"_s, u"999.9k"_s, u"$9,999.99 + 99 unpriced"_s,
                 u"closed"_s});
    m_executionTable->setModel(m_executions);
    m_executionTable->horizontalHeader()->setStretchLastSection(false);
    m_executionTable->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    sizeColumns(m_executionTable->horizontalHeader(),
                {u"codex exec --full-auto fix the flaky test"_s, u"nightly-review"_s,
                 u"claude-code"_s, DisplayText::time(QDateTime::currentMSecsSinceEpoch()),
                 u"59 min 59 s"_s, u"99,999"_s, u"999.9k"_s, u"$9,999.99 + 99 unpriced"_s,
                 u"failed (exit 255)"_s});
    m_timelineTable->setModel(m_timeline);
    // Names get the room; figures stay next to each other.
    m_timelineTable->horizontalHeader()->setStretchLastSection(false);
    m_timelineTable->horizontalHeader()->setSectionResizeMode(TimelineModel::Session,
                                                              QHeaderView::Stretch);
    sizeColumns(m_timelineTable->horizontalHeader(),
                {DisplayText::time(QDateTime::currentMSecsSinceEpoch()),
                 u"5f0c6f6e-1111-4222-8333-9444"_s, u"claude-sonnet-4-5"_s, u"429 budget_denied"_s,
                 u"999.9k"_s, u"999.9k"_s, u"$0.000125"_s, u"59.9 s"_s});
    m_timeline->setSessionName([this](const QString &id) {
        const SessionTreeModel::Session *session = m_sessions->session(id);
        return session ? SessionTreeModel::displayName(*session) : id;
    });

    m_lists->addWidget(m_tree);
    m_lists->addWidget(m_noSessions);
    m_lists->addWidget(m_executionTable);
    m_lists->addWidget(m_noExecutions);
    showList();

    m_timelinePages->addWidget(m_timelineTable);
    m_timelinePages->addWidget(m_timelineHint);

    auto *header = new QHBoxLayout;
    header->addWidget(m_scopeSwitch);
    header->addSpacing(12);
    header->addWidget(m_caption);
    header->addStretch(1);

    auto *belowLayout = new QVBoxLayout(m_timelinePanel);
    belowLayout->setContentsMargins(0, 8, 0, 0);
    belowLayout->setSpacing(6);
    auto *titleRow = new QHBoxLayout;
    titleRow->addWidget(m_timelineTitle, 1);
    titleRow->addWidget(m_timelineSummary);
    belowLayout->addLayout(titleRow);
    belowLayout->addWidget(m_timelinePages, 1);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(m_lists);
    splitter->addWidget(m_timelinePanel);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->setSpacing(10);
    layout->addLayout(header);
    layout->addWidget(splitter, 1);

    chosenChanged({});

    m_coalesce.setSingleShot(true);
    m_coalesce.setInterval(kCoalesceMs);
    connect(&m_coalesce, &QTimer::timeout, this, &SessionsView::refresh);
    m_clock.setInterval(kClockMs);
    connect(&m_clock, &QTimer::timeout, this, &SessionsView::schedule);
    connect(m_scopeSwitch, &SegmentedSwitch::currentChanged, this,
            [this](int index) { setScope(Scope(index)); });
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                chosenChanged(current.data(SessionTreeModel::IdRole).toString());
            });
    connect(m_executionTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                chosenChanged(current.data(ExecutionListModel::IdRole).toString());
            });
    connect(m_console, &GatewayConsole::requestsArrived, this, &SessionsView::track);
    connect(m_console, &GatewayConsole::stateChanged, this, &SessionsView::schedule);
}

QTableView *SessionsView::table()
{
    auto *view = new QTableView(this);
    configure(view);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    view->setShowGrid(false);
    view->setWordWrap(false);
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setHighlightSections(false);
    return view;
}

void SessionsView::setScope(Scope scope)
{
    m_scopeSwitch->setCurrent(int(scope));
    if (scope == m_scope)
        return;
    m_scope = scope;
    const bool sessions = scope == Scope::Sessions;
    showList();
    const QModelIndex current =
        sessions ? m_tree->currentIndex() : m_executionTable->currentIndex();
    chosenChanged(current.data(Qt::UserRole).toString());
    refresh();
}

void SessionsView::choose(const QString &id)
{
    if (m_scope == Scope::Sessions) {
        const QModelIndex index = m_sessions->indexOf(id);
        if (!index.isValid())
            return;
        for (QModelIndex above = index.parent(); above.isValid(); above = above.parent())
            m_tree->expand(above);
        m_tree->setCurrentIndex(index);
        m_tree->scrollTo(index);
    } else {
        const int row = m_executions->rowOf(id);
        if (row < 0)
            return;
        m_executionTable->setCurrentIndex(m_executions->index(row, 0));
        m_executionTable->scrollTo(m_executions->index(row, 0));
    }
}

void SessionsView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_clock.start();
    if (m_stale)
        refresh();
}

void SessionsView::track(const QList<LiveRequest> &requests)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const LiveRequest &request : requests) {
        if (request.finished)
            m_inFlight.remove(request.requestId);
        else
            m_inFlight.insert(request.requestId, {request.runtimeSession, request.startedAtMs});
    }
    m_inFlight.removeIf([now](const QHash<QByteArray, InFlight>::iterator &it) {
        return now - it->startedAtMs > kForgetInFlightMs;
    });
    schedule();
}

void SessionsView::schedule()
{
    if (!isVisible()) {
        m_stale = true;
        m_clock.stop();
        return;
    }
    if (!m_coalesce.isActive())
        m_coalesce.start();
}

void SessionsView::refresh()
{
    m_coalesce.stop();
    if (m_reading) {
        m_again = true;
        return;
    }
    m_reading = true;
    m_stale = false;
    const QPointer<SessionsView> self(this);
    m_console->call("GET", u"sessions"_s, {}, [self](const AdminReply &sessions) {
        if (!self)
            return;
        if (sessions.failed()) {
            self->fail(sessions.error);
            return self->finishRead();
        }
        self->m_console->call("GET", u"executions"_s, {},
                              [self, list = sessions.body.toArray()](const AdminReply &executions) {
                                  if (!self)
                                      return;
                                  if (executions.failed()) {
                                      self->fail(executions.error);
                                      return self->finishRead();
                                  }
                                  self->readTotals(list, executions.body.toArray());
                              });
    });
}

void SessionsView::readTotals(const QJsonArray &sessions, const QJsonArray &executions)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    qint64 from = now;
    for (const QJsonValue &session : sessions)
        from = std::min(from, session.toObject().value(u"firstSeenMs"_s).toInteger(now));
    for (const QJsonValue &execution : executions)
        from = std::min(from, execution.toObject().value(u"startedAtMs"_s).toInteger(now));
    UsageFilter filter;
    filter.toMs = now + 1;
    filter.fromMs = std::max(from - kSlackMs, now - kMaxLookBackMs);
    m_console->read(
        this,
        [filter](const LedgerReport &report, QString *error) -> std::optional<QJsonObject> {
            using D = LedgerReport::Dimension;
            const auto bySession =
                report.summary(filter, D::Session, LedgerReport::Bucket::None, error);
            if (!bySession)
                return std::nullopt;
            const auto byExecution =
                report.summary(filter, D::Execution, LedgerReport::Bucket::None, error);
            if (!byExecution)
                return std::nullopt;
            return QJsonObject{{u"sessions"_s, bySession->value(u"groups"_s)},
                               {u"executions"_s, byExecution->value(u"groups"_s)}};
        },
        [this, sessions, executions, now](const QJsonObject &totals, const QString &error) {
            if (error.isEmpty())
                present(sessions, executions, totals, now);
            else
                fail(error);
            finishRead();
        });
}

void SessionsView::fail(const QString &error)
{
    m_caption->setText(tr("Could not read the gateway: %1").arg(error));
    m_caption->setVisible(true);
    Q_EMIT failed(error);
}

void SessionsView::finishRead()
{
    m_reading = false;
    if (std::exchange(m_again, false))
        schedule();
}

void SessionsView::present(const QJsonArray &sessions, const QJsonArray &executions,
                           const QJsonObject &totals, qint64 nowMs)
{
    const auto byKey = [&](const char16_t *name) {
        QHash<QString, UsageTotals> map;
        for (const QJsonValue &value : totals.value(QString::fromUtf16(name)).toArray()) {
            const QJsonObject group = value.toObject();
            map.insert(group.value(u"key"_s).toString(), UsageTotals::fromJson(group));
        }
        return map;
    };
    const QHash<QString, UsageTotals> sessionTotals = byKey(u"sessions");
    const QHash<QString, UsageTotals> executionTotals = byKey(u"executions");

    QList<ExecutionListModel::Entry> runs;
    QSet<QString> ended;
    int running = 0;
    for (const QJsonValue &value : executions) {
        ExecutionListModel::Entry entry =
            ExecutionListModel::Entry::fromJson(value.toObject(), nowMs);
        entry.totals = executionTotals.value(entry.id);
        if (entry.state == Activity::Running)
            ++running;
        else
            ended.insert(entry.id);
        runs.append(entry);
    }
    QSet<QString> inFlight;
    for (const InFlight &call : std::as_const(m_inFlight))
        inFlight.insert(call.session);
    const qint64 idleMs = m_console->configuration().identity.sessionIdleMs;
    QList<SessionTreeModel::Session> list;
    int active = 0;
    for (const QJsonValue &value : sessions) {
        SessionTreeModel::Session session = SessionTreeModel::Session::fromJson(value.toObject());
        session.own = sessionTotals.value(session.id);
        session.state = Activity::ofSession(inFlight.contains(session.id), session.lastSeenMs,
                                            nowMs, idleMs, ended.contains(session.execution));
        if (session.state == Activity::Active)
            ++active;
        list.append(session);
    }
    m_sessions->setSessions(list);
    m_executions->setEntries(runs);

    const bool showSessions = m_scope == Scope::Sessions;
    showList();
    const QLocale locale;
    m_caption->setText(showSessions
                           ? tr("Sessions in the last day: %1 · active: %2")
                                 .arg(locale.toString(list.size()), locale.toString(active))
                           : tr("Flow executions: %1 · running: %2")
                                 .arg(locale.toString(runs.size()), locale.toString(running)));
    Q_EMIT updated();
    // The chosen scope may have moved too (or be gone).
    const bool known = showSessions ? m_sessions->session(m_chosen) != nullptr
                                    : m_executions->rowOf(m_chosen) >= 0;
    if (known)
        readTimeline();
    else if (!m_chosen.isEmpty())
        chosenChanged({});
}

void SessionsView::showList()
{
    const bool sessions = m_scope == Scope::Sessions;
    const bool empty = sessions ? m_sessions->rowCount() == 0 : m_executions->rowCount() == 0;
    m_lists->setCurrentWidget(sessions ? (empty ? m_noSessions : m_tree)
                                       : (empty ? m_noExecutions : m_executionTable));
    // With nothing to choose, the timeline and the counts only repeat the empty state.
    m_timelinePanel->setVisible(!empty);
    m_caption->setVisible(!empty);
}

void SessionsView::chosenChanged(const QString &id)
{
    m_chosen = id;
    ++m_timelineRead;
    if (id.isEmpty()) {
        m_timeline->setEntries({});
        m_timelineTotals = {};
        m_timelineTitle->setText(tr("Requests"));
        m_timelineSummary->clear();
        m_timelineHint->setText(m_scope == Scope::Sessions
                                    ? tr("Choose a session to see its requests.")
                                    : tr("Choose an execution to see its requests."));
        m_timelinePages->setCurrentWidget(m_timelineHint);
        return;
    }
    readTimeline();
}

void SessionsView::readTimeline()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    UsageFilter filter;
    filter.toMs = now + 1;
    filter.limit = kTimelineRows;
    filter.descending = true;
    qint64 from = now;
    if (m_scope == Scope::Sessions) {
        filter.session = m_chosen;
        if (const SessionTreeModel::Session *session = m_sessions->session(m_chosen))
            from = session->firstSeenMs;
    } else {
        filter.execution = m_chosen;
        const int row = m_executions->rowOf(m_chosen);
        if (row >= 0)
            from = m_executions->entries().at(row).startedAtMs;
    }
    filter.fromMs = std::max(from - kSlackMs, now - kMaxLookBackMs);
    const quint64 read = ++m_timelineRead;
    m_console->read(
        this,
        [filter](const LedgerReport &report, QString *error) -> std::optional<QJsonObject> {
            const auto rows = report.rows(filter, false, error);
            if (!rows)
                return std::nullopt;
            const auto summary = report.summary(filter, LedgerReport::Dimension::None,
                                                LedgerReport::Bucket::None, error);
            if (!summary)
                return std::nullopt;
            return QJsonObject{{u"rows"_s, rows->value(u"rows"_s)},
                               {u"totals"_s, summary->value(u"totals"_s)}};
        },
        [this, read](const QJsonObject &answer, const QString &error) {
            if (read != m_timelineRead)
                return;
            if (!error.isEmpty())
                return fail(error);
            presentTimeline(answer);
        });
}

void SessionsView::presentTimeline(const QJsonObject &answer)
{
    QList<TimelineModel::Entry> entries;
    for (const QJsonValue &row : answer.value(u"rows"_s).toArray())
        entries.append(TimelineModel::Entry::fromJson(row.toObject()));
    m_timeline->setEntries(entries);
    m_timelineTotals = UsageTotals::fromJson(answer.value(u"totals"_s).toObject());

    const bool sessions = m_scope == Scope::Sessions;
    if (sessions) {
        const SessionTreeModel::Session *session = m_sessions->session(m_chosen);
        const QString name = session ? SessionTreeModel::displayName(*session) : m_chosen;
        const bool children = m_sessions->rowCount(m_sessions->indexOf(m_chosen)) > 0;
        m_timelineTitle->setText(children ? tr("Requests of %1 and its sub-agents").arg(name)
                                          : tr("Requests of %1").arg(name));
    } else {
        const int row = m_executions->rowOf(m_chosen);
        const QString name =
            row >= 0 ? m_executions->data(m_executions->index(row, 0)).toString() : m_chosen;
        m_timelineTitle->setText(tr("Requests of %1").arg(name));
    }
    const QLocale locale;
    QString summary =
        tr("Requests: %1 · tokens: %2 · cost: %3")
            .arg(locale.toString(m_timelineTotals.requests),
                 DisplayText::tokens(m_timelineTotals.totalTokens), m_timelineTotals.costText());
    if (m_timelineTotals.errors > 0)
        summary =
            tr("%1 · failed or denied: %2").arg(summary, locale.toString(m_timelineTotals.errors));
    if (m_timelineTotals.requests > entries.size())
        summary = tr("%1 (the latest %2 shown)").arg(summary, locale.toString(entries.size()));
    m_timelineSummary->setText(summary);
    if (entries.isEmpty()) {
        m_timelineHint->setText(sessions ? tr("No requests of this session in the ledger yet.")
                                         : tr("No requests of this execution in the ledger yet."));
        m_timelinePages->setCurrentWidget(m_timelineHint);
    } else {
        m_timelinePages->setCurrentWidget(m_timelineTable);
    }
    Q_EMIT timelineUpdated();
}
