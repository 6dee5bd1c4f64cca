// The Sessions page on a running gateway with real traffic: Claude Code sub-agents shown as
// child sessions, a session's timeline holding exactly its requests and its sub-agents', totals
// equal to the ledger's, unpriced requests said as such, selection and expansion kept across
// refreshes that come at most once a second, flow executions with their timelines, and
// QAbstractItemModelTester on every model throughout. Saves screenshots.
#include "common/consolestyle.h"
#include "gatewayconsole.h"
#include "gatewayfixture.h"
#include "requestbodies.h"
#include "screenshot.h"
#include "sessions/executionlistmodel.h"
#include "sessions/sessionsview.h"
#include "sessions/sessiontreemodel.h"
#include "sessions/timelinemodel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QTreeView>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

constexpr int kWaitMs = 15'000;
const QByteArray kClaudeSession = "5f0c6f6e-1111-4222-8333-944445555666";

QSet<QString> timelineIds(const TimelineModel &model)
{
    QSet<QString> ids;
    for (const TimelineModel::Entry &entry : model.entries())
        ids.insert(entry.requestId);
    return ids;
}

} // namespace

class TestSessionsView : public QObject
{
    Q_OBJECT

    GatewayFixture m_fixture;
    std::unique_ptr<GatewayConsole> m_console;
    std::unique_ptr<SessionsView> m_view;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> m_testers;
    QByteArray m_claudeToken;
    QString m_parent; // the Claude Code session
    QString m_child;  // its sub-agent
    QString m_execution;

    QByteArray mint(const QJsonObject &request)
    {
        const auto response = m_fixture.admin("POST", "/admin/v1/credentials", request);
        if (!response || response->status != 201)
            return {};
        return GatewayFixture::json(*response).value(u"token"_s).toString().toLatin1();
    }
    // A Claude Code call (Anthropic Messages) as the main conversation or as a sub-agent.
    QVariantMap claude(const QString &model, const QByteArray &agent = {})
    {
        QByteArray headers = "x-claude-code-session-id: " + kClaudeSession + "\r\n";
        if (!agent.isEmpty())
            headers += "x-claude-code-agent-id: " + agent + "\r\n";
        const auto response = m_fixture.call(
            "POST", "/anthropic/v1/messages",
            RequestBodies::message(model, u"refactor the parser"_s, 64), m_claudeToken, headers);
        if (!response || response->status != 200)
            return {};
        return m_fixture.ledgerRow(*response);
    }
    QVariantMap chat(const QString &model, const QByteArray &bearer, const QByteArray &headers)
    {
        const auto response =
            m_fixture.call("POST", "/openai/v1/chat/completions",
                           RequestBodies::chat(model, u"summarise the change"_s), bearer, headers);
        if (!response)
            return {};
        return m_fixture.ledgerRow(*response);
    }
    // The ledger's own figures for some sessions or one execution.
    QVariantMap ledgerTotals(const QString &where, const QVariantList &values)
    {
        return m_fixture.ledger()
            .query(u"SELECT COUNT(*) AS requests, COALESCE(SUM(total_tokens), 0) AS tokens, "
                   "COALESCE(SUM(cost_micros), 0) AS cost, COUNT(*) - COUNT(cost_micros) AS "
                   "unpriced FROM usage WHERE "_s +
                       where,
                   values)
            .value(0);
    }
    QSet<QString> ledgerIds(const QString &where, const QVariantList &values)
    {
        QSet<QString> ids;
        for (const QVariantMap &row :
             m_fixture.ledger().query(u"SELECT request_id FROM usage WHERE "_s + where, values))
            ids.insert(row.value(u"request_id"_s).toString());
        return ids;
    }
    QTreeView *tree() const { return m_view->findChild<QTreeView *>(); }

private Q_SLOTS:
    void initTestCase()
    {
        ConsoleStyle::apply(*qApp);
        QString error;
        QVERIFY2(m_fixture.start(&error), qPrintable(error));
        m_console = std::make_unique<GatewayConsole>(m_fixture.gateway());
        m_view = std::make_unique<SessionsView>(m_console.get());
        for (QAbstractItemModel *model : std::initializer_list<QAbstractItemModel *>{
                 m_view->sessions(), m_view->executions(), m_view->timeline()})
            m_testers.push_back(std::make_unique<QAbstractItemModelTester>(
                model, QAbstractItemModelTester::FailureReportingMode::QtTest));
        m_view->resize(1280, 800);
        m_view->show();
        m_claudeToken = mint({{u"principal"_s, u"claude-code"_s}});
        QVERIFY(!m_claudeToken.isEmpty());
    }

