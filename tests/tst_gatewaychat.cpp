// The OpenAI Chat Completions path end to end over loopback: client -> Gatehouse -> the
// simulated provider (a real HTTP server) -> back, and the ledger row each request leaves.
#include "gateway.h"
#include "gatewayfixture.h"
#include "ingress/gatewaycontext.h"
#include "ledger/ledgerstore.h"
#include "requestbodies.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

namespace {

QList<QJsonObject> dataEvents(const QByteArray &body, bool *sawDone = nullptr)
{
    QList<QJsonObject> events;
    for (const QByteArray &block : body.split('\n')) {
        if (!block.startsWith("data: "))
            continue;
        const QByteArray data = block.mid(6);
        if (data == "[DONE]") {
            if (sawDone)
                *sawDone = true;
            continue;
        }
        events.append(QJsonDocument::fromJson(data).object());
    }
    return events;
}

} // namespace

class tst_GatewayChat : public QObject
{
    Q_OBJECT

    GatewayFixture m_fixture;

    QByteArray request(const QByteArray &body, const QByteArray &extraHeaders = {})
    {
        return m_fixture.post("/openai/v1/chat/completions", body, extraHeaders);
    }
    std::optional<RawHttpResponse> exchange(const QByteArray &raw)
    {
        return m_fixture.exchange(raw);
    }
    QVariantMap ledgerRow(const RawHttpResponse &response) { return m_fixture.ledgerRow(response); }
    LedgerReader *ledger() { return &m_fixture.ledger(); }
    quint16 port() { return m_fixture.port(); }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_fixture.start(&error), qPrintable(error));
    }

    // "gh-", the millisecond and 48 random bits, each as 12 hex digits: ids of later
    // requests sort after earlier ones (the ledger's index grows at its end), and none repeat.
    void requestIdsAreTimeOrderedAndUnique()
    {
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        const QByteArray first = newRequestId();
        const QByteArray hex = "0123456789abcdef";
        QCOMPARE(first.size(), 27);
        QVERIFY(first.startsWith("gh-"));
        QVERIFY(std::all_of(first.begin() + 3, first.end(),
                            [&](char c) { return hex.contains(c); }));
        bool ok = false;
        const qint64 at = first.mid(3, 12).toLongLong(&ok, 16);
        QVERIFY(ok);
        QVERIFY(at >= before && at <= QDateTime::currentMSecsSinceEpoch());
        QSet<QByteArray> seen{first};
        for (int i = 0; i < 10'000; ++i)
            seen.insert(newRequestId());
        QCOMPARE(seen.size(), 10'001);
        QTRY_VERIFY(QDateTime::currentMSecsSinceEpoch() > at + 1);
        QVERIFY(newRequestId() > first);
    }

    void completesWithoutStreaming()
    {
        const auto response = exchange(request(
            RequestBodies::chat(QStringLiteral("gpt-4o"), QStringLiteral("hello there"), false)));
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        const QJsonObject body = QJsonDocument::fromJson(response->body).object();
        QCOMPARE(body.value(QStringLiteral("object")).toString(),
                 QStringLiteral("chat.completion"));
        const QJsonObject usage = body.value(QStringLiteral("usage")).toObject();
        const QVariantMap row = ledgerRow(*response);
        QCOMPARE(row.value(QStringLiteral("http_status")).toInt(), 200);
        QCOMPARE(row.value(QStringLiteral("outcome")).toString(), QStringLiteral("ok"));
        QCOMPARE(row.value(QStringLiteral("account")).toString(), QStringLiteral("acme"));
        QCOMPARE(row.value(QStringLiteral("api_key")).toString(), QStringLiteral("ci"));
        QCOMPARE(row.value(QStringLiteral("provider")).toString(), QStringLiteral("simulator"));
        QCOMPARE(row.value(QStringLiteral("stream")).toInt(), 0);
        QCOMPARE(row.value(QStringLiteral("prompt_tokens")).toInt(),
                 usage.value(QStringLiteral("prompt_tokens")).toInt());
        QCOMPARE(row.value(QStringLiteral("completion_tokens")).toInt(),
                 usage.value(QStringLiteral("completion_tokens")).toInt());
        QCOMPARE(row.value(QStringLiteral("total_tokens")).toInt(),
                 usage.value(QStringLiteral("total_tokens")).toInt());
        QCOMPARE(row.value(QStringLiteral("usage_reported")).toInt(), 1);
        // gpt-4o lists at USD 2.50 in / 10.00 out per million tokens.
        const qint64 expected =
            (usage.value(QStringLiteral("prompt_tokens")).toInteger() * 2'500'000 +
             usage.value(QStringLiteral("completion_tokens")).toInteger() * 10'000'000 + 500'000) /
            1'000'000;
        QCOMPARE(row.value(QStringLiteral("cost_micros")).toLongLong(), expected);
        QVERIFY(row.value(QStringLiteral("first_byte_us")).toLongLong() > 0);
    }

    void streamsAndStripsTheInjectedUsageChunk()
    {
        const auto response = exchange(request(
            RequestBodies::chat(QStringLiteral("gpt-4o"), QStringLiteral("stream please"), true)));
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QVERIFY(response->header("content-type").startsWith("text/event-stream"));
        bool done = false;
        const QList<QJsonObject> events = dataEvents(response->body, &done);
        QVERIFY(done);
        int contentChunks = 0;
        for (const QJsonObject &event : events) {
            const QJsonArray choices = event.value(QStringLiteral("choices")).toArray();
            QVERIFY2(!choices.isEmpty(),
                     "the synthetic usage chunk reached a client that did not ask for it");
            if (!choices.first()
                     .toObject()
                     .value(QStringLiteral("delta"))
                     .toObject()
                     .value(QStringLiteral("content"))
                     .toString()
                     .isEmpty())
                ++contentChunks;
        }
        QVERIFY(contentChunks > 0);
        const QVariantMap row = ledgerRow(*response);
        QCOMPARE(row.value(QStringLiteral("usage_reported")).toInt(), 1);
        QCOMPARE(row.value(QStringLiteral("completion_tokens")).toInt(), contentChunks);
        QCOMPARE(row.value(QStringLiteral("stream")).toInt(), 1);
        QVERIFY(row.value(QStringLiteral("prompt_tokens")).toInt() > 0);
    }

    void relaysTheUsageChunkToClientsThatAskForIt()
    {
        const QJsonObject options{{QStringLiteral("stream_options"),
                                   QJsonObject{{QStringLiteral("include_usage"), true}}}};
        const auto response = exchange(request(RequestBodies::chat(
            QStringLiteral("gpt-4o"), QStringLiteral("with usage"), true, options)));
        QVERIFY(response);
        const QList<QJsonObject> events = dataEvents(response->body);
        QVERIFY(!events.isEmpty());
        const QJsonObject last = events.last();
        QVERIFY(last.value(QStringLiteral("choices")).toArray().isEmpty());
        const QJsonObject usage = last.value(QStringLiteral("usage")).toObject();
        const QVariantMap row = ledgerRow(*response);
        QCOMPARE(row.value(QStringLiteral("prompt_tokens")).toInt(),
                 usage.value(QStringLiteral("prompt_tokens")).toInt());
        QCOMPARE(row.value(QStringLiteral("completion_tokens")).toInt(),
                 usage.value(QStringLiteral("completion_tokens")).toInt());
    }

    void rewritesTheModelAlias()
    {
        const auto response = exchange(
            request(RequestBodies::chat(QStringLiteral("fast"), QStringLiteral("alias"), false)));
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QCOMPARE(QJsonDocument::fromJson(response->body)
                     .object()
                     .value(QStringLiteral("model"))
                     .toString(),
                 QStringLiteral("gpt-4o-mini"));
        const QVariantMap row = ledgerRow(*response);
        QCOMPARE(row.value(QStringLiteral("model_alias")).toString(), QStringLiteral("fast"));
        QCOMPARE(row.value(QStringLiteral("upstream_model")).toString(),
                 QStringLiteral("gpt-4o-mini"));
    }

    void recordsUnknownPricesAsUnpriced()
    {
        const auto response = exchange(request(
            RequestBodies::chat(QStringLiteral("mystery"), QStringLiteral("price?"), false)));
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        const QVariantMap row = ledgerRow(*response);
        QVERIFY(row.value(QStringLiteral("completion_tokens")).toInt() > 0);
        QVERIFY(row.value(QStringLiteral("cost_micros")).isNull());
        QCOMPARE(row.value(QStringLiteral("price_source")).toString(), QStringLiteral("unpriced"));
    }

    void answersErrorsInTheOpenAIShape_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("outcome");
        QTest::newRow("malformed json")
            << QByteArray("{\"model\": \"gpt-4o\", ") << 400 << "invalid_json"
            << "invalid_request";
        QTest::newRow("not an object") << QByteArray("[1,2]") << 400 << "invalid_json"
                                       << "invalid_request";
        QTest::newRow("unknown model")
            << RequestBodies::chat(QStringLiteral("llama-9000"), QStringLiteral("x"), false) << 404
            << "model_not_found"
            << "model_not_found";
        QTest::newRow("upstream refused")
            << RequestBodies::chat(QStringLiteral("down-model"), QStringLiteral("x"), false) << 502
            << "upstream_unreachable"
            << "upstream_error";
        QTest::newRow("upstream timeout")
            << RequestBodies::chat(QStringLiteral("slow-model"), QStringLiteral("x"), true) << 504
            << "upstream_timeout"
            << "upstream_timeout";
        QTest::newRow("provider key missing")
            << RequestBodies::chat(QStringLiteral("keyless-model"), QStringLiteral("x"), false)
            << 502 << "provider_key_missing"
            << "provider_unavailable";
    }
    void answersErrorsInTheOpenAIShape()
    {
        QFETCH(QByteArray, raw);
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(QString, outcome);
        const auto response = exchange(request(raw));
        QVERIFY(response);
        QCOMPARE(response->status, status);
        const QJsonObject error = QJsonDocument::fromJson(response->body)
                                      .object()
                                      .value(QStringLiteral("error"))
                                      .toObject();
        QVERIFY(!error.value(QStringLiteral("message")).toString().isEmpty());
        QVERIFY(!error.value(QStringLiteral("type")).toString().isEmpty());
        QCOMPARE(error.value(QStringLiteral("code")).toString(), code);
        QVERIFY(!response->body.contains("sk-upstream-secret"));
        const QVariantMap row = ledgerRow(*response);
        QCOMPARE(row.value(QStringLiteral("http_status")).toInt(), status);
        QCOMPARE(row.value(QStringLiteral("outcome")).toString(), outcome);
    }

    void refusesCallersWithoutAValidKey_data()
    {
        QTest::addColumn<QByteArray>("authorization");
        QTest::newRow("missing") << QByteArray();
        QTest::newRow("unknown") << QByteArray("Authorization: Bearer nope\r\n");
        QTest::newRow("prefix") << QByteArray("Authorization: Bearer test-key-12\r\n");
    }
    void refusesCallersWithoutAValidKey()
    {
        QFETCH(QByteArray, authorization);
        const auto response = exchange(
            rawRequest("POST", "/openai/v1/chat/completions",
                       RequestBodies::chat(QStringLiteral("gpt-4o"), QStringLiteral("x"), false),
                       authorization, port()));
        QVERIFY(response);
        QCOMPARE(response->status, 401);
        const QVariantMap row = ledgerRow(*response);
        QCOMPARE(row.value(QStringLiteral("outcome")).toString(), QStringLiteral("unauthorized"));
    }

    void relaysUpstreamErrorsWithTheirBody()
    {
        const auto response = exchange(request(RequestBodies::chat(
            QStringLiteral("gpt-4o"), QStringLiteral("[[sim status=429]]"), false)));
        QVERIFY(response);
        QCOMPARE(response->status, 429);
        const QJsonObject error = QJsonDocument::fromJson(response->body)
                                      .object()
                                      .value(QStringLiteral("error"))
                                      .toObject();
        QCOMPARE(error.value(QStringLiteral("code")).toString(),
                 QStringLiteral("rate_limit_exceeded"));
        const QVariantMap row = ledgerRow(*response);
        QCOMPARE(row.value(QStringLiteral("http_status")).toInt(), 429);
        QCOMPARE(row.value(QStringLiteral("outcome")).toString(), QStringLiteral("upstream_error"));
    }

    void endsACutStreamWithAnErrorEvent_data()
    {
        QTest::addColumn<QString>("directive");
        QTest::newRow("cut") << QStringLiteral("[[sim cut_after=3 tokens=20]]");
        QTest::newRow("garbled") << QStringLiteral("[[sim garble_after=3 tokens=20]]");
    }
    void endsACutStreamWithAnErrorEvent()
    {
        QFETCH(QString, directive);
        const auto response =
            exchange(request(RequestBodies::chat(QStringLiteral("gpt-4o"), directive, true)));
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        bool done = false;
        const QList<QJsonObject> events = dataEvents(response->body, &done);
        QVERIFY(!done);
        QVERIFY(!events.isEmpty());
        QVERIFY(events.last().contains(QStringLiteral("error")));
        const QVariantMap row = ledgerRow(*response);
        QCOMPARE(row.value(QStringLiteral("outcome")).toString(), QStringLiteral("upstream_error"));
        QCOMPARE(row.value(QStringLiteral("usage_reported")).toInt(), 0);
        QCOMPARE(row.value(QStringLiteral("completion_tokens")).toInt(), 3);
    }

    void recordsAClientThatLeavesMidStream()
    {
        const int before = ledger()->rows().size();
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        client.send(request(RequestBodies::chat(
            QStringLiteral("gpt-4o"), QStringLiteral("[[sim tps=50 tokens=500]]"), true)));
        QVERIFY(client.waitForBytes(600)); // headers and a few events
        client.socket().abort();
        QVERIFY(ledger()->waitForRows(before + 1));
        const QVariantMap row = ledger()->rows().last();
        QCOMPARE(row.value(QStringLiteral("http_status")).toInt(), 499);
        QCOMPARE(row.value(QStringLiteral("outcome")).toString(),
                 QStringLiteral("client_disconnected"));
        QCOMPARE(row.value(QStringLiteral("usage_reported")).toInt(), 0);
        const int partial = row.value(QStringLiteral("completion_tokens")).toInt();
        QVERIFY2(partial > 0 && partial < 500, qPrintable(QString::number(partial)));
    }

    void countsAStreamTheClientLeftAfterItsLastEventAsComplete()
    {
        // Codex hangs up right after the last event, before the stream's closing chunk.
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        client.send(request(
            RequestBodies::chat(QStringLiteral("gpt-4o"),
                                QStringLiteral("[[sim tokens=4 close_delay_ms=3000]]"), true)));
        QVERIFY(QTest::qWaitFor(
            [&] {
                return client.waitForBytes(1, 100) && client.buffer().contains("data: [DONE]\n\n");
            },
            10'000));
        const qsizetype headEnd = client.buffer().indexOf("\r\n\r\n");
        const QByteArray id =
            client.buffer().mid(client.buffer().indexOf("x-request-id: ") + 14, 27);
        QVERIFY(headEnd > 0 && id.startsWith("gh-"));
        client.socket().abort();
        QVariantMap row;
        QVERIFY(QTest::qWaitFor([&] { return !(row = ledger()->row(id)).isEmpty(); }, 15'000));
        QCOMPARE(row.value(QStringLiteral("outcome")).toString(), QStringLiteral("ok"));
        QCOMPARE(row.value(QStringLiteral("http_status")).toInt(), 200);
        QCOMPARE(row.value(QStringLiteral("completion_tokens")).toInt(), 4);
        QCOMPARE(row.value(QStringLiteral("usage_reported")).toInt(), 1);
    }

    void answersPipelinedRequestsInOrder()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        client.send(
            request(RequestBodies::chat(QStringLiteral("gpt-4o"),
                                        QStringLiteral("[[sim first_token_ms=200]] one"), false)) +
            request(RequestBodies::chat(QStringLiteral("fast"), QStringLiteral("two"), false)));
        const auto first = client.readResponse();
        const auto second = client.readResponse();
        QVERIFY(first && second);
        QCOMPARE(
            QJsonDocument::fromJson(first->body).object().value(QStringLiteral("model")).toString(),
            QStringLiteral("gpt-4o"));
        QCOMPARE(QJsonDocument::fromJson(second->body)
                     .object()
                     .value(QStringLiteral("model"))
                     .toString(),
                 QStringLiteral("gpt-4o-mini"));
    }

    void refusesOversizeBodiesInTheOpenAIShape()
    {
        const auto response = exchange(request(
            RequestBodies::chat(QStringLiteral("gpt-4o"), QString(2 * 1024 * 1024, u'x'), false)));
        QVERIFY(response);
        QCOMPARE(response->status, 413);
        QVERIFY(QJsonDocument::fromJson(response->body).object().contains(QStringLiteral("error")));
        const QVariantMap row = ledgerRow(*response);
        QCOMPARE(row.value(QStringLiteral("outcome")).toString(),
                 QStringLiteral("request_too_large"));
    }

    void listsModels()
    {
        const auto response =
            exchange(rawRequest("GET", "/openai/v1/models", {},
                                "Authorization: Bearer " + GatewayFixture::kKey + "\r\n", port()));
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        const QJsonArray data = QJsonDocument::fromJson(response->body)
                                    .object()
                                    .value(QStringLiteral("data"))
                                    .toArray();
        QStringList ids;
        for (const QJsonValue &model : data)
            ids.append(model.toObject().value(QStringLiteral("id")).toString());
        QVERIFY(ids.contains(QStringLiteral("fast")));
        QVERIFY(!ids.contains(QStringLiteral("gpt-*")));
    }

    void servesThreeHundredSimultaneousStreams()
    {
        const int before = ledger()->rows().size();
        constexpr int kStreams = 300;
        std::vector<std::unique_ptr<RawHttpClient>> clients;
        for (int i = 0; i < kStreams; ++i) {
            clients.push_back(std::make_unique<RawHttpClient>());
            QVERIFY(clients.back()->connectTo(port()));
        }
        for (int i = 0; i < kStreams; ++i)
            clients[i]->send(request(RequestBodies::chat(
                QStringLiteral("gpt-4o"),
                QStringLiteral("[[sim tps=40 tokens=8]] stream %1").arg(i), true)));
        int complete = 0;
        for (auto &client : clients) {
            const auto response = client->readResponse(60'000);
            if (response && response->status == 200 && response->body.endsWith("data: [DONE]\n\n"))
                ++complete;
        }
        QCOMPARE(complete, kStreams);
        QVERIFY(ledger()->waitForRows(before + kStreams, 30'000));
    }

    // Another connection holds the ledger's write lock: records queue up. Past
    // limits.maxLedgerBacklog, model requests are refused with 503 in the caller's shape (and
    // not queued themselves); once the lock goes and the store catches up, they pass again.
    void refusesModelTrafficWhileTheLedgerIsTooFarBehind()
    {
        m_fixture.stop();
        const qint64 backlogLimit = m_fixture.configuration().limits.maxLedgerBacklog;
        m_fixture.configuration().limits.maxLedgerBacklog = 3;
        QString error;
        QVERIFY2(m_fixture.start(&error), qPrintable(error));
        const qsizetype rowsBefore = ledger()->rows().size();
        const auto chat = [&](const QString &prompt) {
            return exchange(request(RequestBodies::chat(QStringLiteral("gpt-4o"), prompt)));
        };
        const QString rivalName = QStringLiteral("rival");
        {
            const DatabaseLocation store =
                m_fixture.configuration().database.resolved(m_fixture.dataDir());
            QSqlDatabase rival = store.addConnection(rivalName);
            QVERIFY(rival.open());
            QSqlQuery lock(rival);
            if (store.isPostgres()) {
                QVERIFY(lock.exec(QStringLiteral("BEGIN")));
                QVERIFY(lock.exec(QStringLiteral("LOCK TABLE usage IN EXCLUSIVE MODE")));
            } else {
                QVERIFY(lock.exec(QStringLiteral("BEGIN IMMEDIATE")));
            }
            for (int i = 0; i < 3; ++i) {
                const auto admitted = chat(QStringLiteral("while locked %1").arg(i));
                QVERIFY(admitted);
                QCOMPARE(admitted->status, 200); // answered; its record waits
            }
            const auto refused = chat(QStringLiteral("one too many"));
            QVERIFY(refused);
            QCOMPARE(refused->status, 503);
            QCOMPARE(refused->header("retry-after"), QByteArray("1"));
            const QJsonObject openAIError =
                GatewayFixture::json(*refused).value(QStringLiteral("error")).toObject();
            QCOMPARE(openAIError.value(QStringLiteral("code")).toString(),
                     QStringLiteral("ledger_backlog"));
            QVERIFY(openAIError.value(QStringLiteral("message"))
                        .toString()
                        .contains(QStringLiteral("3 records behind (limit 3)")));
            const auto anthropic =
                exchange(m_fixture.post("/anthropic/v1/messages",
                                        RequestBodies::message(QStringLiteral("claude-sonnet-4-5"),
                                                               QStringLiteral("hi"), 64)));
            QVERIFY(anthropic);
            QCOMPARE(anthropic->status, 503);
            const QJsonObject anthropicBody = GatewayFixture::json(*anthropic);
            QCOMPARE(anthropicBody.value(QStringLiteral("type")).toString(),
                     QStringLiteral("error"));
            QVERIFY(anthropicBody.value(QStringLiteral("error"))
                        .toObject()
                        .value(QStringLiteral("message"))
                        .toString()
                        .contains(QStringLiteral("usage ledger")));
            const auto metrics = exchange(rawRequest("GET", "/metrics", {}, {}, port()));
            QVERIFY(metrics);
            QVERIFY(metrics->body.contains(
                "gatehouse_denials_total{reason=\"denied_ledger_backlog\"} 2\n"));
            QVERIFY(lock.exec(QStringLiteral("COMMIT")));
        }
        QSqlDatabase::removeDatabase(rivalName);

        QTRY_COMPARE_WITH_TIMEOUT(m_fixture.gateway()->ledger()->recordBacklog(), 0u, 60'000);
        const auto again = chat(QStringLiteral("caught up"));
        QVERIFY(again);
        QCOMPARE(again->status, 200);
        QVERIFY(ledger()->waitForRows(int(rowsBefore) + 4));
        const QList<QVariantMap> rows = ledger()->rows();
        QCOMPARE(rows.size(), rowsBefore + 4); // the refusals were not queued
        for (const QVariantMap &row : rows.mid(rowsBefore))
            QCOMPARE(row.value(QStringLiteral("outcome")).toString(), QStringLiteral("ok"));

        m_fixture.stop();
        // Only what this test changed: the fixture sets limits of its own.
        m_fixture.configuration().limits.maxLedgerBacklog = backlogLimit;
        QVERIFY2(m_fixture.start(&error), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(tst_GatewayChat)
#include "tst_gatewaychat.moc"
