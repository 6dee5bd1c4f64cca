// Team mode with real processes: two gatehouse executables (--headless, --database) sharing one
// PostgreSQL server admit exactly as many requests as one budget allows, whichever instance
// they reach; a SIGKILLed instance's reservations are released by the other after its lease.
// An in-process gateway with its console on the same database hears what the processes serve.
#include "config/configurationfile.h"
#include "gateway.h"
#include "gatewayconsole.h"
#include "ledgerreader.h"
#include "postgresserver.h"
#include "teaminstance.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

// The lease of the instance whose end a test waits for. Every other instance keeps the default
// (30 s): with a short lease, an instance stalled a second on a busy machine would have its
// live reservations released by the other's sweep.
constexpr qint64 kLeaseMs = 1500;

// What a reservation of this body holds in tokens: the body's size / 3 plus max_tokens.
qint64 estimateTokens(const QByteArray &body)
{
    return (body.size() + 2) / 3 + 16;
}
} // namespace

class TestTeamGateways : public QObject
{
    Q_OBJECT

    PostgresServer m_server;
    std::unique_ptr<LedgerReader> m_ledger;

    qint64 number(const QString &sql)
    {
        return m_ledger->query(sql).value(0).value(u"n"_s).toLongLong();
    }

    // What the shared database holds, for a failure's message.
    QString ledgerState()
    {
        QString state = u"reservations: %1; usage:"_s.arg(
            number(u"SELECT COUNT(*) AS n FROM budget_reservations"_s));
        for (const QVariantMap &row : m_ledger->query(
                 u"SELECT outcome, COUNT(*) AS n FROM usage GROUP BY outcome ORDER BY outcome"_s))
            state += u" %1 %2"_s.arg(row.value(u"outcome"_s).toString(),
                                     row.value(u"n"_s).toString());
        // Why a request was refused, and what the shared totals held.
        for (const QVariantMap &row : m_ledger->query(
                 u"SELECT error FROM usage WHERE outcome <> 'ok' ORDER BY started_at_ms LIMIT 3"_s))
            state += u"; refused: %1"_s.arg(row.value(u"error"_s).toString());
        for (const QVariantMap &row :
             m_ledger->query(u"SELECT budget_id, instance, spent_tokens, reserved_tokens FROM "
                             "budget_totals ORDER BY budget_id, instance"_s))
            state += u"; total %1/%2: spent %3, reserved %4"_s.arg(
                row.value(u"budget_id"_s).toString(), row.value(u"instance"_s).toString(),
                row.value(u"spent_tokens"_s).toString(),
                row.value(u"reserved_tokens"_s).toString());
        return state;
    }

