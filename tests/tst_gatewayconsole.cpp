// GatewayConsole: what the operator console hears from a running gateway and how it changes it.
#include "admin/adminreply.h"
#include "gateway.h"
#include "gatewayconsole.h"
#include "gatewayfixture.h"
#include "ingress/gatewaycontext.h"
#include "ledger/ledgerreport.h"
#include "ledger/usagerecord.h"
#include "requestbodies.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QList<LiveRequest> arrived(const QSignalSpy &spy)
{
    QList<LiveRequest> all;
    for (const QList<QVariant> &signal : spy)
        all += signal.at(0).value<QList<LiveRequest>>();
    return all;
}

std::optional<LiveRequest> find(const QList<LiveRequest> &requests, const QByteArray &id,
                                bool finished)
{
    for (const LiveRequest &request : requests) {
        if (request.requestId == id && request.finished == finished)
            return request;
    }
    return std::nullopt;
}

} // namespace

class tst_GatewayConsole : public QObject
{
    Q_OBJECT

    GatewayFixture m_fixture;
    std::unique_ptr<GatewayConsole> m_console;

    // Waits for the console's answer to an admin call.
    AdminReply callAndWait(const QByteArray &method, const QString &path,
                           const QJsonObject &body = {})
    {
        std::optional<AdminReply> reply;
        m_console->call(method, path, body, [&](const AdminReply &r) { reply = r; });
        [[maybe_unused]] const bool answered =
            QTest::qWaitFor([&] { return reply.has_value(); }, 10'000);
        return reply.value_or(AdminReply::failure(0, u"no answer"_s, "timeout"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_fixture.start(&error), qPrintable(error));
        m_console = std::make_unique<GatewayConsole>(m_fixture.gateway());
        QCOMPARE(m_console->url(), m_fixture.gateway()->url());
    }

    void finishedCallsArriveWithTheirFigures()
    {
        QSignalSpy requests(m_console.get(), &GatewayConsole::requestsArrived);
        const auto response = m_fixture.call("POST", "/openai/v1/chat/completions",
                                             RequestBodies::chat(u"fast"_s, u"hello"_s));
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        const QByteArray id = response->header("x-request-id");
        QTRY_VERIFY(find(arrived(requests), id, true));
        const LiveRequest done = *find(arrived(requests), id, true);
        QCOMPARE(done.model(), u"fast"_s);
        QCOMPARE(done.upstreamModel, u"gpt-4o-mini"_s);
        QCOMPARE(done.httpStatus, 200);
        QCOMPARE(done.outcome, QByteArray("ok"));
        QCOMPARE(done.apiKey, u"ci"_s);
        QVERIFY(done.usage.completionTokens > 0);
        QVERIFY(done.costMicros.has_value());
        QVERIFY(done.durationUs > 0);
        // It was announced as started before it finished.
        const QList<LiveRequest> all = arrived(requests);
        const auto started = std::find_if(all.begin(), all.end(), [&](const LiveRequest &r) {
            return r.requestId == id && !r.finished;
        });
        QVERIFY(started != all.end());
        QCOMPARE(started->httpStatus, 0);
        QVERIFY(started <
                std::find_if(
                    all.begin(), all.end(),
                    [&](const LiveRequest &r) { return r.requestId == id && r.finished; }));
    }

    void deniedCallsArriveWithTheirReason()
    {
        QSignalSpy requests(m_console.get(), &GatewayConsole::requestsArrived);
        const auto response =
            m_fixture.call("POST", "/openai/v1/chat/completions",
                           RequestBodies::chat(u"fast"_s, u"hello"_s), "wrong-key");
        QVERIFY(response);
        QCOMPARE(response->status, 401);
        const QByteArray id = response->header("x-request-id");
        QTRY_VERIFY(find(arrived(requests), id, true));
        const LiveRequest denied = *find(arrived(requests), id, true);
        QCOMPARE(denied.httpStatus, 401);
        QVERIFY(!denied.error.isEmpty());
        QVERIFY(!find(arrived(requests), id, false)); // never dispatched
    }

    void unpricedStaysUnpriced()
    {
        QSignalSpy requests(m_console.get(), &GatewayConsole::requestsArrived);
        const auto response = m_fixture.call("POST", "/openai/v1/chat/completions",
                                             RequestBodies::chat(u"mystery"_s, u"hello"_s));
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        const QByteArray id = response->header("x-request-id");
        QTRY_VERIFY(find(arrived(requests), id, true));
        QVERIFY(!find(arrived(requests), id, true)->costMicros.has_value());
    }

    void budgetChangesAreAppliedAuditedAndPushed()
    {
        QSignalSpy state(m_console.get(), &GatewayConsole::stateChanged);
        const AdminReply made = callAndWait("POST", u"budgets"_s,
                                            {{u"name"_s, u"console cap"_s},
                                             {u"layer"_s, u"model"_s},
                                             {u"subject"_s, u"fast"_s},
                                             {u"limitMicros"_s, 0}});
        QVERIFY2(!made.failed(), qPrintable(made.error));
        QCOMPARE(made.status, 201);
        const QString id = made.body.toObject().value(u"id"_s).toString();
        const auto hasBudget = [&](qint64 limit) {
            for (const QList<QVariant> &signal : state) {
                for (const QJsonValue &budget : signal.at(0).toJsonArray()) {
                    if (budget.toObject().value(u"id"_s).toString() == id &&
                        budget.toObject().value(u"limitMicros"_s).toInteger() == limit)
                        return true;
                }
            }
            return false;
        };
        QTRY_VERIFY(hasBudget(0));
        // The gateway enforces it at once.
        QCOMPARE(m_fixture
                     .call("POST", "/openai/v1/chat/completions",
                           RequestBodies::chat(u"fast"_s, u"hello"_s))
                     ->status,
                 402);
        const QJsonObject raised{{u"name"_s, u"console cap"_s},
                                 {u"layer"_s, u"model"_s},
                                 {u"subject"_s, u"fast"_s},
                                 {u"limitMicros"_s, 5'000'000}};
        const AdminReply edited = callAndWait("PUT", u"budgets/"_s + id, raised);
        QVERIFY2(!edited.failed(), qPrintable(edited.error));
        QTRY_VERIFY(hasBudget(5'000'000));
        QCOMPARE(m_fixture
                     .call("POST", "/openai/v1/chat/completions",
                           RequestBodies::chat(u"fast"_s, u"hello"_s))
                     ->status,
                 200);
        QTRY_COMPARE(m_fixture.ledger()
                         .query(u"SELECT count(*) AS n FROM admin_audit WHERE actor = 'console' "
                                "AND target = ?"_s,
                                {id})
                         .value(0)
                         .value(u"n"_s)
                         .toInt(),
                     2);
        QVERIFY(!callAndWait("DELETE", u"budgets/"_s + id).failed());
    }

    void alertsArrive()
    {
        QSignalSpy alerts(m_console.get(), &GatewayConsole::alertRaised);
        const AdminReply made = callAndWait("POST", u"budgets"_s,
                                            {{u"layer"_s, u"model"_s},
                                             {u"subject"_s, u"fast"_s},
                                             {u"limitUsd"_s, 1000},
                                             {u"alertPercents"_s, QJsonArray{1}},
                                             {u"enforcement"_s, u"soft"_s}});
        QVERIFY2(!made.failed(), qPrintable(made.error));
        const QString id = made.body.toObject().value(u"id"_s).toString();
        // A soft budget under 1% of which every call's reservation is: drive spending past it.
        QVERIFY(!callAndWait("PUT", u"budgets/"_s + id,
                             {{u"layer"_s, u"model"_s},
                              {u"subject"_s, u"fast"_s},
                              {u"limitMicros"_s, 1},
                              {u"alertPercents"_s, QJsonArray{1}},
                              {u"enforcement"_s, u"soft"_s}})
                     .failed());
        QCOMPARE(m_fixture
                     .call("POST", "/openai/v1/chat/completions",
                           RequestBodies::chat(u"fast"_s, u"hello"_s))
                     ->status,
                 200);
        QTRY_VERIFY(!alerts.isEmpty());
        QCOMPARE(alerts.first().at(0).value<BudgetAlert>().budgetId, id);
        QVERIFY(!callAndWait("DELETE", u"budgets/"_s + id).failed());
    }

    void unknownRoutesAreRefused()
    {
        const AdminReply reply = callAndWait("GET", u"no-such-thing"_s);
        QVERIFY(reply.failed());
        QCOMPARE(reply.status, 404);
    }

    void readsRunOnTheReaderThread()
    {
        const auto response = m_fixture.call("POST", "/openai/v1/chat/completions",
                                             RequestBodies::chat(u"fast"_s, u"read me"_s));
        const QString id = QString::fromLatin1(response->header("x-request-id"));
        QVERIFY(!m_fixture.ledgerRow(*response).isEmpty());
        std::optional<QJsonObject> answer;
        QString failure;
        QThread *readerThread = nullptr;
        m_console->read(
            this,
            [id, &readerThread](const LedgerReport &report, QString *error) {
                readerThread = QThread::currentThread();
                return report.event(id, error);
            },
            [&](const QJsonObject &result, const QString &error) {
                answer = result;
                failure = error;
            });
        QTRY_VERIFY(answer.has_value());
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        QVERIFY(readerThread && readerThread != QThread::currentThread());
        QVERIFY(QJsonDocument(*answer).toJson().contains(id.toLatin1()));
    }

    void aConsoleThatLeavesIsForgotten()
    {
        m_console.reset();
        m_fixture.gateway()->run(
            [](GatewayContext &context) { QVERIFY(!context.live.attached()); });
        const auto response = m_fixture.call("POST", "/openai/v1/chat/completions",
                                             RequestBodies::chat(u"fast"_s, u"hello"_s));
        QCOMPARE(response->status, 200);
        m_console = std::make_unique<GatewayConsole>(m_fixture.gateway());
        m_fixture.gateway()->run([](GatewayContext &context) { QVERIFY(context.live.attached()); });
    }

    void aBusyFeedIsBatched()
    {
        QSignalSpy requests(m_console.get(), &GatewayConsole::requestsArrived);
        m_fixture.gateway()->run([](GatewayContext &context) {
            for (int i = 0; i < 3000; ++i) {
                UsageRecord record;
                record.requestId = "gh-batched-" + QByteArray::number(i);
                context.live.started(record);
            }
        });
        QTRY_COMPARE(arrived(requests).size(), 3000);
        QCOMPARE(requests.size(), 1); // one delivery for everything of one interval
    }

    void cleanupTestCase() { m_console.reset(); }
};

QTEST_GUILESS_MAIN(tst_GatewayConsole)
#include "tst_gatewayconsole.moc"
