// The sessions view's item models without a gateway: the session tree's lineage, rolled-up
// figures and in-place refreshes (persistent indexes, hence selection and expansion, survive),
// the timeline's and the executions' in-place refreshes, the row reconciliation they share, and
// how a session's activity is told. QAbstractItemModelTester watches every change.
#include "sessions/activity.h"
#include "sessions/executionlistmodel.h"
#include "sessions/keyedrows.h"
#include "sessions/sessiontreemodel.h"
#include "sessions/timelinemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

using Session = SessionTreeModel::Session;

Session session(const QString &id, const QString &parent, qint64 firstSeenMs, qint64 requests,
                qint64 costMicros = 0, qint64 unpriced = 0)
{
    Session s;
    s.id = id;
    s.parentId = parent;
    s.externalId = u"ext-"_s + id;
    s.source = u"gatehouse-header"_s;
    s.account = u"acme"_s;
    s.firstSeenMs = firstSeenMs;
    s.lastSeenMs = firstSeenMs + 1000 * requests;
    s.state = Activity::Idle;
    s.own.requests = requests;
    s.own.totalTokens = 100 * requests;
    s.own.costMicros = costMicros;
    s.own.unpricedRequests = unpriced;
    s.own.pricedRequests = requests - unpriced;
    return s;
}

QStringList childIds(const SessionTreeModel &model, const QModelIndex &parent = {})
{
    QStringList ids;
    for (int row = 0; row < model.rowCount(parent); ++row)
        ids += model.index(row, 0, parent).data(SessionTreeModel::IdRole).toString();
    return ids;
}

TimelineModel::Entry entry(const QString &id, qint64 startedAtMs)
{
    TimelineModel::Entry e;
    e.requestId = id;
    e.startedAtMs = startedAtMs;
    e.model = u"fast"_s;
    e.httpStatus = 200;
    e.outcome = u"ok"_s;
    e.costMicros = 125;
    return e;
}

} // namespace