    void cleanupTestCase()
    {
        m_testers.clear();
        m_view.reset();
        m_console.reset();
    }

    void emptyStateSaysWhatToDo()
    {
        QSignalSpy updated(m_view.get(), &SessionsView::updated);
        m_view->refresh();
        QVERIFY(updated.wait(kWaitMs));
        QCOMPARE(m_view->sessions()->rowCount(), 0);
        QVERIFY(!tree()->isVisible());
        Screenshot::save(m_view.get(), u"sessions-empty"_s);
    }

    void subAgentIsAChildAndTheTimelineHoldsExactlyTheSession()
    {
        const QVariantMap first = claude(u"claude-sonnet-4-5"_s);
        const QVariantMap second = claude(u"claude-haiku-4-5"_s);
        const QVariantMap agent = claude(u"claude-haiku-4-5"_s, "agent-7");
        QVERIFY(!first.isEmpty() && !second.isEmpty() && !agent.isEmpty());
        // The sub-agent also asks a model without a price.
        const QVariantMap unpriced = chat(u"mystery"_s, m_claudeToken,
                                          "x-claude-code-session-id: " + kClaudeSession +
                                              "\r\nx-claude-code-agent-id: agent-7\r\n");
        QCOMPARE(unpriced.value(u"cost_micros"_s).isNull(), true);
        // Someone else's session, which must stay out of the timeline.
        const QVariantMap other = chat(u"fast"_s, {}, "X-Gatehouse-Session-Id: docs-bot\r\n");
        m_parent = first.value(u"runtime_session"_s).toString();
        m_child = agent.value(u"runtime_session"_s).toString();
        QCOMPARE(second.value(u"runtime_session"_s).toString(), m_parent);
        QCOMPARE(unpriced.value(u"runtime_session"_s).toString(), m_child);
        QVERIFY(m_parent != m_child);

        // The tree shows the sub-agent under its session, with the ledger's totals.
        SessionTreeModel *model = m_view->sessions();
        QTRY_VERIFY_WITH_TIMEOUT(model->totals(m_parent).requests == 4, kWaitMs);
        const QModelIndex parent = model->indexOf(m_parent);
        const QModelIndex child = model->indexOf(m_child);
        QVERIFY(child.isValid());
        QCOMPARE(child.parent(), parent);
        QVERIFY(!parent.parent().isValid());
        QCOMPARE(model->index(child.row(), SessionTreeModel::Name, parent).data().toString(),
                 u"sub-agent agent-7"_s);
        QCOMPARE(model->index(parent.row(), SessionTreeModel::Runtime).data().toString(),
                 u"claude-code"_s);
        QVERIFY(tree()->isVisible());

        const QString both = u"runtime_session IN (?, ?)"_s;
        const QVariantMap ledger = ledgerTotals(both, {m_parent, m_child});
        const UsageTotals totals = model->totals(m_parent);
        QCOMPARE(totals.requests, ledger.value(u"requests"_s).toLongLong());
        QCOMPARE(totals.totalTokens, ledger.value(u"tokens"_s).toLongLong());
        QCOMPARE(totals.costMicros, ledger.value(u"cost"_s).toLongLong());
        QCOMPARE(totals.unpricedRequests, 1);
        QVERIFY(totals.costMicros > 0);
        QCOMPARE(model->index(parent.row(), SessionTreeModel::Cost).data().toString(),
                 totals.costText());
        QVERIFY(totals.costText().endsWith(u" + 1 unpriced"_s));
        QCOMPARE(model->index(child.row(), SessionTreeModel::Requests, parent).data().toString(),
                 u"2"_s);

        // Choosing the session shows exactly its requests and its sub-agent's, newest first.
        QSignalSpy timelineUpdated(m_view.get(), &SessionsView::timelineUpdated);
        m_view->choose(m_parent);
        QCOMPARE(m_view->chosen(), m_parent);
        QTRY_COMPARE_WITH_TIMEOUT(timelineIds(*m_view->timeline()),
                                  ledgerIds(both, {m_parent, m_child}), kWaitMs);
        QVERIFY(
            !timelineIds(*m_view->timeline()).contains(other.value(u"request_id"_s).toString()));
        const QList<TimelineModel::Entry> &entries = m_view->timeline()->entries();
        for (qsizetype i = 1; i < entries.size(); ++i)
            QVERIFY(entries.at(i - 1).startedAtMs >= entries.at(i).startedAtMs);
        QCOMPARE(m_view->timelineTotals(), totals);
        QCOMPARE(m_view->timeline()
                     ->index(int(entries.size()) - 1, TimelineModel::Model)
                     .data()
                     .toString(),
                 u"claude-sonnet-4-5"_s);

        // The sub-agent alone: its two requests.
        m_view->choose(m_child);
        QTRY_COMPARE_WITH_TIMEOUT(timelineIds(*m_view->timeline()),
                                  ledgerIds(u"runtime_session = ?"_s, {m_child}), kWaitMs);
        QCOMPARE(m_view->timeline()->rowCount(), 2);
        QCOMPARE(m_view->timelineTotals().unpricedRequests, 1);
        const int unpricedRow = m_view->timeline()->entries().first().requestId ==
                                        unpriced.value(u"request_id"_s).toString()
                                    ? 0
                                    : 1;
        QCOMPARE(m_view->timeline()->index(unpricedRow, TimelineModel::Cost).data().toString(),
                 u"unpriced"_s);
    }

