#include "common/consolestyle.h"
#include "live/livefiltermodel.h"
#include "live/liverequestmodel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

using Facet = LiveRequestModel::Facet;
using State = LiveRequestModel::State;

LiveRequest started(int n, bool stream = false)
{
    LiveRequest request;
    request.requestId = "gh-" + QByteArray::number(n).rightJustified(6, '0');
    request.startedAtMs = 1'700'000'000'000 + n;
    request.account = n % 2 ? u"acme"_s : u"globex"_s;
    request.apiKey = u"ci"_s;
    request.principal = n % 3 ? u"alice-claude"_s : QString();
    request.principalType = u"claude-code"_s;
    request.flow = n % 5 == 0 ? u"nightly-fixes"_s : QString();
    request.runtimeSession = u"rs_session%1"_s.arg(n % 4);
    request.provider = u"simulator"_s;
    request.modelAlias = n % 2 ? u"fast"_s : u"mystery"_s;
    request.upstreamModel = n % 2 ? u"gpt-4o-mini"_s : u"sim-unpriced-1"_s;
    request.endpoint = "openai.chat_completions";
    request.stream = stream;
    return request;
}

LiveRequest finished(LiveRequest request, int status = 200, const QByteArray &outcome = "ok",
                     const QString &error = {})
{
    request.finished = true;
    request.httpStatus = status;
    request.outcome = outcome;
    request.error = error;
    if (outcome == "ok") {
        request.usage.promptTokens = 1200;
        request.usage.completionTokens = 34;
        request.usage.reported = true;
        if (request.modelAlias == u"fast")
            request.costMicros = 125;
    } else {
        request.costMicros = 0;
    }
    request.firstByteUs = 120'000;
    request.durationUs = 1'400'000;
    return request;
}

QList<LiveRequest> startedRange(int from, int to, bool stream = false)
{
    QList<LiveRequest> list;
    for (int n = from; n < to; ++n)
        list.append(started(n, stream));
    return list;
}

QByteArray idAt(const QAbstractItemModel &model, int row)
{
    return model.index(row, 0).data(LiveRequestModel::RequestIdRole).toString().toLatin1();
}

QString text(const QAbstractItemModel &model, int row, int column)
{
    return model.index(row, column).data().toString();
}

} // namespace

class TestLiveRequestModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { ConsoleStyle::apply(*qobject_cast<QApplication *>(qApp)); }

    void testerThroughEverything()
    {
        LiveRequestModel model;
        LiveFilterModel filter;
        filter.setSourceModel(&model);
        QAbstractItemModelTester modelTester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester filterTester(
            &filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setCapacity(40);
        filter.setText(u"fast"_s);
        model.add(startedRange(0, 30, true));
        QList<LiveRequest> mixed;
        for (int n = 0; n < 30; n += 3)
            mixed.append(finished(started(n, true)));
        mixed.append(startedRange(30, 50));
        mixed.append(finished(started(45), 502, "upstream_error", u"connection refused"_s));
        model.add(mixed); // replacements, inserts and a trim in one batch
        QCOMPARE(model.rowCount(), 40);
        filter.setStatus(LiveFilterModel::Status::Ok);
        filter.setFacet(Facet::Session, u"rs_session1"_s);
        model.setPaused(true);
        model.add(startedRange(50, 120));
        model.setPaused(false);
        filter.setText({});
        filter.setStatus(LiveFilterModel::Status::All);
        filter.setFacet(Facet::Session, {});
        model.setCapacity(10);
        QCOMPARE(model.rowCount(), 10);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(filter.rowCount(), 0);
    }

    void aBatchIsOneInsertAtTheBottom()
    {
        LiveRequestModel model;
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.add(startedRange(0, 3));
        model.add(startedRange(3, 303));
        QCOMPARE(inserted.size(), 2);
        QCOMPARE(inserted.at(1).at(1).toInt(), 3);
        QCOMPARE(inserted.at(1).at(2).toInt(), 302);
        QCOMPARE(model.rowCount(), 303);
        QCOMPARE(idAt(model, 0), QByteArray("gh-000000"));
        QCOMPARE(idAt(model, 302), QByteArray("gh-000302")); // newest at the bottom
    }

    void aFinishedCallReplacesItsStartedRow()
    {
        LiveRequestModel model;
        model.add(startedRange(0, 10, true));
        QCOMPARE(text(model, 4, LiveRequestModel::StatusColumn), u"streaming…"_s);
        QCOMPARE(model.state(4), State::Live);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.add({finished(started(3, true)), finished(started(4, true))});
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(changed.size(), 1); // neighbours share one range
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 3);
        QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 4);
        QCOMPARE(changed.at(0).at(1).toModelIndex().column(), LiveRequestModel::ColumnCount - 1);
        QCOMPARE(text(model, 4, LiveRequestModel::StatusColumn), u"200 ok"_s);
        QCOMPARE(model.state(4), State::Ok);
        QCOMPARE(model.state(5), State::Live);
    }

    void startedAndFinishedInOneBatchIsOneRow()
    {
        LiveRequestModel model;
        model.add({started(1), started(2), finished(started(1))});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(idAt(model, 0), QByteArray("gh-000001"));
        QCOMPARE(model.state(0), State::Ok);
        QCOMPARE(model.state(1), State::Live);
    }

    void trimsTheOldestInOneRemovalAndKeepsTheIndexRight()
    {
        LiveRequestModel model;
        model.setCapacity(10);
        model.add(startedRange(0, 8));
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        model.add(startedRange(8, 15));
        QCOMPARE(removed.size(), 1);
        QCOMPARE(removed.at(0).at(1).toInt(), 0);
        QCOMPARE(removed.at(0).at(2).toInt(), 4);
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(idAt(model, 0), QByteArray("gh-000005"));
        // Rows moved up by five: the finish of call 6 lands on row 1, not row 6.
        QCOMPARE(model.rowOf("gh-000006"), 1);
        model.add({finished(started(6))});
        QCOMPARE(model.state(1), State::Ok);
        QCOMPARE(idAt(model, 1), QByteArray("gh-000006"));
        QCOMPARE(model.state(6), State::Live);
        // A call whose row was trimmed comes back at the bottom when it finishes.
        QCOMPARE(model.rowOf("gh-000002"), -1);
        model.add({finished(started(2))});
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(idAt(model, 9), QByteArray("gh-000002"));
        QCOMPARE(model.state(9), State::Ok);
        QCOMPARE(idAt(model, 0), QByteArray("gh-000006"));
        QCOMPARE(model.rowOf("gh-000005"), -1);
    }

    void aBatchLargerThanTheTableKeepsItsNewest()
    {
        LiveRequestModel model;
        model.setCapacity(10);
        model.add(startedRange(0, 4));
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.add(startedRange(4, 29));
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(idAt(model, 0), QByteArray("gh-000019"));
        QCOMPARE(idAt(model, 9), QByteArray("gh-000028"));
        QCOMPARE(model.rowOf("gh-000019"), 0);
        QCOMPARE(model.rowOf("gh-000003"), -1);
    }

    void pauseHoldsAndResumeApplies()
    {
        LiveRequestModel model;
        model.add(startedRange(0, 3, true));
        QSignalSpy held(&model, &LiveRequestModel::heldCountChanged);
        QSignalSpy paused(&model, &LiveRequestModel::pausedChanged);
        model.setPaused(true);
        QCOMPARE(paused.size(), 1);
        model.add({finished(started(1, true)), started(3), started(4)});
        model.add({finished(started(3)), started(5), started(6), started(7)});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.state(1), State::Live); // the table stands still
        QCOMPARE(model.heldCount(), 5);
        QCOMPARE(held.last().at(0).toInt(), 5);

        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.setPaused(false);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(model.rowCount(), 8);
        QCOMPARE(model.heldCount(), 0);
        QCOMPARE(held.last().at(0).toInt(), 0);
        QCOMPARE(model.state(1), State::Ok);
        QCOMPARE(idAt(model, 3), QByteArray("gh-000003"));
        QCOMPARE(model.state(3), State::Ok);
        QCOMPARE(idAt(model, 7), QByteArray("gh-000007"));
    }

    void pauseHoldsOnlyATableOfTheNewest()
    {
        LiveRequestModel model;
        model.setCapacity(10);
        model.setPaused(true);
        model.add(startedRange(0, 25));
        model.add({finished(started(24)), finished(started(3))});
        QCOMPARE(model.heldCount(), 10);
        QCOMPARE(model.rowCount(), 0);
        model.setPaused(false);
        QCOMPARE(model.rowCount(), 10);
        // 15-24 were held; the finish of 3 came as an eleventh and pushed out 15.
        QCOMPARE(idAt(model, 0), QByteArray("gh-000016"));
        QCOMPARE(idAt(model, 8), QByteArray("gh-000024"));
        QCOMPARE(model.state(8), State::Ok);
        QCOMPARE(idAt(model, 9), QByteArray("gh-000003")); // its start was dropped: a new row
    }

    void columnsReadAsAnOperatorExpects()
    {
        LiveRequestModel model;
        LiveRequest stream = started(1, true);
        LiveRequest unpriced = finished(started(2));
        LiveRequest denied = finished(started(3), 402, "denied_budget",
                                      u"budget 'team' is exhausted: limit $5.00"_s);
        model.add({stream, finished(started(5, true)), unpriced, denied, started(4)});
        const auto at = [&](int row, int column, int role = Qt::DisplayRole) {
            return model.index(row, column).data(role);
        };
        QCOMPARE(at(0, LiveRequestModel::StatusColumn).toString(), u"streaming…"_s);
        QCOMPARE(at(0, LiveRequestModel::StatusColumn, Qt::ForegroundRole).value<QColor>(),
                 ConsoleStyle::live());
        QCOMPARE(at(0, LiveRequestModel::CostColumn).toString(), QString());
        QCOMPARE(at(4, LiveRequestModel::StatusColumn).toString(), u"waiting…"_s);

        QCOMPARE(at(1, LiveRequestModel::StatusColumn).toString(), u"200 ok"_s);
        QVERIFY(!at(1, LiveRequestModel::StatusColumn, Qt::ForegroundRole).isValid());
        QCOMPARE(at(1, LiveRequestModel::TokensColumn).toString(), u"1,200 / 34"_s);
        QCOMPARE(at(1, LiveRequestModel::CostColumn).toString(), u"$0.000125"_s);
        QCOMPARE(at(1, LiveRequestModel::LatencyColumn).toString(), u"120 ms / 1.4 s"_s);
        QCOMPARE(at(1, LiveRequestModel::PrincipalColumn).toString(), u"alice-claude"_s);
        QCOMPARE(at(1, LiveRequestModel::ModelColumn).toString(), u"fast"_s);
        QCOMPARE(at(1, LiveRequestModel::ModelColumn, Qt::ToolTipRole).toString(),
                 u"fast → gpt-4o-mini at simulator"_s);
        QCOMPARE(at(1, LiveRequestModel::TokensColumn, Qt::TextAlignmentRole).toInt(),
                 int(Qt::AlignRight | Qt::AlignVCenter));
        QCOMPARE(at(1, LiveRequestModel::PrincipalColumn, Qt::TextAlignmentRole).toInt(),
                 int(Qt::AlignLeft | Qt::AlignVCenter));

        // Unpriced says so, never $0.
        QCOMPARE(at(2, LiveRequestModel::CostColumn).toString(), u"unpriced"_s);
        QCOMPARE(at(2, LiveRequestModel::CostColumn, Qt::ForegroundRole).value<QColor>(),
                 ConsoleStyle::muted());
        QCOMPARE(at(2, LiveRequestModel::LatencyColumn).toString(), u"1.4 s"_s); // not a stream
        QCOMPARE(at(2, LiveRequestModel::PrincipalColumn).toString(), u"alice-claude"_s);

        QCOMPARE(at(3, LiveRequestModel::StatusColumn).toString(), u"402 over budget"_s);
        QCOMPARE(at(3, LiveRequestModel::StatusColumn, Qt::ForegroundRole).value<QColor>(),
                 ConsoleStyle::failure());
        QCOMPARE(at(3, LiveRequestModel::StatusColumn, Qt::ToolTipRole).toString(), denied.error);
        QCOMPARE(at(3, LiveRequestModel::CostColumn).toString(), u"–"_s);       // nothing used
        QCOMPARE(at(3, LiveRequestModel::PrincipalColumn).toString(), u"ci"_s); // no principal
        QCOMPARE(at(3, LiveRequestModel::ScopeColumn).toString(), u"rs_session3"_s);
        QCOMPARE(at(1, LiveRequestModel::ScopeColumn).toString(), u"nightly-fixes / rs_session1"_s);
        QCOMPARE(model.headerData(LiveRequestModel::CostColumn, Qt::Horizontal).toString(),
                 u"Cost"_s);
    }

    void statesOfOutcomes_data()
    {
        QTest::addColumn<bool>("done");
        QTest::addColumn<QByteArray>("outcome");
        QTest::addColumn<State>("state");
        QTest::newRow("running") << false << QByteArray() << State::Live;
        QTest::newRow("ok") << true << QByteArray("ok") << State::Ok;
        QTest::newRow("direct") << true << QByteArray("ungoverned") << State::Ok;
        QTest::newRow("budget") << true << QByteArray("denied_budget") << State::Denied;
        QTest::newRow("rate") << true << QByteArray("denied_rate_limit") << State::Denied;
        QTest::newRow("model") << true << QByteArray("denied_model") << State::Denied;
        QTest::newRow("unknown model") << true << QByteArray("model_not_found") << State::Denied;
        QTest::newRow("no key") << true << QByteArray("unauthorized") << State::Denied;
        QTest::newRow("kill switch") << true << QByteArray("denied_kill_switch") << State::Denied;
        QTest::newRow("upstream") << true << QByteArray("upstream_error") << State::Error;
        QTest::newRow("unreachable") << true << QByteArray("upstream_unreachable") << State::Error;
        QTest::newRow("client left") << true << QByteArray("client_disconnected") << State::Error;
    }

    void statesOfOutcomes()
    {
        QFETCH(bool, done);
        QFETCH(QByteArray, outcome);
        QFETCH(State, state);
        LiveRequest request = started(1);
        request.finished = done;
        request.outcome = outcome;
        QCOMPARE(LiveRequestModel::stateOf(request), state);
    }

    void filters_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("account");
        QTest::addColumn<QString>("flow");
        QTest::addColumn<QString>("session");
        QTest::addColumn<QString>("model");
        QTest::addColumn<LiveFilterModel::Status>("status");
        QTest::addColumn<QList<int>>("shown");

        using S = LiveFilterModel::Status;
        const QString any;
        QTest::newRow("nothing") << any << any << any << any << any << S::All
                                 << QList<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        QTest::newRow("request id")
            << u"GH-000007"_s << any << any << any << any << S::All << QList<int>{7};
        QTest::newRow("upstream model text")
            << u"unpriced"_s << any << any << any << any << S::All << QList<int>{0, 2, 4, 6, 8};
        QTest::newRow("error text")
            << u"refused"_s << any << any << any << any << S::All << QList<int>{9};
        QTest::newRow("principal text")
            << u"ALICE"_s << any << any << any << any << S::All << QList<int>{1, 2, 4, 5, 7, 8};
        QTest::newRow("flow text")
            << u"nightly"_s << any << any << any << any << S::All << QList<int>{0, 5};
        QTest::newRow("session text")
            << u"rs_session2"_s << any << any << any << any << S::All << QList<int>{2, 6};
        QTest::newRow("account") << any << u"acme"_s << any << any << any << S::All
                                 << QList<int>{1, 3, 5, 7, 9};
        QTest::newRow("flow") << any << any << u"nightly-fixes"_s << any << any << S::All
                              << QList<int>{0, 5};
        QTest::newRow("session") << any << any << any << u"rs_session1"_s << any << S::All
                                 << QList<int>{1, 5, 9};
        QTest::newRow("model") << any << any << any << any << u"fast"_s << S::All
                               << QList<int>{1, 3, 5, 7, 9};
        QTest::newRow("ok") << any << any << any << any << any << S::Ok << QList<int>{0, 1, 2, 3};
        QTest::newRow("errors") << any << any << any << any << any << S::Errors << QList<int>{9};
        QTest::newRow("denied") << any << any << any << any << any << S::Denied << QList<int>{8};
        QTest::newRow("live") << any << any << any << any << any << S::Live
                              << QList<int>{4, 5, 6, 7};
        QTest::newRow("combined") << u"alice"_s << u"acme"_s << any << any << u"fast"_s << S::Live
                                  << QList<int>{5, 7};
        QTest::newRow("no match") << u"nobody"_s << any << any << any << any << S::All
                                  << QList<int>{};
    }

    void filters()
    {
        QFETCH(QString, text);
        QFETCH(QString, account);
        QFETCH(QString, flow);
        QFETCH(QString, session);
        QFETCH(QString, model);
        QFETCH(LiveFilterModel::Status, status);
        QFETCH(QList<int>, shown);

        LiveRequestModel source;
        LiveFilterModel filter;
        filter.setSourceModel(&source);
        QAbstractItemModelTester tester(&filter,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QList<LiveRequest> batch;
        for (int n = 0; n < 4; ++n)
            batch.append(finished(started(n)));
        batch.append(startedRange(4, 8));
        batch.append(finished(started(8), 401, "unauthorized", u"no such key"_s));
        batch.append(finished(started(9), 502, "upstream_unreachable", u"connection refused"_s));
        source.add(batch);

        filter.setText(text);
        filter.setFacet(Facet::Account, account);
        filter.setFacet(Facet::Flow, flow);
        filter.setFacet(Facet::Session, session);
        filter.setFacet(Facet::Model, model);
        filter.setStatus(status);
        QList<int> rows;
        for (int row = 0; row < filter.rowCount(); ++row)
            rows += int(idAt(filter, row).mid(3).toInt());
        QCOMPARE(rows, shown);
        QCOMPARE(filter.isFiltering(), shown.size() != 10);
    }

    void rowsArriveAndChangeThroughTheFilter()
    {
        LiveRequestModel source;
        LiveFilterModel filter;
        filter.setSourceModel(&source);
        QAbstractItemModelTester tester(&filter,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        filter.setStatus(LiveFilterModel::Status::Live);
        source.add({finished(started(1)), started(2)});
        QCOMPARE(filter.rowCount(), 1);
        source.add({started(3)});
        QCOMPARE(filter.rowCount(), 2);
        source.add({finished(started(2))}); // finished: no longer live, out of the filter
        QCOMPARE(filter.rowCount(), 1);
        QCOMPARE(idAt(filter, 0), QByteArray("gh-000003"));
    }

    void choicesComeFromWhatWasSeen()
    {
        LiveRequestModel model;
        QSignalSpy seen(&model, &LiveRequestModel::seenChanged);
        model.add(startedRange(0, 6));
        QCOMPARE(seen.size(), 1);
        QCOMPARE(model.seen(Facet::Account), (QStringList{u"acme"_s, u"globex"_s}));
        QCOMPARE(model.seen(Facet::Model), (QStringList{u"fast"_s, u"mystery"_s}));
        QCOMPARE(model.seen(Facet::Flow), QStringList{u"nightly-fixes"_s});
        QCOMPARE(model.seen(Facet::Session).size(), 4);
        model.add(startedRange(6, 9)); // nothing new
        QCOMPARE(seen.size(), 1);
        LiveRequest other = started(9);
        other.modelAlias = u"claude-sonnet"_s;
        model.add({other});
        QCOMPARE(seen.size(), 2);
        QCOMPARE(model.seen(Facet::Model),
                 (QStringList{u"claude-sonnet"_s, u"fast"_s, u"mystery"_s}));
        model.clear(); // the choices stay: they are still values the ledger knows
        QCOMPARE(model.seen(Facet::Model).size(), 3);
    }

    void clearEmptiesTableAndHeld()
    {
        LiveRequestModel model;
        model.add(startedRange(0, 5));
        model.setPaused(true);
        model.add(startedRange(5, 9));
        QSignalSpy held(&model, &LiveRequestModel::heldCountChanged);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.heldCount(), 0);
        QCOMPARE(held.size(), 1);
        model.setPaused(false);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.rowOf("gh-000001"), -1);
        model.add({finished(started(1))}); // unknown now: a new row
        QCOMPARE(model.rowCount(), 1);
    }
};

QTEST_MAIN(TestLiveRequestModel)
#include "tst_liverequestmodel.moc"