class TestSessionModels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void reconcile_data()
    {
        QTest::addColumn<QStringList>("current");
        QTest::addColumn<QStringList>("next");
        QTest::addColumn<int>("removals"); // remove() calls: runs, not rows
        QTest::addColumn<int>("insertions");
        const auto list = [](const char *text) {
            return QString::fromLatin1(text).split(u' ', Qt::SkipEmptyParts);
        };
        QTest::newRow("same") << list("a b c") << list("a b c") << 0 << 0;
        QTest::newRow("new on top") << list("c d") << list("a b c d") << 0 << 2;
        QTest::newRow("gone at the bottom") << list("a b c d") << list("a b") << 1 << 0;
        QTest::newRow("two runs gone") << list("a b c d e") << list("a c e") << 2 << 0;
        QTest::newRow("both") << list("b c d") << list("a b d e") << 1 << 2;
        QTest::newRow("from nothing") << QStringList() << list("a b") << 0 << 2;
        QTest::newRow("to nothing") << list("a b") << QStringList() << 1 << 0;
        // Kept rows out of order: everything goes and comes back.
        QTest::newRow("reordered") << list("a b c") << list("c b a") << 1 << 3;
    }

    void reconcile()
    {
        QFETCH(QStringList, current);
        QFETCH(QStringList, next);
        QFETCH(int, removals);
        QFETCH(int, insertions);
        QStringList rows = current;
        int removed = 0;
        int inserted = 0;
        KeyedRows::reconcile(
            current, next,
            [&](int first, int last) {
                QVERIFY(first <= last);
                rows.remove(first, last - first + 1);
                ++removed;
            },
            [&](int row, int from) {
                rows.insert(row, next.at(from));
                ++inserted;
            });
        QCOMPARE(rows, next);
        QCOMPARE(removed, removals);
        QCOMPARE(inserted, insertions);
    }

    void sessionTreeShowsLineageAndRollsUp()
    {
        SessionTreeModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        // "main" has two sub-agents, one with its own sub-agent; "other" started later.
        model.setSessions(
            {session(u"agent-b"_s, u"main"_s, 3000, 1, 0, 1), session(u"main"_s, {}, 1000, 2, 500),
             session(u"other"_s, {}, 5000, 1, 100), session(u"agent-a"_s, u"main"_s, 2000, 3, 300),
             session(u"agent-a1"_s, u"agent-a"_s, 2500, 1, 50)});
        QCOMPARE(childIds(model), (QStringList{u"other"_s, u"main"_s})); // newest first
        const QModelIndex main = model.indexOf(u"main"_s);
        QCOMPARE(childIds(model, main), (QStringList{u"agent-a"_s, u"agent-b"_s})); // in order
        QCOMPARE(childIds(model, model.indexOf(u"agent-a"_s)), QStringList{u"agent-a1"_s});
        QCOMPARE(model.indexOf(u"agent-a1"_s).parent(), model.indexOf(u"agent-a"_s));

        const UsageTotals totals = model.totals(u"main"_s);
        QCOMPARE(totals.requests, 2 + 3 + 1 + 1);
        QCOMPARE(totals.costMicros, 500 + 300 + 50);
        QCOMPARE(totals.unpricedRequests, 1);
        QCOMPARE(model.index(main.row(), SessionTreeModel::Requests).data().toString(), u"7"_s);
        QCOMPARE(model.index(main.row(), SessionTreeModel::Cost).data().toString(),
                 u"$0.00085 + 1 unpriced"_s);
        const QModelIndex agentB = model.indexOf(u"agent-b"_s);
        QCOMPARE(model.index(agentB.row(), SessionTreeModel::Cost, main).data().toString(),
                 u"1 unpriced"_s);
        // The parent's span covers its sub-agents: from 1000 to agent-a's last sight at 5000.
        QCOMPARE(model.index(main.row(), SessionTreeModel::Duration).data().toString(), u"4.0 s"_s);
    }

    void sessionTreeRefreshesInPlace()
    {
        SessionTreeModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSessions({session(u"main"_s, {}, 1000, 1), session(u"a"_s, u"main"_s, 2000, 1)});
        const QPersistentModelIndex agent = model.indexOf(u"a"_s);
        const QPersistentModelIndex main = model.indexOf(u"main"_s);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        // New traffic: a newer session on top, a second sub-agent, more requests on "a".
        model.setSessions({session(u"main"_s, {}, 1000, 1), session(u"a"_s, u"main"_s, 2000, 4),
                           session(u"b"_s, u"main"_s, 3000, 1), session(u"new"_s, {}, 9000, 1)});
        QCOMPARE(resets.size(), 0);
        QVERIFY(agent.isValid());
        QCOMPARE(agent.data(SessionTreeModel::IdRole).toString(), u"a"_s);
        QCOMPARE(main.row(), 1);
        QCOMPARE(childIds(model, main), (QStringList{u"a"_s, u"b"_s}));
        QVERIFY(!changed.isEmpty());
        QCOMPARE(model.totals(u"main"_s).requests, 1 + 4 + 1);

        // Nothing changed: no signal at all.
        changed.clear();
        model.setSessions({session(u"main"_s, {}, 1000, 1), session(u"a"_s, u"main"_s, 2000, 4),
                           session(u"b"_s, u"main"_s, 3000, 1), session(u"new"_s, {}, 9000, 1)});
        QCOMPARE(changed.size(), 0);

        // "new" is forgotten, and a sub-agent whose parent comes later moves under it.
        model.setSessions({session(u"main"_s, {}, 1000, 1), session(u"a"_s, u"main"_s, 2000, 4),
                           session(u"b"_s, u"main"_s, 3000, 1),
                           session(u"late-child"_s, u"late"_s, 8000, 1)});
        QCOMPARE(childIds(model), (QStringList{u"late-child"_s, u"main"_s}));
        model.setSessions({session(u"main"_s, {}, 1000, 1), session(u"a"_s, u"main"_s, 2000, 4),
                           session(u"b"_s, u"main"_s, 3000, 1),
                           session(u"late-child"_s, u"late"_s, 8000, 1),
                           session(u"late"_s, {}, 7000, 1)});
        QCOMPARE(childIds(model), (QStringList{u"late"_s, u"main"_s}));
        QCOMPARE(childIds(model, model.indexOf(u"late"_s)), QStringList{u"late-child"_s});
        QVERIFY(agent.isValid());
        QCOMPARE(agent.parent(), QModelIndex(main));

        model.setSessions({});
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!agent.isValid());
    }

    void sessionTreeSurvivesALoop()
    {
        SessionTreeModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSessions({session(u"x"_s, u"y"_s, 1000, 1), session(u"y"_s, u"x"_s, 2000, 1),
                           session(u"self"_s, u"self"_s, 3000, 1)});
        QCOMPARE(childIds(model), (QStringList{u"self"_s, u"y"_s, u"x"_s}));
    }

    void displayNames_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("externalId");
        QTest::addColumn<QString>("name");
        QTest::newRow("claude code")
            << u"claude-code"_s << u"5f0c6f6e-1111"_s << u"5f0c6f6e-1111"_s;
        QTest::newRow("sub-agent")
            << u"claude-code"_s << u"5f0c6f6e-1111/agent/agent-7"_s << u"sub-agent agent-7"_s;
        QTest::newRow("key") << u"fallback"_s << u"key:ci@1764000000000"_s << u"key ci"_s;
        QTest::newRow("execution")
            << u"fallback"_s << u"execution:ex_12@1764000000000"_s << u"execution ex_12"_s;
        QTest::newRow("header") << u"gatehouse-header"_s << u"refactor-auth"_s
                                << u"refactor-auth"_s;
    }

    void displayNames()
    {
        QFETCH(QString, source);
        QFETCH(QString, externalId);
        QFETCH(QString, name);
        Session s;
        s.source = source;
        s.externalId = externalId;
        QCOMPARE(SessionTreeModel::displayName(s), name);
    }

    void activity_data()
    {
        QTest::addColumn<bool>("inFlight");
        QTest::addColumn<qint64>("quietMs");
        QTest::addColumn<bool>("executionEnded");
        QTest::addColumn<int>("state");
        const qint64 minute = 60'000;
        QTest::newRow("in flight") << true << 40 * minute << false << int(Activity::Active);
        QTest::newRow("just seen") << false << minute << false << int(Activity::Open);
        QTest::newRow("quiet") << false << 10 * minute << false << int(Activity::Idle);
        QTest::newRow("past the idle gap")
            << false << 31 * minute << false << int(Activity::Closed);
        QTest::newRow("execution ended") << false << minute << true << int(Activity::Closed);
    }

    void activity()
    {
        QFETCH(bool, inFlight);
        QFETCH(qint64, quietMs);
        QFETCH(bool, executionEnded);
        QFETCH(int, state);
        const qint64 now = 1'800'000'000'000;
        QCOMPARE(
            int(Activity::ofSession(inFlight, now - quietMs, now, 30 * 60'000, executionEnded)),
            state);
    }

    void timelineKeepsRowsInPlace()
    {
        TimelineModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setEntries({entry(u"r2"_s, 2000), entry(u"r1"_s, 1000)});
        const QPersistentModelIndex first = model.index(1, TimelineModel::Time);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.setEntries({entry(u"r4"_s, 4000), entry(u"r3"_s, 3000), entry(u"r2"_s, 2000),
                          entry(u"r1"_s, 1000)});
        QCOMPARE(inserted.size(), 2);
        QCOMPARE(first.row(), 3);
        QCOMPARE(first.data(TimelineModel::RequestIdRole).toString(), u"r1"_s);
        // The oldest falls off the bounded page.
        model.setEntries({entry(u"r5"_s, 5000), entry(u"r4"_s, 4000), entry(u"r3"_s, 3000),
                          entry(u"r2"_s, 2000)});
        QVERIFY(!first.isValid());
        QCOMPARE(model.rowCount(), 4);

        TimelineModel::Entry unpriced = entry(u"r6"_s, 6000);
        unpriced.costMicros.reset();
        unpriced.httpStatus = 429;
        unpriced.outcome = u"budget_denied"_s;
        model.setEntries({unpriced});
        QCOMPARE(model.index(0, TimelineModel::Cost).data().toString(), u"unpriced"_s);
        QCOMPARE(model.index(0, TimelineModel::Status).data().toString(), u"429 budget_denied"_s);
        model.setSessionName([](const QString &) { return u"named"_s; });
        QCOMPARE(model.index(0, TimelineModel::Session).data().toString(), u"named"_s);
    }

    void executionsKeepRowsInPlace()
    {
        ExecutionListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const qint64 now = 1'800'000'000'000;
        const auto execution = [&](const QString &id, qint64 started, const QString &status,
                                   const QJsonValue &exit) {
            return ExecutionListModel::Entry::fromJson(
                {{u"id"_s, id},
                 {u"flow"_s, u"nightly"_s},
                 {u"account"_s, u"acme"_s},
                 {u"command"_s, u"codex exec fix"_s},
                 {u"status"_s, status},
                 {u"exitStatus"_s, exit},
                 {u"startedAtMs"_s, started},
                 {u"endedAtMs"_s,
                  status == u"running" ? QJsonValue() : QJsonValue(started + 90'000)}},
                now);
        };
        model.setEntries({execution(u"ex_2"_s, now - 1000, u"running"_s, {}),
                          execution(u"ex_1"_s, now - 600'000, u"failed"_s, 3)});
        const QPersistentModelIndex failed = model.index(1, 0);
        QCOMPARE(model.index(1, ExecutionListModel::Status).data().toString(),
                 u"failed (exit 3)"_s);
        QCOMPARE(model.index(1, ExecutionListModel::Duration).data().toString(), u"1 min 30 s"_s);
        QCOMPARE(model.index(0, ExecutionListModel::Status).data().toString(), u"running"_s);
        QCOMPARE(model.index(0, ExecutionListModel::Cost).data().toString(), u"–"_s);
        model.setEntries({execution(u"ex_3"_s, now, u"running"_s, {}),
                          execution(u"ex_2"_s, now - 1000, u"succeeded"_s, 0),
                          execution(u"ex_1"_s, now - 600'000, u"failed"_s, 3)});
        QCOMPARE(failed.row(), 2);
        QCOMPARE(model.index(1, ExecutionListModel::Status).data().toString(), u"succeeded"_s);
        QCOMPARE(model.rowOf(u"ex_3"_s), 0);
    }
};

QTEST_MAIN(TestSessionModels)
#include "tst_sessionmodels.moc"