    void refreshesKeepSelectionAndExpansionAndAreCoalesced()
    {
        QVERIFY(!m_child.isEmpty());
        m_view->choose(m_child);
        QTRY_COMPARE_WITH_TIMEOUT(m_view->timeline()->rowCount(), 2, kWaitMs);
        const QPersistentModelIndex child = m_view->sessions()->indexOf(m_child);
        QVERIFY(tree()->isExpanded(child.parent()));
        QSignalSpy updated(m_view.get(), &SessionsView::updated);
        QSignalSpy removed(m_view->sessions(), &QAbstractItemModel::rowsRemoved);
        QElapsedTimer clock;
        clock.start();
        for (int i = 0; i < 8; ++i)
            QVERIFY(!claude(u"claude-haiku-4-5"_s, "agent-7").isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(m_view->timeline()->rowCount(), 10, kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(m_view->sessions()->totals(m_parent).requests, 12, kWaitMs);
        // At most one refresh a second (and the one that was due when the burst began).
        QVERIFY2(updated.size() <= clock.elapsed() / 1000 + 2,
                 qPrintable(u"%1 refreshes in %2 ms"_s.arg(updated.size()).arg(clock.elapsed())));
        QCOMPARE(removed.size(), 0);
        QVERIFY(child.isValid());
        QCOMPARE(tree()->currentIndex().siblingAtColumn(0), QModelIndex(child));
        QVERIFY(tree()->isExpanded(child.parent()));
        QCOMPARE(m_view->chosen(), m_child);
    }

    void executionsAndTheirTimelines()
    {
        const auto opened =
            m_fixture.admin("POST", "/admin/v1/executions",
                            {{u"flow"_s, u"nightly-review"_s},
                             {u"principal"_s, u"codex"_s},
                             {u"command"_s, u"codex exec 'review the open pull requests'"_s}});
        QCOMPARE(opened->status, 201);
        m_execution = GatewayFixture::json(*opened).value(u"id"_s).toString();
        const QByteArray token =
            mint({{u"execution"_s, m_execution}, {u"principal"_s, u"codex"_s}});
        QVERIFY(!token.isEmpty());
        for (const char *thread :
             {"0190c0de-0000-7000-8000-000000000001", "0190c0de-0000-7000-8000-000000000002"}) {
            const auto response =
                m_fixture.call("POST", "/openai/v1/responses",
                               R"({"model":"gpt-5-mini","input":"review PR 42","stream":false})",
                               token, "session-id: " + QByteArray(thread) + "\r\n");
            QCOMPARE(response->status, 200);
            QVERIFY(!m_fixture.ledgerRow(*response).isEmpty());
        }
        QVERIFY(!chat(u"fast"_s, token, {}).isEmpty());
        // A second run that failed.
        const auto failedRun = m_fixture.admin("POST", "/admin/v1/executions",
                                               {{u"flow"_s, u"docs-sync"_s},
                                                {u"principal"_s, u"custom"_s},
                                                {u"command"_s, u"./sync-docs.sh --all"_s}});
        const QString failedId = GatewayFixture::json(*failedRun).value(u"id"_s).toString();
        const QByteArray failedToken = mint({{u"execution"_s, failedId}});
        QVERIFY(!chat(u"mystery"_s, failedToken, {}).isEmpty());
        QCOMPARE(m_fixture
                     .admin("POST", "/admin/v1/executions/" + failedId.toLatin1() + "/close",
                            {{u"exitStatus"_s, 2}})
                     ->status,
                 200);

        m_view->setScope(SessionsView::Scope::Executions);
        ExecutionListModel *model = m_view->executions();
        QTRY_VERIFY_WITH_TIMEOUT(
            model->rowOf(m_execution) >= 0 &&
                model->entries().at(model->rowOf(m_execution)).totals.requests == 3,
            kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(model->rowOf(failedId) >= 0, kWaitMs);
        QCOMPARE(model->index(model->rowOf(failedId), ExecutionListModel::Status).data().toString(),
                 u"failed (exit 2)"_s);
        QCOMPARE(model->index(model->rowOf(failedId), ExecutionListModel::Cost).data().toString(),
                 u"1 unpriced"_s);
        const int row = model->rowOf(m_execution);
        QCOMPARE(model->index(row, ExecutionListModel::Status).data().toString(), u"running"_s);
        QCOMPARE(model->index(row, ExecutionListModel::Flow).data().toString(),
                 u"nightly-review"_s);
        const QVariantMap ledger = ledgerTotals(u"execution_id = ?"_s, {m_execution});
        QCOMPARE(model->entries().at(row).totals.costMicros, ledger.value(u"cost"_s).toLongLong());
        QCOMPARE(model->entries().at(row).totals.totalTokens,
                 ledger.value(u"tokens"_s).toLongLong());

        m_view->choose(m_execution);
        QTRY_COMPARE_WITH_TIMEOUT(timelineIds(*m_view->timeline()),
                                  ledgerIds(u"execution_id = ?"_s, {m_execution}), kWaitMs);
        QCOMPARE(m_view->timeline()->rowCount(), 3);
        QCOMPARE(m_view->timelineTotals().requests, 3);
        Screenshot::save(m_view.get(), u"sessions-executions"_s);
    }

    void screenshotOfTheSessionTree()
    {
        m_view->setScope(SessionsView::Scope::Sessions);
        QTRY_VERIFY_WITH_TIMEOUT(m_view->sessions()->rowCount() >= 4, kWaitMs);
        m_view->choose(m_parent);
        tree()->expandAll();
        QTRY_VERIFY_WITH_TIMEOUT(m_view->timeline()->rowCount() == 12, kWaitMs);
        Screenshot::save(m_view.get(), u"sessions-tree"_s);
    }
};

QTEST_MAIN(TestSessionsView)
#include "tst_sessionsview.moc"
