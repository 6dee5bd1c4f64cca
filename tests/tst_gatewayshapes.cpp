// The OpenAI Responses and Anthropic Messages shapes through the gateway, errors in each
// family's own shape, request content encodings and the WebSocket probe.
#include "gatewayfixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <zlib.h>

namespace {

struct SseEventView
{
    QString event;
    QJsonObject data;
};

QList<SseEventView> sseEvents(const QByteArray &body)
{
    QList<SseEventView> events;
    for (const QString &raw : QString::fromUtf8(body).split(QStringLiteral("\n\n"))) {
        SseEventView view;
        for (const QByteArray &line : raw.toUtf8().split('\n')) {
            if (line.startsWith("event: "))
                view.event = QString::fromUtf8(line.mid(7));
            else if (line.startsWith("data: "))
                view.data = QJsonDocument::fromJson(line.mid(6)).object();
        }
        if (!view.event.isEmpty() || !view.data.isEmpty())
            events.append(view);
    }
    return events;
}

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QJsonObject userMessage(const QString &text)
{
    return {{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), text}};
}

QByteArray messagesBody(const QString &model, const QString &text, bool stream,
                        int maxTokens = 1024)
{
    return json({{QStringLiteral("model"), model},
                 {QStringLiteral("max_tokens"), maxTokens},
                 {QStringLiteral("stream"), stream},
                 {QStringLiteral("messages"), QJsonArray{userMessage(text)}}});
}

QByteArray responsesBody(const QString &model, const QString &text, bool stream)
{
    return json({{QStringLiteral("model"), model},
                 {QStringLiteral("stream"), stream},
                 {QStringLiteral("input"), text}});
}

