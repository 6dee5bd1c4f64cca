#include "common/consolestyle.h"
#include "gatewayconsole.h"
#include "gatewayfixture.h"
#include "live/livefiltermodel.h"
#include "live/liverequestdetail.h"
#include "live/liveview.h"
#include "rawhttpclient.h"
#include "requestbodies.h"
#include "screenshot.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTableView>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

using State = LiveRequestModel::State;

const QByteArray kChat = "/openai/v1/chat/completions";

QByteArray requestIdOf(const QByteArray &head)
{
    const qsizetype at = head.indexOf("x-request-id: ");
    if (at < 0)
        return {};
    const qsizetype end = head.indexOf("\r\n", at);
    return head.mid(at + 14, end - at - 14);
}

void select(LiveView &view, const QByteArray &requestId)
{
    const int row = view.model()->rowOf(requestId);
    QVERIFY(row >= 0);
    const QModelIndex index = view.filter()->mapFromSource(view.model()->index(row, 0));
    QVERIFY(index.isValid());
    view.table()->selectRow(index.row());
}

QString cell(LiveView &view, const QByteArray &requestId, int column)
{
    return view.model()->index(view.model()->rowOf(requestId), column).data().toString();
}

LiveRequest synthetic(int n)
{
    LiveRequest request;
    request.requestId = "gh-synthetic-" + QByteArray::number(n);
    request.startedAtMs = QDateTime::currentMSecsSinceEpoch();
    request.modelAlias = u"fast"_s;
    request.finished = true;
    request.httpStatus = 200;
    request.outcome = "ok";
    return request;
}

QList<LiveRequest> syntheticRange(int from, int to)
{
    QList<LiveRequest> list;
    for (int n = from; n < to; ++n)
        list.append(synthetic(n));
    return list;
}

QByteArray topRowId(LiveView &view)
{
    return view.table()
        ->indexAt(QPoint(2, 2))
        .data(LiveRequestModel::RequestIdRole)
        .toString()
        .toLatin1();
}

} // namespace

class TestLiveView : public QObject
{
    Q_OBJECT
private:
    GatewayFixture m_fixture;
    std::unique_ptr<GatewayConsole> m_console;

    std::unique_ptr<LiveView> shownView()
    {
        auto view = std::make_unique<LiveView>(m_console.get());
        view->resize(1280, 800);
        view->show();
        if (!QTest::qWaitForWindowExposed(view.get()))
            return nullptr;
        return view;
    }

    QByteArray chat(const QString &model, const QString &prompt, int expectedStatus,
                    const QByteArray &bearer = {}, const QByteArray &headers = {})
    {
        const auto response =
            m_fixture.call("POST", kChat, RequestBodies::chat(model, prompt), bearer, headers);
        if (!response || response->status != expectedStatus)
            return {};
        return response->header("x-request-id");
    }

private Q_SLOTS:
    void initTestCase()
    {
        ConsoleStyle::apply(*qobject_cast<QApplication *>(qApp));
        QString error;
        QVERIFY2(m_fixture.start(&error), qPrintable(error));
        m_console = std::make_unique<GatewayConsole>(m_fixture.gateway());
    }

    void cleanupTestCase() { m_console.reset(); }

    void emptyStateSaysWhereToPointARuntime()
    {
        auto view = shownView();
        QVERIFY(view);
        auto *empty = view->findChild<QLabel *>(u"emptyState"_s);
        QVERIFY(empty);
        QVERIFY(empty->isVisible());
        QVERIFY(!view->table()->isVisible());
        QVERIFY(!view->detail()->isVisible()); // nothing to select yet
        QVERIFY(empty->text().contains(m_console->url() + u"/openai/v1"_s));
        QVERIFY(empty->text().contains(m_console->url() + u"/anthropic"_s));
        Screenshot::save(view.get(), u"live-empty"_s);
        view->model()->add({synthetic(1)});
        QVERIFY(view->table()->isVisible());
        QVERIFY(view->detail()->isVisible());
        QVERIFY(!empty->isVisible());
    }

