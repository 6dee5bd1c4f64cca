// Budgets end to end over loopback: exactly N of 64 concurrent requests admitted, no
// reservation left afterwards (also with upstream failures and clients that leave), denials in
// each family's shape naming the numbers, unpriced models, live edits, and the kill switch.
#include "gatewayfixture.h"
#include "ledger/pricetable.h"
#include "ledger/usagecost.h"
#include "requestbodies.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

// Every call asks for at most 16 tokens: the estimate below counts on it.
QByteArray maxTokens16(const QString &model, const QString &prompt, bool stream)
{
    return RequestBodies::chat(model, prompt, stream, {{u"max_tokens"_s, 16}});
}

// What the gateway reserves for a body: its size over 3 as input, max_tokens as output.
qint64 estimateMicros(const QByteArray &body, const QString &upstreamModel)
{
    TokenUsage usage;
    usage.promptTokens = (body.size() + 2) / 3;
    usage.completionTokens = 16;
    return *UsageCost::compute(usage, PriceTable::bundled({}).find(upstreamModel)).micros;
}

QString errorMessage(const RawHttpResponse &response)
{
    return GatewayFixture::json(response)
        .value(u"error"_s)
        .toObject()
        .value(u"message"_s)
        .toString();
}

} // namespace

class tst_GatewayBudgets : public QObject
{
    Q_OBJECT

    GatewayFixture m_fixture;