QByteArray gzip(const QByteArray &plain)
{
    z_stream stream = {};
    deflateInit2(&stream, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(int(deflateBound(&stream, uLong(plain.size()))), Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(plain.constData()));
    stream.avail_in = uInt(plain.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    deflate(&stream, Z_FINISH);
    out.resize(qsizetype(stream.total_out));
    deflateEnd(&stream);
    return out;
}

qint64 field(const QVariantMap &row, const char *name)
{
    return row.value(QString::fromLatin1(name)).toLongLong();
}

} // namespace

class tst_GatewayShapes : public QObject
{
    Q_OBJECT

    GatewayFixture m_fixture;

    std::optional<RawHttpResponse> call(const QByteArray &path, const QByteArray &body,
                                        const QByteArray &headers = {})
    {
        return m_fixture.exchange(m_fixture.post(path, body, headers));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_fixture.start(&error), qPrintable(error));
    }

    void responsesWithoutStreaming()
    {
        const auto response =
            call("/openai/v1/responses",
                 responsesBody(QStringLiteral("gpt-4o"), QStringLiteral("hi"), false));
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        const QJsonObject body = QJsonDocument::fromJson(response->body).object();
        QCOMPARE(body.value(QStringLiteral("object")).toString(), QStringLiteral("response"));
        const QJsonObject usage = body.value(QStringLiteral("usage")).toObject();
        const QVariantMap row = m_fixture.ledgerRow(*response);
        QCOMPARE(row.value(QStringLiteral("endpoint")).toString(),
                 QStringLiteral("openai.responses"));
        QCOMPARE(field(row, "prompt_tokens"),
                 usage.value(QStringLiteral("input_tokens")).toInteger());
        QCOMPARE(field(row, "completion_tokens"),
                 usage.value(QStringLiteral("output_tokens")).toInteger());
        QCOMPARE(field(row, "usage_reported"), 1);
    }

    void responsesStreamWithUsageFromCompleted()
    {
        const auto response =
            call("/openai/v1/responses",
                 responsesBody(QStringLiteral("gpt-4o"),
                               QStringLiteral("[[sim cached=4 reasoning=7]] stream"), true));
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QVERIFY(!response->body.contains("[DONE]"));
        const QList<SseEventView> events = sseEvents(response->body);
        QVERIFY(events.size() > 3);
        QCOMPARE(events.last().event, QStringLiteral("response.completed"));
        for (int i = 0; i < events.size(); ++i)
            QCOMPARE(events.at(i).data.value(QStringLiteral("sequence_number")).toInt(), i);
        const QJsonObject usage = events.last()
                                      .data.value(QStringLiteral("response"))
                                      .toObject()
                                      .value(QStringLiteral("usage"))
                                      .toObject();
        const QVariantMap row = m_fixture.ledgerRow(*response);
        QCOMPARE(field(row, "prompt_tokens"),
                 usage.value(QStringLiteral("input_tokens")).toInteger());
        QCOMPARE(field(row, "cached_tokens"), 4);
        QCOMPARE(field(row, "reasoning_tokens"), 7);
        QCOMPARE(field(row, "completion_tokens"),
                 usage.value(QStringLiteral("output_tokens")).toInteger());
        QCOMPARE(field(row, "stream"), 1);
    }

    void messagesWithoutStreaming()
    {
        const auto response =
            call("/anthropic/v1/messages",
                 messagesBody(QStringLiteral("claude-sonnet-4-5"),
                              QStringLiteral("[[sim cached=10 cache_write=5]] hi"), false),
                 "anthropic-version: 2023-06-01\r\n");
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QVERIFY(!response->header("request-id").isEmpty());
        const QJsonObject usage = QJsonDocument::fromJson(response->body)
                                      .object()
                                      .value(QStringLiteral("usage"))
                                      .toObject();
        const qint64 input = usage.value(QStringLiteral("input_tokens")).toInteger();
        const QVariantMap row = m_fixture.ledgerRow(*response);
        QCOMPARE(field(row, "prompt_tokens"), input + 10 + 5);
        QCOMPARE(field(row, "cached_tokens"), 10);
        QCOMPARE(field(row, "cache_write_tokens"), 5);
        // claude-sonnet-4-5: $3 in, $15 out, $0.30 cache read, $3.75 cache write per Mtok.
        const qint64 output = usage.value(QStringLiteral("output_tokens")).toInteger();
        const qint64 expected =
            (input * 3'000'000 + 10 * 300'000 + 5 * 3'750'000 + output * 15'000'000 + 500'000) /
            1'000'000;
        QCOMPARE(field(row, "cost_micros"), expected);
    }

    void messagesStreamTakesTheLastCumulativeUsage()
    {
        const auto response = call(
            "/anthropic/v1/messages?beta=true",
            messagesBody(QStringLiteral("claude-sonnet-4-5"),
                         QStringLiteral("[[sim tokens=9]] stream"), true),
            "anthropic-version: 2023-06-01\r\nanthropic-beta: interleaved-thinking-2025-05-14\r\n");
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        const QList<SseEventView> events = sseEvents(response->body);
        QVERIFY(!events.isEmpty());
        QCOMPARE(events.first().event, QStringLiteral("message_start"));
        QCOMPARE(events.last().event, QStringLiteral("message_stop"));
        qint64 lastOutput = -1;
        for (const SseEventView &event : events) {
            if (event.event == QLatin1String("message_delta"))
                lastOutput = event.data.value(QStringLiteral("usage"))
                                 .toObject()
                                 .value(QStringLiteral("output_tokens"))
                                 .toInteger();
        }
        const QVariantMap row = m_fixture.ledgerRow(*response);
        QCOMPARE(field(row, "completion_tokens"), lastOutput);
        QCOMPARE(field(row, "completion_tokens"), 9);
        QCOMPARE(row.value(QStringLiteral("endpoint")).toString(),
                 QStringLiteral("anthropic.messages"));
    }

    void acceptsTheAnthropicKeyHeader()
    {
        const QByteArray raw = rawRequest(
            "POST", "/anthropic/v1/messages",
            messagesBody(QStringLiteral("claude-haiku-4-5"), QStringLiteral("x"), false),
            "x-api-key: " + GatewayFixture::kKey + "\r\nanthropic-version: 2023-06-01\r\n",
            m_fixture.port());
        const auto response = m_fixture.exchange(raw);
        QVERIFY(response);
        QCOMPARE(response->status, 200);
    }

    void countsTokensWithoutBilling()
    {
        const auto response =
            call("/anthropic/v1/messages/count_tokens?beta=true",
                 json({{QStringLiteral("model"), QStringLiteral("claude-sonnet-4-5")},
                       {QStringLiteral("messages"),
                        QJsonArray{userMessage(QStringLiteral("count me"))}}}),
                 "anthropic-version: 2023-06-01\r\n");
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QVERIFY(QJsonDocument::fromJson(response->body)
                    .object()
                    .value(QStringLiteral("input_tokens"))
                    .toInt() > 0);
        const QVariantMap row = m_fixture.ledgerRow(*response);
        QCOMPARE(row.value(QStringLiteral("endpoint")).toString(),
                 QStringLiteral("anthropic.messages.count_tokens"));
        QCOMPARE(field(row, "cost_micros"), 0);
        QCOMPARE(field(row, "total_tokens"), 0);
    }

    void listsModelsInEachShape()
    {
        const auto anthropic = m_fixture.exchange(
            rawRequest("GET", "/anthropic/v1/models", {},
                       "x-api-key: " + GatewayFixture::kKey + "\r\n", m_fixture.port()));
        QVERIFY(anthropic);
        QCOMPARE(anthropic->status, 200);
        const QJsonObject list = QJsonDocument::fromJson(anthropic->body).object();
        QCOMPARE(list.value(QStringLiteral("has_more")).toBool(true), false);
        QCOMPARE(list.value(QStringLiteral("data"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("type"))
                     .toString(),
                 QStringLiteral("model"));
    }

    void answersAnthropicErrorsInTheAnthropicShape_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("headers");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("type");
        const QByteArray good =
            messagesBody(QStringLiteral("claude-sonnet-4-5"), QStringLiteral("x"), false);
        QTest::newRow("malformed")
            << QByteArray("/anthropic/v1/messages") << QByteArray("{\"model\":") << QByteArray()
            << 400 << "invalid_request_error";
        QTest::newRow("no max_tokens")
            << QByteArray("/anthropic/v1/messages")
            << json({{QStringLiteral("model"), QStringLiteral("claude-sonnet-4-5")},
                     {QStringLiteral("messages"), QJsonArray()}})
            << QByteArray() << 400 << "invalid_request_error";
        QTest::newRow("unknown model")
            << QByteArray("/anthropic/v1/messages")
            << messagesBody(QStringLiteral("llama"), QStringLiteral("x"), false) << QByteArray()
            << 404 << "not_found_error";
        QTest::newRow("upstream down")
            << QByteArray("/anthropic/v1/messages")
            << messagesBody(QStringLiteral("down-claude"), QStringLiteral("x"), false)
            << QByteArray() << 502 << "api_error";
        QTest::newRow("provider overloaded")
            << QByteArray("/anthropic/v1/messages")
            << messagesBody(QStringLiteral("claude-sonnet-4-5"),
                            QStringLiteral("[[sim status=529]]"), false)
            << QByteArray() << 529 << "overloaded_error";
        QTest::newRow("unknown route") << QByteArray("/anthropic/v1/nothing") << good
                                       << QByteArray() << 404 << "not_found_error";
        QTest::newRow("brotli body")
            << QByteArray("/anthropic/v1/messages") << good
            << QByteArray("Content-Encoding: br\r\n") << 415 << "invalid_request_error";
        QTest::newRow("corrupt gzip")
            << QByteArray("/anthropic/v1/messages") << good
            << QByteArray("Content-Encoding: gzip\r\n") << 400 << "invalid_request_error";
    }
    void answersAnthropicErrorsInTheAnthropicShape()
    {
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, headers);
        QFETCH(int, status);
        QFETCH(QString, type);
        const auto response = call(path, body, headers);
        QVERIFY(response);
        QCOMPARE(response->status, status);
        const QJsonObject object = QJsonDocument::fromJson(response->body).object();
        QCOMPARE(object.value(QStringLiteral("type")).toString(), QStringLiteral("error"));
        QCOMPARE(object.value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("type"))
                     .toString(),
                 type);
        QVERIFY(!object.value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("message"))
                     .toString()
                     .isEmpty());
    }

    void refusesAnthropicCallersWithoutAKey()
    {
        const auto response = m_fixture.exchange(rawRequest(
            "POST", "/anthropic/v1/messages",
            messagesBody(QStringLiteral("claude-sonnet-4-5"), QStringLiteral("x"), false),
            "x-api-key: wrong\r\n", m_fixture.port()));
        QVERIFY(response);
        QCOMPARE(response->status, 401);
        QCOMPARE(QJsonDocument::fromJson(response->body)
                     .object()
                     .value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("type"))
                     .toString(),
                 QStringLiteral("authentication_error"));
    }

    void acceptsGzipRequestBodies()
    {
        const QByteArray body = gzip(
            messagesBody(QStringLiteral("claude-sonnet-4-5"), QStringLiteral("zipped"), false));
        const auto response = call("/anthropic/v1/messages", body, "Content-Encoding: gzip\r\n");
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        const auto chat = call("/openai/v1/chat/completions",
                               gzip(json({{QStringLiteral("model"), QStringLiteral("gpt-4o")},
                                          {QStringLiteral("messages"),
                                           QJsonArray{userMessage(QStringLiteral("zipped"))}}})),
                               "Content-Encoding: gzip\r\n");
        QVERIFY(chat);
        QCOMPARE(chat->status, 200);
    }

    void refusesTheWebSocketProbeCleanly()
    {
        const auto response = m_fixture.exchange(rawRequest(
            "GET", "/openai/v1/responses", {},
            "Authorization: Bearer " + GatewayFixture::kKey +
                "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n",
            m_fixture.port()));
        QVERIFY(response);
        QCOMPARE(response->status, 426);
        QVERIFY(QJsonDocument::fromJson(response->body).object().contains(QStringLiteral("error")));
    }

    void endsBrokenStreamsInEachShape_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("outcome");
        const auto responses = [](const char *directive) {
            return responsesBody(QStringLiteral("gpt-4o"), QString::fromLatin1(directive), true);
        };
        const auto messages = [](const char *directive) {
            return messagesBody(QStringLiteral("claude-sonnet-4-5"), QString::fromLatin1(directive),
                                true);
        };
        QTest::newRow("responses cut")
            << QByteArray("/openai/v1/responses") << responses("[[sim cut_after=3 tokens=20]]")
            << QStringLiteral("upstream_error");
        QTest::newRow("messages cut")
            << QByteArray("/anthropic/v1/messages") << messages("[[sim cut_after=3 tokens=20]]")
            << QStringLiteral("upstream_error");
        QTest::newRow("messages garbled")
            << QByteArray("/anthropic/v1/messages") << messages("[[sim garble_after=3 tokens=20]]")
            << QStringLiteral("upstream_error");
        QTest::newRow("messages error event")
            << QByteArray("/anthropic/v1/messages") << messages("[[sim error_after=3 tokens=20]]")
            << QStringLiteral("upstream_error");
        QTest::newRow("silence between chunks")
            << QByteArray("/openai/v1/responses")
            << responsesBody(QStringLiteral("impatient-model"),
                             QStringLiteral("[[sim stall_after=3 stall_ms=3000 tokens=20]]"), true)
            << QStringLiteral("upstream_timeout");
    }
    void endsBrokenStreamsInEachShape()
    {
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, body);
        QFETCH(QString, outcome);
        const auto response = call(path, body, "anthropic-version: 2023-06-01\r\n");
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        const QList<SseEventView> events = sseEvents(response->body);
        QVERIFY(!events.isEmpty());
        QCOMPARE(events.last().event, QStringLiteral("error"));
        const QVariantMap row = m_fixture.ledgerRow(*response);
        QCOMPARE(row.value(QStringLiteral("outcome")).toString(), outcome);
        QVERIFY(field(row, "completion_tokens") >= 3);
    }
};

QTEST_GUILESS_MAIN(tst_GatewayShapes)
#include "tst_gatewayshapes.moc"