    // One quick chat request through an instance on a connection of its own: its answer.
    static std::optional<RawHttpResponse> chat(const TeamInstance &instance)
    {
        RawHttpClient client;
        if (!client.connectTo(instance.port()))
            return std::nullopt;
        client.send(teamChatRequest(teamChatBody(0), instance.port()));
        return client.readResponse(30'000);
    }

    static int chatStatus(const TeamInstance &instance)
    {
        const auto response = chat(instance);
        return response ? response->status : 0;
    }

    // A token budget on the example key, made through one instance's admin API.
    QString createBudget(TeamInstance &instance, qint64 limitTokens, const QJsonObject &more = {})
    {
        QJsonObject budget{{u"layer"_s, u"key"_s},
                           {u"subject"_s, u"example"_s},
                           {u"limitTokens"_s, limitTokens},
                           {u"period"_s, u"daily"_s}};
        for (auto it = more.constBegin(); it != more.constEnd(); ++it)
            budget.insert(it.key(), it.value());
        const auto response = instance.admin("POST", "/admin/v1/budgets", budget);
        if (!response || response->status != 201) {
            qWarning() << "budget not made:" << (response ? response->body : QByteArray());
            return {};
        }
        return QJsonDocument::fromJson(response->body).object().value(u"id"_s).toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        const auto location = DatabaseLocation::parse(m_server.url(), &error);
        QVERIFY2(location, qPrintable(error));
        m_ledger = std::make_unique<LedgerReader>(*location);
    }

    void cleanupTestCase() { m_ledger.reset(); }

    // Each test starts with no budget, no totals and no usage (its gateways are gone by now).
    void cleanup()
    {
        for (const QString &table :
             {u"budgets"_s, u"budget_totals"_s, u"budget_reservations"_s, u"budget_alerts"_s,
              u"usage"_s, u"events"_s, u"kill_switches"_s})
            m_ledger->query(u"DELETE FROM "_s + table);
    }

    void twoProcessesAdmitExactlyWhatOneBudgetAllows()
    {
        TeamInstance first;
        QVERIFY(first.start(m_server.url()));
        const QByteArray body = teamChatBody(4);
        constexpr int kAdmitted = 10;
        constexpr int kRequests = 64;
        const qint64 estimate = estimateTokens(body);
        const QString id = createBudget(first, kAdmitted * estimate + estimate / 2);
        QVERIFY(!id.isEmpty());
        // Started after the budget was made: it reads it from the shared database.
        TeamInstance second;
        QVERIFY(second.start(m_server.url()));

        std::vector<std::unique_ptr<RawHttpClient>> clients;
        const auto send = [&](int i) {
            const quint16 port = i % 2 ? second.port() : first.port();
            auto client = std::make_unique<RawHttpClient>();
            if (!client->connectTo(port))
                return false;
            client->send(teamChatRequest(body, port));
            clients.push_back(std::move(client));
            return true;
        };
        // A few through each instance first, so both hold some of the budget whatever the
        // scheduling; then the rest at once, alternating.
        constexpr int kOpening = 6;
        for (int i = 0; i < kOpening; ++i)
            QVERIFY(send(i));
        // Admitted before the rest are sent: each holds its reservation or, on a slow machine,
        // has already finished and been settled.
        const auto openingAdmitted = [&] {
            return number(u"SELECT (SELECT COUNT(*) FROM budget_reservations) + (SELECT COUNT(*) "
                          "FROM usage WHERE outcome = 'ok') AS n"_s) == kOpening;
        };
        QVERIFY2(QTest::qWaitFor(openingAdmitted, 30'000), qPrintable(ledgerState()));
        for (int i = kOpening; i < kRequests; ++i)
            QVERIFY(send(i));
        int admitted = 0;
        int denied = 0;
        int admittedBySecond = 0;
        for (int i = 0; i < kRequests; ++i) {
            const auto response = clients[i]->readResponse(60'000);
            QVERIFY(response);
            if (response->status == 200) {
                ++admitted;
                admittedBySecond += i % 2;
                continue;
            }
            QCOMPARE(response->status, 402);
            QVERIFY2(response->body.contains("across the team"), response->body.constData());
            ++denied;
        }
        QCOMPARE(admitted, kAdmitted);
        QCOMPARE(denied, kRequests - kAdmitted);
        QVERIFY2(admittedBySecond >= kOpening / 2 && admitted - admittedBySecond >= kOpening / 2,
                 qPrintable(QString::number(admittedBySecond)));

        // Every request is in the one ledger, once; the shared total holds nothing any more.
        QTRY_COMPARE_WITH_TIMEOUT(number(u"SELECT COUNT(*) AS n FROM usage WHERE outcome = 'ok'"_s),
                                  kAdmitted, 30'000);
        QTRY_COMPARE_WITH_TIMEOUT(
            number(u"SELECT COUNT(*) AS n FROM usage WHERE outcome = 'denied_budget'"_s),
            kRequests - kAdmitted, 30'000);
        QTRY_COMPARE_WITH_TIMEOUT(number(u"SELECT COUNT(*) AS n FROM budget_reservations"_s), 0,
                                  30'000);
        QCOMPARE(number(u"SELECT reserved_tokens AS n FROM budget_totals"_s), 0);
        QCOMPARE(number(u"SELECT spent_tokens AS n FROM budget_totals"_s),
                 number(u"SELECT SUM(total_tokens) AS n FROM usage WHERE outcome = 'ok'"_s));
    }

    void changesOnOneInstanceApplyOnTheOtherAtOnce()
    {
        TeamInstance first;
        QVERIFY(first.start(m_server.url()));
        TeamInstance second;
        QVERIFY(second.start(m_server.url()));
        QCOMPARE(chatStatus(first), 200);
        // A budget made on the second instance (nothing fits it) refuses on the first.
        QVERIFY(!createBudget(second, 1).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(chatStatus(first), 402, 2000);
        // The kill switch set on the second stops the first (it is checked before budgets).
        const auto cut = second.admin("POST", "/admin/v1/kill-switch",
                                      {{u"scope"_s, u"all"_s}, {u"reason"_s, u"incident"_s}});
        QVERIFY(cut && cut->status / 100 == 2);
        QTRY_COMPARE_WITH_TIMEOUT(chatStatus(first), 403, 2000);
    }

    // Instance B is a Gateway in this process with its operator console attached: what the
    // process A serves, B's console shows within a second, with the shared budget's figures
    // and its threshold alert (recorded once for the team).
    void anotherInstancesTrafficReachesThisConsole()
    {
        TeamInstance serving;
        QVERIFY(serving.start(m_server.url()));
        QTemporaryDir dir;
        QString error;
        std::optional<Configuration> config =
            ConfigurationFile::parse(TeamInstance::configuration(30'000), u"team.json"_s, &error);
        QVERIFY2(config, qPrintable(error));
        config->dataDir = dir.path();
        config->listenPort = 0;
        config->database = *DatabaseLocation::parse(m_server.url(), &error);
        Gateway watching(*config);
        QVERIFY2(watching.start(&error), qPrintable(error));
        GatewayConsole console(&watching);
        QSignalSpy requests(&console, &GatewayConsole::requestsArrived);
        QSignalSpy states(&console, &GatewayConsole::stateChanged);
        QSignalSpy alerts(&console, &GatewayConsole::alertRaised);

        // A soft budget: everything is admitted, and the first request passes its threshold.
        const QString id = createBudget(
            serving, 10, {{u"enforcement"_s, u"soft"_s}, {u"alertPercents"_s, QJsonArray{50}}});
        QVERIFY(!id.isEmpty());
        const auto response = chat(serving);
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        const QByteArray requestId = response->header("x-request-id");
        QElapsedTimer sinceServed;
        sinceServed.start();
        const auto shown = [&] {
            for (const QList<QVariant> &signal : std::as_const(requests)) {
                for (const LiveRequest &request : signal.at(0).value<QList<LiveRequest>>()) {
                    if (request.requestId == requestId && request.finished)
                        return request.httpStatus == 200 && request.usage.totalTokens() > 0;
                }
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(shown(), 1000);
        qInfo("another instance's request reached this console %lld ms after its answer",
              sinceServed.elapsed());

        // The shared total, as the budgets' status on this instance shows it.
        const auto spentShown = [&] {
            if (states.isEmpty())
                return qint64(0);
            for (const QJsonValue &budget : states.last().at(0).toJsonArray()) {
                if (budget[u"id"_s].toString() == id)
                    return qint64(budget[u"spentTokens"_s].toInteger());
            }
            return qint64(0);
        };
        QTRY_VERIFY_WITH_TIMEOUT(spentShown() > 0, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(number(u"SELECT spent_tokens AS n FROM budget_totals"_s),
                                  spentShown(), 5000);
        // Both gateways see the threshold crossed; each console hears it, the ledger once.
        QTRY_COMPARE_WITH_TIMEOUT(alerts.size(), 1, 5000);
        QCOMPARE(alerts.first().at(0).value<BudgetAlert>().budgetId, id);
        QCOMPARE(alerts.first().at(0).value<BudgetAlert>().kind, u"threshold"_s);
        QTRY_COMPARE_WITH_TIMEOUT(
            number(u"SELECT COUNT(*) AS n FROM budget_alerts WHERE kind = 'threshold'"_s), 1, 5000);
        // More spending past the threshold, seen here: nobody announces the crossing again.
        QCOMPARE(chatStatus(serving), 200);
        QTRY_COMPARE_WITH_TIMEOUT(number(u"SELECT COUNT(*) AS n FROM usage WHERE outcome = 'ok'"_s),
                                  2, 30'000);
        QTRY_COMPARE_WITH_TIMEOUT(spentShown(),
                                  number(u"SELECT SUM(total_tokens) AS n FROM usage"_s), 5000);
        QCOMPARE(number(u"SELECT COUNT(*) AS n FROM budget_alerts WHERE kind = 'threshold'"_s), 1);
        QCOMPARE(alerts.size(), 1);
    }

    // A budget made on one instance, first spent on by another: the shared total starts from
    // what the ledger already holds for the period, whichever instance makes it.
    void aNewTotalStartsFromTheLedgerOnAnyInstance()
    {
        TeamInstance first;
        QVERIFY(first.start(m_server.url()));
        TeamInstance second;
        QVERIFY(second.start(m_server.url()));
        for (int i = 0; i < 2; ++i) {
            QCOMPARE(chatStatus(first), 200);
        }
        QTRY_COMPARE_WITH_TIMEOUT(number(u"SELECT COUNT(*) AS n FROM usage"_s), 2, 30'000);
        const qint64 before = number(u"SELECT SUM(total_tokens) AS n FROM usage"_s);
        QVERIFY(before > 0);
        const QString id = createBudget(second, 1'000'000);
        QVERIFY(!id.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(first.admin("GET", "/admin/v1/budgets/" + id.toUtf8())->status,
                                  200, 5000);
        QCOMPARE(chatStatus(first), 200);
        QTRY_COMPARE_WITH_TIMEOUT(number(u"SELECT COUNT(*) AS n FROM budget_reservations"_s), 0,
                                  30'000);
        QTRY_COMPARE_WITH_TIMEOUT(number(u"SELECT spent_tokens AS n FROM budget_totals"_s),
                                  number(u"SELECT SUM(total_tokens) AS n FROM usage"_s), 30'000);
        QVERIFY(number(u"SELECT spent_tokens AS n FROM budget_totals"_s) > before);
    }

    void aKilledInstancesReservationsAreReleasedAfterItsLease()
    {
        TeamInstance survivor(kLeaseMs);
        QVERIFY(survivor.start(m_server.url()));
        const QString id = createBudget(survivor, 1'000'000);
        QVERIFY(!id.isEmpty());
        TeamInstance doomed(kLeaseMs);
        QVERIFY(doomed.start(m_server.url()));

        RawHttpClient client;
        QVERIFY(client.connectTo(doomed.port()));
        client.send(teamChatRequest(teamChatBody(30), doomed.port()));
        QTRY_COMPARE_WITH_TIMEOUT(number(u"SELECT COUNT(*) AS n FROM budget_reservations"_s), 1,
                                  30'000);
        QVERIFY(number(u"SELECT SUM(reserved_tokens) AS n FROM budget_totals"_s) > 0);
        doomed.killHard();

        // The survivor's heartbeat finds the lease passed and gives the hold back.
        QTRY_COMPARE_WITH_TIMEOUT(number(u"SELECT COUNT(*) AS n FROM budget_reservations"_s), 0,
                                  int(kLeaseMs) * 10);
        QCOMPARE(number(u"SELECT SUM(reserved_tokens) AS n FROM budget_totals"_s), 0);
    }

    void aDatabaseOutageFailsNewRequestsClosedAndLosesNothing()
    {
        TeamInstance instance;
        QVERIFY(instance.start(m_server.url()));
        QVERIFY(!createBudget(instance, 1'000'000).isEmpty());
        // Admitted before the outage: it finishes, and its cost is settled afterwards.
        RawHttpClient admitted;
        QVERIFY(admitted.connectTo(instance.port()));
        admitted.send(teamChatRequest(teamChatBody(3), instance.port()));
        QTRY_COMPARE_WITH_TIMEOUT(number(u"SELECT COUNT(*) AS n FROM budget_reservations"_s), 1,
                                  30'000);
        QString error;
        QVERIFY2(m_server.stop(&error), qPrintable(error));

        RawHttpClient refused;
        QVERIFY(refused.connectTo(instance.port()));
        refused.send(teamChatRequest(teamChatBody(1), instance.port()));
        const auto denial = refused.readResponse(30'000);
        QVERIFY(denial);
        QCOMPARE(denial->status, 503);
        const QJsonObject body = QJsonDocument::fromJson(denial->body).object();
        const QJsonObject apiError = body.value(u"error"_s).toObject(); // the OpenAI shape
        QCOMPARE(apiError.value(u"code"_s).toString(), u"budget_store_unavailable"_s);
        QVERIFY2(
            apiError.value(u"message"_s)
                .toString()
                .contains(u"postgresql://gatehouse@127.0.0.1:%1/gatehouse"_s.arg(m_server.port())),
            denial->body.constData());
        const auto finished = admitted.readResponse(30'000);
        QVERIFY(finished);
        QCOMPARE(finished->status, 200);

        QVERIFY2(m_server.restart(&error), qPrintable(error));
        m_ledger = std::make_unique<LedgerReader>(*DatabaseLocation::parse(m_server.url(), &error));
        // Both requests reach the ledger once; the settle waited and was applied.
        QTRY_COMPARE_WITH_TIMEOUT(number(u"SELECT COUNT(*) AS n FROM usage WHERE outcome IN "
                                         "('ok', 'denied_budget_store')"_s),
                                  2, 30'000);
        QTRY_COMPARE_WITH_TIMEOUT(number(u"SELECT COUNT(*) AS n FROM budget_reservations"_s), 0,
                                  30'000);
        QTRY_VERIFY_WITH_TIMEOUT(number(u"SELECT spent_tokens AS n FROM budget_totals"_s) > 0,
                                 30'000);
        QCOMPARE(number(u"SELECT reserved_tokens AS n FROM budget_totals"_s), 0);
    }

    // The database restarts in the middle of a steady load: every request is answered, and
    // every answered request is in the ledger exactly once after it returns (the rows queued
    // meanwhile are written then; a batch written twice is not doubled).
    void aDatabaseRestartUnderLoadLosesAndDoublesNothing()
    {
        TeamInstance instance;
        QVERIFY(instance.start(m_server.url()));
        constexpr int kWaves = 12;
        constexpr int kPerWave = 8;
        QSet<QByteArray> answered;
        QString error;
        for (int wave = 0; wave < kWaves; ++wave) {
            if (wave == 4)
                QVERIFY2(m_server.stop(&error), qPrintable(error));
            if (wave == 8)
                QVERIFY2(m_server.restart(&error), qPrintable(error));
            std::vector<std::unique_ptr<RawHttpClient>> clients;
            for (int i = 0; i < kPerWave; ++i) {
                auto client = std::make_unique<RawHttpClient>();
                QVERIFY(client->connectTo(instance.port()));
                client->send(teamChatRequest(teamChatBody(0), instance.port()));
                clients.push_back(std::move(client));
            }
            for (auto &client : clients) {
                const auto response = client->readResponse(30'000);
                QVERIFY(response);
                QCOMPARE(response->status, 200); // no budget: nothing asks the database first
                answered.insert(response->header("x-request-id"));
            }
        }
        QCOMPARE(answered.size(), kWaves * kPerWave);
        m_ledger = std::make_unique<LedgerReader>(*DatabaseLocation::parse(m_server.url(), &error));
        QTRY_COMPARE_WITH_TIMEOUT(number(u"SELECT COUNT(*) AS n FROM usage"_s), kWaves * kPerWave,
                                  30'000);
        QCOMPARE(number(u"SELECT COUNT(DISTINCT request_id) AS n FROM usage"_s), kWaves * kPerWave);
        QSet<QByteArray> stored;
        for (const QVariantMap &row : m_ledger->query(u"SELECT request_id FROM usage"_s))
            stored.insert(row.value(u"request_id"_s).toString().toLatin1());
        QCOMPARE(stored, answered);
        QTRY_COMPARE_WITH_TIMEOUT(number(u"SELECT COUNT(*) AS n FROM events"_s), kWaves * kPerWave,
                                  30'000);
    }
};

QTEST_GUILESS_MAIN(TestTeamGateways)
#include "tst_teamgateways.moc"