    void followsTheTailOnlyAtTheBottom()
    {
        auto view = shownView();
        QVERIFY(view);
        QAbstractItemModelTester tester(view->filter(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        LiveRequestModel *model = view->model();
        model->setCapacity(300);
        QTableView *table = view->table();
        model->add(syntheticRange(0, 200));
        QVERIFY(view->isFollowing());
        const int bottom = table->viewport()->height() - 2;
        QCOMPARE(table->indexAt(QPoint(2, bottom)).row(), 199);

        // Scrolled up, the view stays put: also when the oldest rows are trimmed.
        table->scrollTo(view->filter()->index(150, 0), QAbstractItemView::PositionAtTop);
        QVERIFY(!view->isFollowing());
        const QByteArray top = topRowId(*view);
        QCOMPARE(top, QByteArray("gh-synthetic-150"));
        model->add(syntheticRange(200, 260)); // 300 rows: nothing trimmed
        QCOMPARE(topRowId(*view), top);
        model->add(syntheticRange(260, 340)); // 40 trimmed from the top
        QCOMPARE(model->rowCount(), 300);
        QCOMPARE(topRowId(*view), top);
        QVERIFY(!view->isFollowing());

        // Back at the bottom, following resumes.
        table->scrollToBottom();
        QVERIFY(view->isFollowing());
        model->add(syntheticRange(340, 400));
        QVERIFY(view->isFollowing());
        QCOMPARE(table->indexAt(QPoint(2, bottom)).data(LiveRequestModel::RequestIdRole),
                 QVariant(u"gh-synthetic-399"_s));
    }

    void aRequestAppearsAndFinishes()
    {
        auto view = shownView();
        QVERIFY(view);
        const QByteArray id = chat(u"fast"_s, u"hello"_s, 200);
        QVERIFY(!id.isEmpty());
        QTRY_VERIFY(view->model()->rowOf(id) >= 0);
        const int row = view->model()->rowOf(id);
        QCOMPARE(view->model()->state(row), State::Ok);
        QCOMPARE(cell(*view, id, LiveRequestModel::StatusColumn), u"200 ok"_s);
        QCOMPARE(cell(*view, id, LiveRequestModel::ModelColumn), u"fast"_s);
        QCOMPARE(cell(*view, id, LiveRequestModel::PrincipalColumn), u"ci"_s);
        QVERIFY(cell(*view, id, LiveRequestModel::CostColumn).startsWith(u'$'));
        QVERIFY(cell(*view, id, LiveRequestModel::TokensColumn).contains(u" / "_s));
        QCOMPARE(view->model()->request(row).upstreamModel, u"gpt-4o-mini"_s);

        const QByteArray unpriced = chat(u"mystery"_s, u"hello"_s, 200);
        QTRY_VERIFY(view->model()->rowOf(unpriced) >= 0);
        QCOMPARE(cell(*view, unpriced, LiveRequestModel::CostColumn), u"unpriced"_s);
    }

    void aStreamIsLiveThenFillsIn()
    {
        auto view = shownView();
        QVERIFY(view);
        RawHttpClient client;
        QVERIFY(client.connectTo(m_fixture.port()));
        client.send(m_fixture.post(
            kChat, RequestBodies::chat(u"fast"_s, u"[[sim tps=10 tokens=25]] count"_s, true)));
        QVERIFY(client.waitForBytes(1));
        QTRY_VERIFY(client.waitForBytes(1, 10) && client.buffer().contains("\r\n\r\n"));
        const QByteArray id = requestIdOf(client.buffer());
        QVERIFY(!id.isEmpty());
        QTRY_VERIFY(view->model()->rowOf(id) >= 0);
        const int row = view->model()->rowOf(id);
        QCOMPARE(view->model()->state(row), State::Live);
        QCOMPARE(cell(*view, id, LiveRequestModel::StatusColumn), u"streaming…"_s);
        QCOMPARE(view->model()
                     ->index(row, LiveRequestModel::StatusColumn)
                     .data(Qt::ForegroundRole)
                     .value<QColor>(),
                 ConsoleStyle::live());

        // Selected while live, the pane waits and fills in when the call finishes.
        select(*view, id);
        QCOMPARE(view->detail()->requestId(), id);
        QCOMPARE(view->detail()->previews(), LiveRequestDetail::Previews::Pending);

        QVERIFY(client.readResponse(10'000));
        QTRY_COMPARE(view->model()->state(view->model()->rowOf(id)), State::Ok);
        QCOMPARE(view->model()->rowOf(id), row); // replaced in place
        QCOMPARE(cell(*view, id, LiveRequestModel::StatusColumn), u"200 ok"_s);
        QVERIFY2(cell(*view, id, LiveRequestModel::TokensColumn).endsWith(u"/ 25"_s),
                 qPrintable(cell(*view, id, LiveRequestModel::TokensColumn)));
        QVERIFY(cell(*view, id, LiveRequestModel::LatencyColumn).contains(u" / "_s));
        QTRY_COMPARE(view->detail()->previews(), LiveRequestDetail::Previews::Shown);
    }

    void deniedRequestsShowTheirReason_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QByteArray>("bearer");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("statusText");
        QTest::addColumn<QString>("reason");
        QTest::newRow("unknown model")
            << u"no-such-model"_s << QByteArray() << 404 << u"404 unknown model"_s
            << u"The model 'no-such-model' does not exist"_s;
        QTest::newRow("no key") << u"fast"_s << QByteArray("not-a-key") << 401
                                << u"401 unauthorized"_s << QString();
    }

    void deniedRequestsShowTheirReason()
    {
        QFETCH(QString, model);
        QFETCH(QByteArray, bearer);
        QFETCH(int, status);
        QFETCH(QString, statusText);
        QFETCH(QString, reason);
        auto view = shownView();
        QVERIFY(view);
        const QByteArray id = chat(model, u"hello"_s, status, bearer);
        QVERIFY(!id.isEmpty());
        QTRY_VERIFY(view->model()->rowOf(id) >= 0);
        QCOMPARE(view->model()->state(view->model()->rowOf(id)), State::Denied);
        QCOMPARE(cell(*view, id, LiveRequestModel::StatusColumn), statusText);

        select(*view, id);
        auto *shown = view->detail()->findChild<QLabel *>(u"reason"_s);
        QVERIFY(shown);
        QVERIFY(shown->isVisible());
        const QString error = view->model()->request(view->model()->rowOf(id)).error;
        QVERIFY(!error.isEmpty());
        QCOMPARE(shown->text(), error);
        QVERIFY2(shown->text().contains(reason), qPrintable(shown->text()));
        QCOMPARE(shown->palette().color(QPalette::WindowText), ConsoleStyle::failure());
        // Refusals are in the ledger too: the pane ends with an answer, never "loading".
        QTRY_VERIFY(view->detail()->previews() != LiveRequestDetail::Previews::Loading);
        QVERIFY(view->detail()->previews() != LiveRequestDetail::Previews::Failed);
    }

    void detailShowsRedactedPreviews()
    {
        auto view = shownView();
        QVERIFY(view);
        const QString secret = u"sk-proj-"_s + u"Zq7Xw2Lm9Pk4Rt6Yb1Nc8Vd3Hs5Jf0Ga7Ke2Uo9x"_s;
        QCOMPARE(secret.size(), 48);
        const QByteArray id =
            chat(u"fast"_s, u"Deploy with the key %1 and report back."_s.arg(secret), 200);
        QVERIFY(!id.isEmpty());
        QTRY_VERIFY(view->model()->rowOf(id) >= 0);
        select(*view, id);
        QTRY_COMPARE(view->detail()->previews(), LiveRequestDetail::Previews::Shown);
        const QString request = view->detail()->requestPreviewText();
        const QString response = view->detail()->responsePreviewText();
        QVERIFY2(request.contains(u"Deploy with the key [REDACTED:openai_key] and report back."_s),
                 qPrintable(request));
        QVERIFY(!request.contains(secret.mid(8, 20)));
        QVERIFY(!response.contains(secret.mid(8, 20)));
        QVERIFY2(!response.trimmed().isEmpty(), "the response preview shows the answer");
        auto *timing = view->detail()->findChild<QLabel *>(u"timing"_s);
        QVERIFY(timing);
        QVERIFY2(timing->text().contains(u"queued"_s), qPrintable(timing->text()));
    }

    void aRequestTheLedgerDoesNotHaveIsSaidSo()
    {
        auto view = shownView();
        QVERIFY(view);
        LiveRequest ghost = synthetic(1);
        ghost.requestId = "gh-000000000000000000000000";
        view->model()->add({ghost});
        select(*view, ghost.requestId);
        QCOMPARE(view->detail()->previews(), LiveRequestDetail::Previews::Loading);
        QVERIFY(view->detail()->requestPreviewText().contains(u"Loading"_s));
        QElapsedTimer clock;
        clock.start();
        QTRY_COMPARE(view->detail()->previews(), LiveRequestDetail::Previews::Missing);
        // It was asked again while the store may still have been writing it.
        QVERIFY(clock.elapsed() >=
                (LiveRequestDetail::kAttempts - 1) * LiveRequestDetail::kRetryMs - 50);
        QVERIFY(view->detail()->requestPreviewText().contains(u"no event"_s));
    }

    void pauseHoldsNewRequests()
    {
        auto view = shownView();
        QVERIFY(view);
        const QByteArray first = chat(u"fast"_s, u"one"_s, 200);
        QTRY_VERIFY(view->model()->rowOf(first) >= 0);
        auto *pause = view->findChild<QPushButton *>(u"pause"_s);
        auto *held = view->findChild<QLabel *>(u"held"_s);
        QVERIFY(pause && held);
        QVERIFY(!held->isVisible());
        pause->click();
        QVERIFY(view->model()->isPaused());
        QCOMPARE(pause->text(), u"Resume"_s);
        QVERIFY(held->isVisible());
        const int rows = view->model()->rowCount();
        const QByteArray second = chat(u"fast"_s, u"two"_s, 200);
        QTRY_COMPARE(view->model()->heldCount(), 1);
        QCOMPARE(held->text(), u"Paused, 1 new"_s);
        QCOMPARE(view->model()->rowCount(), rows);
        QCOMPARE(view->model()->rowOf(second), -1);
        pause->click();
        QVERIFY(!view->model()->isPaused());
        QCOMPARE(view->model()->rowCount(), rows + 1);
        QVERIFY(view->model()->rowOf(second) >= 0);
        QVERIFY(!held->isVisible());
    }

    void filterBarNarrowsTheTable()
    {
        auto view = shownView();
        QVERIFY(view);
        const QByteArray priced = chat(u"fast"_s, u"one"_s, 200);
        const QByteArray unpriced = chat(u"mystery"_s, u"two"_s, 200);
        const QByteArray down = chat(u"down-model"_s, u"three"_s, 502);
        QTRY_VERIFY(view->model()->rowOf(down) >= 0 && view->model()->rowOf(priced) >= 0 &&
                    view->model()->rowOf(unpriced) >= 0);
        auto *search = view->findChild<QLineEdit *>(u"search"_s);
        auto *model = view->findChild<QComboBox *>(u"model"_s);
        auto *status = view->findChild<QComboBox *>(u"status"_s);
        auto *count = view->findChild<QLabel *>(u"count"_s);
        QVERIFY(search && model && status && count);
        QCOMPARE(count->text(), u"3 shown"_s);

        QTest::keyClicks(search, QString::fromLatin1(priced));
        QCOMPARE(view->filter()->rowCount(), 1);
        QCOMPARE(count->text(), u"1 of 3 shown"_s);
        search->clear();
        QCOMPARE(view->filter()->rowCount(), 3);

        QVERIFY(model->findText(u"mystery"_s) > 0); // choices come from what was seen
        QVERIFY(model->findText(u"down-model"_s) > 0);
        model->setCurrentIndex(model->findText(u"mystery"_s));
        QCOMPARE(view->filter()->rowCount(), 1);
        QCOMPARE(view->filter()->index(0, 0).data(LiveRequestModel::RequestIdRole).toString(),
                 QString::fromLatin1(unpriced));
        model->setCurrentIndex(0);

        status->setCurrentIndex(status->findText(u"Errors"_s));
        QCOMPARE(view->filter()->rowCount(), 1);
        QCOMPARE(view->filter()->index(0, 0).data(LiveRequestModel::RequestIdRole).toString(),
                 QString::fromLatin1(down));
        QVERIFY(cell(*view, down, LiveRequestModel::StatusColumn).startsWith(u"502"_s));
    }

    void screenshotOfMixedTraffic()
    {
        auto view = shownView();
        QVERIFY(view);
        // Two runtimes with credentials of their own, one of them in a flow with a spent budget.
        const auto admin = [&](const QByteArray &method, const QByteArray &path,
                               const QJsonObject &body) {
            const auto reply = m_fixture.admin(method, "/admin/v1/" + path, body);
            return reply ? GatewayFixture::json(*reply) : QJsonObject();
        };
        admin("PUT", "principals/alice-claude", {{u"type"_s, u"claude-code"_s}});
        admin("PUT", "principals/review-bot", {{u"type"_s, u"sdk"_s}});
        admin("PUT", "flows/nightly-fixes", {});
        const QByteArray alice = admin("POST", "credentials", {{u"principal"_s, u"alice-claude"_s}})
                                     .value(u"token"_s)
                                     .toString()
                                     .toLatin1();
        const QByteArray bot =
            admin("POST", "credentials",
                  {{u"principal"_s, u"review-bot"_s}, {u"flow"_s, u"nightly-fixes"_s}})
                .value(u"token"_s)
                .toString()
                .toLatin1();
        QVERIFY(!alice.isEmpty() && !bot.isEmpty());
        const QByteArray session =
            "x-claude-code-session-id: 7f3c2a91-5d1e-4b8a-9c0f-2e6d4a8b1c3e\r\n";

        QVERIFY(!chat(u"fast"_s, u"Summarise the failing tests."_s, 200, alice, session).isEmpty());
        QVERIFY(!chat(u"mystery"_s, u"Draft a changelog entry."_s, 200, bot).isEmpty());
        QVERIFY(!chat(u"down-model"_s, u"Refactor the parser."_s, 502, alice, session).isEmpty());
        QVERIFY(!chat(u"gpt-5-turbo-max"_s, u"hello"_s, 200, bot).isEmpty());
        QVERIFY(!chat(u"no-such-model"_s, u"hello"_s, 404, alice, session).isEmpty());
        const QByteArray selected = chat(
            u"fast"_s,
            u"Fix the flaky retry test. Use the staging key sk-proj-Zq7Xw2Lm9Pk4Rt6Yb1Nc8Vd3Hs5Jf0Ga7Ke2Uo9 only."_s,
            200, bot);
        QVERIFY(!selected.isEmpty());
        QVERIFY(!chat(u"fast"_s, u"hello"_s, 401, "ghrt_0000000000000000_expired").isEmpty());
        admin("POST", "budgets",
              {{u"id"_s, u"nightly-cap"_s},
               {u"name"_s, u"nightly cap"_s},
               {u"layer"_s, u"flow"_s},
               {u"subject"_s, u"nightly-fixes"_s},
               {u"limitMicros"_s, 1},
               {u"period"_s, u"daily"_s},
               {u"enforcement"_s, u"hard"_s}});
        QVERIFY(!chat(u"fast"_s, u"Review PR 1432."_s, 402, bot).isEmpty());

        RawHttpClient stream;
        QVERIFY(stream.connectTo(m_fixture.port()));
        stream.send(rawRequest(
            "POST", kChat,
            RequestBodies::chat(u"fast"_s, u"[[sim tps=5 tokens=400]] Explain the design."_s, true),
            "Authorization: Bearer " + alice + "\r\nContent-Type: application/json\r\n" + session,
            m_fixture.port()));
        QTRY_VERIFY(view->model()->rowCount() == 9 &&
                    view->model()->state(view->model()->rowCount() - 1) == State::Live);

        select(*view, selected);
        QTRY_COMPARE(view->detail()->previews(), LiveRequestDetail::Previews::Shown);
        Screenshot::save(view.get(), u"live-traffic"_s);

        const int denied = view->model()->rowCount() - 2;
        QCOMPARE(view->model()->state(denied), State::Denied);
        view->table()->selectRow(denied);
        QTRY_VERIFY(view->detail()->previews() != LiveRequestDetail::Previews::Loading);
        Screenshot::save(view.get(), u"live-denied"_s);
        stream.socket().abort();
    }
};

QTEST_MAIN(TestLiveView)
#include "tst_liveview.moc"