    QJsonObject createBudget(const QJsonObject &definition)
    {
        const auto response = m_fixture.admin("POST", "/admin/v1/budgets", definition);
        if (!response || response->status != 201) {
            qWarning() << "budget not made:" << (response ? response->body : QByteArray());
            return {};
        }
        return GatewayFixture::json(*response);
    }
    QJsonObject budgetStatus(const QString &id)
    {
        return GatewayFixture::json(*m_fixture.admin("GET", "/admin/v1/budgets/" + id.toLatin1()));
    }
    void removeBudget(const QString &id)
    {
        m_fixture.admin("DELETE", "/admin/v1/budgets/" + id.toLatin1());
    }
    qint64 ledgerCost(const QStringList &requestIds)
    {
        qint64 sum = 0;
        for (const QString &id : requestIds)
            sum += m_fixture.ledger().row(id.toLatin1()).value(u"cost_micros"_s).toLongLong();
        return sum;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_fixture.start(&error), qPrintable(error));
    }

    void exactlyNOfSixtyFourConcurrentRequestsAreAdmitted()
    {
        const QByteArray body =
            maxTokens16(u"fast"_s, u"[[sim tokens=8 tps=40]] count to eight"_s, false);
        const qint64 estimate = estimateMicros(body, u"gpt-4o-mini"_s);
        constexpr int kAdmitted = 10;
        const QJsonObject budget =
            createBudget({{u"layer"_s, u"key"_s},
                          {u"subject"_s, u"ci"_s},
                          {u"limitMicros"_s, kAdmitted * estimate + estimate / 2},
                          {u"period"_s, u"daily"_s}});
        const QString id = budget.value(u"id"_s).toString();
        QVERIFY(!id.isEmpty());

        std::vector<std::unique_ptr<RawHttpClient>> clients;
        for (int i = 0; i < 64; ++i) {
            auto client = std::make_unique<RawHttpClient>();
            QVERIFY(client->connectTo(m_fixture.port()));
            clients.push_back(std::move(client));
        }
        for (auto &client : clients)
            client->send(m_fixture.post("/openai/v1/chat/completions", body));
        int admitted = 0;
        int denied = 0;
        QStringList ids;
        for (auto &client : clients) {
            const auto response = client->readResponse(30'000);
            QVERIFY(response);
            ids += QString::fromLatin1(response->header("x-request-id"));
            if (response->status == 200) {
                ++admitted;
            } else {
                QCOMPARE(response->status, 402);
                const QJsonObject error =
                    GatewayFixture::json(*response).value(u"error"_s).toObject();
                QCOMPARE(error.value(u"type"_s).toString(), u"insufficient_quota"_s);
                QCOMPARE(error.value(u"code"_s).toString(), u"budget_exceeded"_s);
                QVERIFY2(error.value(u"message"_s).toString().contains(u"key 'ci', daily, hard"_s),
                         qPrintable(error.value(u"message"_s).toString()));
                ++denied;
            }
        }
        QCOMPARE(admitted, kAdmitted);
        QCOMPARE(denied, 64 - kAdmitted);

        QVERIFY(m_fixture.ledger().waitForRows(64));
        QTRY_COMPARE(
            m_fixture.ledger()
                .query(u"SELECT count(*) AS n FROM usage WHERE outcome = 'denied_budget'"_s)
                .value(0)
                .value(u"n"_s)
                .toInt(),
            64 - kAdmitted);
        // In team mode the status shows the shared totals' latest snapshot (at most ~250 ms old).
        QTRY_COMPARE(budgetStatus(id).value(u"reservedMicros"_s).toInteger(), 0);
        const QJsonObject status = budgetStatus(id);
        const qint64 spent = status.value(u"spentMicros"_s).toInteger();
        QVERIFY(spent > 0);
        QVERIFY(spent <= status.value(u"limitMicros"_s).toInteger());
        QTRY_COMPARE(ledgerCost(ids), spent);
        // The rows show what was reserved: no overrun here.
        const auto overruns = m_fixture.ledger().query(
            u"SELECT count(*) AS n FROM usage WHERE reserved_micros IS NOT NULL AND "
            "cost_micros > reserved_micros"_s);
        QCOMPARE(overruns.value(0).value(u"n"_s).toInt(), 0);
        removeBudget(id);
    }

    void noReservationSurvivesFailuresAndDisconnects()
    {
        const QJsonObject budget = createBudget(
            {{u"layer"_s, u"account"_s}, {u"subject"_s, u"acme"_s}, {u"limitUsd"_s, 0.05}});
        const QString id = budget.value(u"id"_s).toString();
        QRandomGenerator random(20261124);
        std::vector<std::unique_ptr<RawHttpClient>> clients;
        QList<int> kinds;
        for (int i = 0; i < 64; ++i) {
            const int kind = random.bounded(3); // 0 normal, 1 provider error, 2 client leaves
            const QString prompt =
                kind == 1 ? u"[[sim status=500]]"_s : u"[[sim tokens=60 tps=100]] stream"_s;
            auto client = std::make_unique<RawHttpClient>();
            QVERIFY(client->connectTo(m_fixture.port()));
            client->send(m_fixture.post("/openai/v1/chat/completions",
                                        maxTokens16(u"fast"_s, prompt, true)));
            clients.push_back(std::move(client));
            kinds.append(kind);
        }
        for (size_t i = 0; i < clients.size(); ++i) {
            if (kinds.at(qsizetype(i)) == 2) {
                clients[i]->waitForBytes(200, 5000); // admitted and streaming, or refused
                clients[i]->socket().abort();
            } else {
                QVERIFY(clients[i]->readResponse(30'000));
            }
        }
        QTRY_COMPARE_WITH_TIMEOUT(budgetStatus(id).value(u"reservedMicros"_s).toInteger(), 0,
                                  15'000);
        const QJsonObject status = budgetStatus(id);
        QVERIFY(status.value(u"spentMicros"_s).toInteger() <= 50'000);
        QTRY_VERIFY(m_fixture.ledger().waitForRows(64 + 64));
        removeBudget(id);
    }

    void denialsInTheAnthropicShapeAndUnpricedModels()
    {
        const QJsonObject budget = createBudget({{u"name"_s, u"team cap"_s},
                                                 {u"layer"_s, u"account"_s},
                                                 {u"subject"_s, u"acme"_s},
                                                 {u"limitUsd"_s, 0.000001}});
        const QString id = budget.value(u"id"_s).toString();
        const auto anthropic = m_fixture.call(
            "POST", "/anthropic/v1/messages",
            R"({"model":"claude-haiku-4-5","max_tokens":64,"messages":[{"role":"user","content":"hi"}]})");
        QCOMPARE(anthropic->status, 402);
        const QJsonObject body = GatewayFixture::json(*anthropic);
        QCOMPARE(body.value(u"type"_s).toString(), u"error"_s);
        QCOMPARE(body.value(u"error"_s).toObject().value(u"type"_s).toString(), u"billing_error"_s);
        const QString message = body.value(u"error"_s).toObject().value(u"message"_s).toString();
        QVERIFY2(message.contains(u"Budget 'team cap' (account 'acme', monthly, hard)"_s) &&
                     message.contains(u"limit $0.000001"_s) && message.contains(u"spent $"_s) &&
                     message.contains(u"reserved $"_s) && message.contains(u"estimate $"_s),
                 qPrintable(message));

        // A model without a price under a hard USD budget: denied with that reason ...
        m_fixture.admin("PATCH", "/admin/v1/budgets/" + id.toLatin1(), {{u"limitUsd"_s, 100}});
        const auto unpriced = m_fixture.call("POST", "/openai/v1/chat/completions",
                                             maxTokens16(u"mystery"_s, u"hi"_s, false));
        QCOMPARE(unpriced->status, 402);
        QVERIFY2(errorMessage(*unpriced).contains(u"unpriced"_s),
                 qPrintable(errorMessage(*unpriced)));
        // ... unless the operator allows it for this budget.
        m_fixture.admin("PATCH", "/admin/v1/budgets/" + id.toLatin1(),
                        {{u"allowUnpriced"_s, true}});
        QCOMPARE(m_fixture
                     .call("POST", "/openai/v1/chat/completions",
                           maxTokens16(u"mystery"_s, u"hi"_s, false))
                     ->status,
                 200);
        QTRY_COMPARE(budgetStatus(id).value(u"unpricedRequests"_s).toInteger(), 1);
        removeBudget(id);
    }

    void editsApplyToTheNextRequestAndAreAudited()
    {
        const QJsonObject budget = createBudget(
            {{u"layer"_s, u"model"_s}, {u"subject"_s, u"fast"_s}, {u"limitMicros"_s, 0}});
        const QString id = budget.value(u"id"_s).toString();
        QCOMPARE(
            m_fixture
                .call("POST", "/openai/v1/chat/completions", maxTokens16(u"fast"_s, u"hi"_s, false))
                ->status,
            402);
        const auto patched =
            m_fixture.admin("PATCH", "/admin/v1/budgets/" + id.toLatin1(), {{u"limitUsd"_s, 1}});
        QCOMPARE(patched->status, 200);
        QCOMPARE(GatewayFixture::json(*patched).value(u"limitMicros"_s).toInteger(), 1'000'000);
        QCOMPARE(
            m_fixture
                .call("POST", "/openai/v1/chat/completions", maxTokens16(u"fast"_s, u"hi"_s, false))
                ->status,
            200);
        m_fixture.admin("PATCH", "/admin/v1/budgets/" + id.toLatin1(),
                        {{u"enforcement"_s, u"soft"_s}, {u"limitMicros"_s, 0}});
        QCOMPARE(
            m_fixture
                .call("POST", "/openai/v1/chat/completions", maxTokens16(u"fast"_s, u"hi"_s, false))
                ->status,
            200); // soft: admitted, alerted
        QTRY_VERIFY(
            !m_fixture.ledger()
                 .query(u"SELECT 1 FROM budget_alerts WHERE budget_id = ? AND kind = 'threshold'"_s,
                        {id})
                 .isEmpty());
        // The audit goes through the store's queue. In team mode the alert does not (the team's
        // own connection writes it), so the alert is no sign that the audit has landed.
        const auto auditRows = [&] {
            return m_fixture.ledger().query(
                u"SELECT old_value, new_value FROM admin_audit WHERE target = ? AND "
                "action = 'budget.update' ORDER BY id"_s,
                {id});
        };
        QTRY_COMPARE(auditRows().size(), 2);
        const auto audit = auditRows();
        QVERIFY(audit.at(0).value(u"old_value"_s).toString().contains(u"\"limitMicros\":0"_s));
        QVERIFY(
            audit.at(0).value(u"new_value"_s).toString().contains(u"\"limitMicros\":1000000"_s));
        QCOMPARE(m_fixture
                     .admin("POST", "/admin/v1/budgets",
                            {{u"layer"_s, u"flow"_s}, {u"subject"_s, u"x"_s}})
                     ->status,
                 400);
        removeBudget(id);
        QCOMPARE(m_fixture.admin("GET", "/admin/v1/budgets/" + id.toLatin1())->status, 404);
    }

    void rateLimitsRefuseWith429AndTheirHeaders()
    {
        const auto made = m_fixture.admin(
            "POST", "/admin/v1/rate-limits",
            {{u"scope"_s, u"key"_s}, {u"subject"_s, u"ci"_s}, {u"requestsPerMinute"_s, 2}});
        QCOMPARE(made->status, 201);
        const QByteArray id = GatewayFixture::json(*made).value(u"id"_s).toString().toLatin1();
        const auto first = m_fixture.call("POST", "/openai/v1/chat/completions",
                                          maxTokens16(u"fast"_s, u"hi"_s, false));
        QCOMPARE(first->status, 200);
        QCOMPARE(first->header("x-ratelimit-limit-requests"), QByteArray("2"));
        QCOMPARE(first->header("x-ratelimit-remaining-requests"), QByteArray("1"));
        // A request a budget refuses is given back to the rate limit.
        const QJsonObject budget = createBudget(
            {{u"layer"_s, u"model"_s}, {u"subject"_s, u"mystery"_s}, {u"limitUsd"_s, 1}});
        QCOMPARE(m_fixture
                     .call("POST", "/openai/v1/chat/completions",
                           maxTokens16(u"mystery"_s, u"hi"_s, false))
                     ->status,
                 402);
        removeBudget(budget.value(u"id"_s).toString());
        QCOMPARE(
            m_fixture
                .call("POST", "/openai/v1/chat/completions", maxTokens16(u"fast"_s, u"hi"_s, false))
                ->status,
            200);
        const auto refused = m_fixture.call(
            "POST", "/anthropic/v1/messages",
            R"({"model":"claude-x","max_tokens":8,"messages":[{"role":"user","content":"hi"}]})");
        QCOMPARE(refused->status, 429);
        QCOMPARE(
            GatewayFixture::json(*refused).value(u"error"_s).toObject().value(u"type"_s).toString(),
            u"rate_limit_error"_s);
        QVERIFY(refused->header("retry-after").toInt() >= 1);
        QCOMPARE(refused->header("x-ratelimit-remaining-requests"), QByteArray("0"));
        QCOMPARE(m_fixture.ledgerRow(*refused).value(u"outcome"_s).toString(),
                 u"denied_rate_limit"_s);
        QCOMPARE(m_fixture.admin("DELETE", "/admin/v1/rate-limits/" + id)->status, 200);
        QCOMPARE(
            m_fixture
                .call("POST", "/openai/v1/chat/completions", maxTokens16(u"fast"_s, u"hi"_s, false))
                ->status,
            200);
        QCOMPARE(
            m_fixture
                .admin(
                    "POST", "/admin/v1/rate-limits",
                    {{u"scope"_s, u"team"_s}, {u"subject"_s, u"x"_s}, {u"requestsPerMinute"_s, 1}})
                ->status,
            400);
    }

    void killSwitchSurvivesARestart()
    {
        QCOMPARE(m_fixture
                     .admin("POST", "/admin/v1/kill-switch",
                            {{u"scope"_s, u"all"_s}, {u"reason"_s, u"maintenance"_s}})
                     ->status,
                 200);
        m_fixture.stop();
        QString error;
        QVERIFY2(m_fixture.start(&error), qPrintable(error));
        const auto refused = m_fixture.call("POST", "/openai/v1/chat/completions",
                                            maxTokens16(u"fast"_s, u"hi"_s, false));
        QCOMPARE(refused->status, 403);
        QVERIFY(errorMessage(*refused).contains(u"maintenance"_s));
        QCOMPARE(m_fixture.admin("DELETE", "/admin/v1/kill-switch/all")->status, 200);
        m_fixture.stop();
        QVERIFY2(m_fixture.start(&error), qPrintable(error));
        QCOMPARE(
            m_fixture
                .call("POST", "/openai/v1/chat/completions", maxTokens16(u"fast"_s, u"hi"_s, false))
                ->status,
            200);
    }

    void killSwitchStopsNewTrafficAndOptionallyCuts()
    {
        // A stream running when the switch is thrown in "finish" mode completes.
        RawHttpClient running;
        QVERIFY(running.connectTo(m_fixture.port()));
        running.send(
            m_fixture.post("/openai/v1/chat/completions",
                           maxTokens16(u"fast"_s, u"[[sim tokens=30 tps=60]] go"_s, true)));
        QVERIFY(running.waitForBytes(200));
        const auto engaged =
            m_fixture.admin("POST", "/admin/v1/kill-switch",
                            {{u"scope"_s, u"all"_s}, {u"reason"_s, u"incident 42"_s}});
        QCOMPARE(engaged->status, 200);
        const auto finished = running.readResponse(20'000);
        QCOMPARE(finished->status, 200);
        QVERIFY(finished->body.contains("data: [DONE]"));

        const auto openai = m_fixture.call("POST", "/openai/v1/chat/completions",
                                           maxTokens16(u"fast"_s, u"hi"_s, false));
        QCOMPARE(openai->status, 403);
        QVERIFY2(errorMessage(*openai).contains(u"incident 42"_s),
                 qPrintable(errorMessage(*openai)));
        const auto anthropic = m_fixture.call(
            "POST", "/anthropic/v1/messages",
            R"({"model":"claude-x","max_tokens":8,"messages":[{"role":"user","content":"hi"}]})");
        QCOMPARE(anthropic->status, 403);
        QCOMPARE(GatewayFixture::json(*anthropic)
                     .value(u"error"_s)
                     .toObject()
                     .value(u"type"_s)
                     .toString(),
                 u"permission_error"_s);
        QCOMPARE(m_fixture.ledgerRow(*openai).value(u"outcome"_s).toString(),
                 u"denied_kill_switch"_s);
        QCOMPARE(m_fixture.admin("DELETE", "/admin/v1/kill-switch/all")->status, 200);
        QCOMPARE(
            m_fixture
                .call("POST", "/openai/v1/chat/completions", maxTokens16(u"fast"_s, u"hi"_s, false))
                ->status,
            200);

        // "cut" ends a running stream of that account with an error event in its shape.
        RawHttpClient cutStream;
        QVERIFY(cutStream.connectTo(m_fixture.port()));
        cutStream.send(
            m_fixture.post("/openai/v1/chat/completions",
                           maxTokens16(u"fast"_s, u"[[sim tokens=400 tps=50]] go"_s, true)));
        QVERIFY(cutStream.waitForBytes(200));
        const auto cut = m_fixture.admin("POST", "/admin/v1/kill-switch",
                                         {{u"scope"_s, u"account"_s},
                                          {u"subject"_s, u"acme"_s},
                                          {u"mode"_s, u"cut"_s},
                                          {u"reason"_s, u"runaway agent"_s}});
        QCOMPARE(GatewayFixture::json(*cut).value(u"cut"_s).toInt(), 1);
        const auto ended = cutStream.readResponse(10'000);
        QVERIFY(ended);
        QVERIFY2(ended->body.contains("runaway agent"), ended->body.right(300).constData());
        QCOMPARE(m_fixture.ledgerRow(*ended).value(u"outcome"_s).toString(), u"killed"_s);
        QCOMPARE(m_fixture.admin("DELETE", "/admin/v1/kill-switch/account/acme")->status, 200);
        QCOMPARE(m_fixture.admin("DELETE", "/admin/v1/kill-switch/account/acme")->status, 404);
    }
};

QTEST_GUILESS_MAIN(tst_GatewayBudgets)
#include "tst_gatewaybudgets.moc"
