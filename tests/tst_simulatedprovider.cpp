#include "server/httpconnection.h"
#include "server/httpexchange.h"
#include "server/httpserver.h"
#include "simulator/simulateddelivery.h"
#include "simulator/simulatedprovider.h"
#include "sseexchange.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

QByteArray chatBody(const QString &userText, const QJsonObject &extra = {})
{
    QJsonObject body{
        {u"model"_s, u"gpt-4o-mini"_s},
        {u"messages"_s,
         QJsonArray{QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, u"You are terse."_s}},
                    QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, userText}}}}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        body.insert(it.key(), it.value());
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

QJsonObject streamed(bool includeUsage)
{
    QJsonObject options{{u"stream"_s, true}};
    if (includeUsage)
        options.insert(u"stream_options"_s, QJsonObject{{u"include_usage"_s, true}});
    return options;
}

const QJsonArray weatherTools = QJsonDocument::fromJson(R"([{"type":"function","function":{
    "name":"get_weather","description":"Weather at a place.",
    "parameters":{"type":"object","properties":{"city":{"type":"string"},
        "days":{"type":"integer"},"celsius":{"type":"boolean"},"extra":{"type":"string"}},
        "required":["city","days","celsius"]}}},
    {"type":"function","function":{"name":"get_time","parameters":{"type":"object",
        "properties":{"zone":{"type":"string"}},"required":["zone"]}}}])")
                                    .array();

QJsonObject parse(const QByteArray &payload)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(payload, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        qWarning("not a JSON object: %s", payload.constData());
    return document.object();
}

// The content deltas of a chat stream, in order.
QStringList contentDeltas(const QList<SseExchange::Event> &events)
{
    QStringList contents;
    for (const auto &event : events) {
        if (event.data == "[DONE]")
            continue;
        const QJsonObject delta = parse(event.data)
                                      .value("choices"_L1)
                                      .toArray()
                                      .first()
                                      .toObject()
                                      .value("delta"_L1)
                                      .toObject();
        if (delta.value("content"_L1).isString() && !delta.contains("role"_L1))
            contents.append(delta.value("content"_L1).toString());
    }
    return contents;
}

} // namespace

// The simulated provider over real HTTP: OpenAI's chat wire shape, determinism, tool calls,
// every directive, pacing and back-pressure.
class TestSimulatedProvider : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();

    void nonStreamShape();
    void streamShape_data();
    void streamShape();
    void deterministic();
    void maxTokens_data();
    void maxTokens();
    void toolCall_data();
    void toolCall();
    void toolChoiceNone();
    void toolResultGetsText();
    void models();
    void badRequests_data();
    void badRequests();
    void serverRejectionInOpenAIShape();
    void statusDirective_data();
    void statusDirective();
    void cutAfter_data();
    void cutAfter();
    void garbleAfter_data();
    void garbleAfter();
    void errorAfter_data();
    void errorAfter();
    void headerDelay_data();
    void headerDelay();
    void tokensCachedReasoning();
    void tokensPerSecond_data();
    void tokensPerSecond();
    void stall();
    void settingsFromConstructor();
    void clientGoneMidStream();
    void backPressure();

private:
    std::unique_ptr<SseExchange> post(const QByteArray &body,
                                      const QByteArray &path = "/v1/chat/completions")
    {
        return std::make_unique<SseExchange>(m_port, "POST", path, body);
    }

    std::unique_ptr<SimulatedProvider> m_provider;
    std::unique_ptr<HttpServer> m_server;
    quint16 m_port = 0;
};

void TestSimulatedProvider::initTestCase()
{
    m_provider = std::make_unique<SimulatedProvider>();
    m_server = std::make_unique<HttpServer>(m_provider.get(), ServerLimits{});
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    m_port = m_server->serverPort();
}

void TestSimulatedProvider::nonStreamShape()
{
    auto exchange = post(chatBody(u"Hello there"_s));
    QVERIFY(exchange->wait());
    QVERIFY(exchange->complete());
    QCOMPARE(exchange->status, 200);
    QCOMPARE(exchange->headers.value("content-type"), "application/json");
    QVERIFY(exchange->headers.value("x-request-id").startsWith("req_"));
    QVERIFY(!exchange->headers.value("openai-processing-ms").isEmpty());

    const QJsonObject root = parse(exchange->body);
    QVERIFY(root.value("id"_L1).toString().startsWith("chatcmpl-"_L1));
    QCOMPARE(root.value("object"_L1).toString(), u"chat.completion"_s);
    QVERIFY(root.value("created"_L1).toInteger() > 1'700'000'000);
    QCOMPARE(root.value("model"_L1).toString(), u"gpt-4o-mini"_s);
    QCOMPARE(root.value("service_tier"_L1).toString(), u"default"_s);
    QVERIFY(root.value("system_fingerprint"_L1).toString().startsWith("fp_"_L1));

    const QJsonArray choices = root.value("choices"_L1).toArray();
    QCOMPARE(choices.size(), 1);
    const QJsonObject choice = choices.first().toObject();
    QCOMPARE(choice.value("index"_L1).toInt(-1), 0);
    QVERIFY(choice.contains("logprobs"_L1) && choice.value("logprobs"_L1).isNull());
    QCOMPARE(choice.value("finish_reason"_L1).toString(), u"stop"_s);
    const QJsonObject message = choice.value("message"_L1).toObject();
    QCOMPARE(message.value("role"_L1).toString(), u"assistant"_s);
    QVERIFY(message.contains("refusal"_L1) && message.value("refusal"_L1).isNull());
    QVERIFY(message.value("annotations"_L1).isArray());
    QVERIFY(message.value("annotations"_L1).toArray().isEmpty());
    const QString content = message.value("content"_L1).toString();
    const int words = int(content.split(u' ').size());
    QVERIFY(words >= 12 && words <= 60);

    const QJsonObject usage = root.value("usage"_L1).toObject();
    // 3 + (3 + ceil(14 / 4)) + (3 + ceil(11 / 4))
    QCOMPARE(usage.value("prompt_tokens"_L1).toInt(), 16);
    QCOMPARE(usage.value("completion_tokens"_L1).toInt(), words);
    QCOMPARE(usage.value("total_tokens"_L1).toInt(), 16 + words);
    const QJsonObject promptDetails = usage.value("prompt_tokens_details"_L1).toObject();
    QCOMPARE(promptDetails.value("cached_tokens"_L1).toInt(-1), 0);
    QCOMPARE(promptDetails.value("audio_tokens"_L1).toInt(-1), 0);
    const QJsonObject completionDetails = usage.value("completion_tokens_details"_L1).toObject();
    for (const auto key : {"reasoning_tokens"_L1, "audio_tokens"_L1,
                           "accepted_prediction_tokens"_L1, "rejected_prediction_tokens"_L1})
        QCOMPARE(completionDetails.value(key).toInt(-1), 0);
}

void TestSimulatedProvider::streamShape_data()
{
    QTest::addColumn<bool>("includeUsage");
    QTest::newRow("without usage") << false;
    QTest::newRow("include_usage") << true;
}

void TestSimulatedProvider::streamShape()
{
    QFETCH(bool, includeUsage);
    auto plain = post(chatBody(u"Stream to me"_s));
    auto exchange = post(chatBody(u"Stream to me"_s, streamed(includeUsage)));
    QVERIFY(plain->wait());
    QVERIFY(exchange->wait());
    QVERIFY(exchange->complete());
    QCOMPARE(exchange->status, 200);
    QCOMPARE(exchange->headers.value("content-type"), "text/event-stream; charset=utf-8");
    QVERIFY(!exchange->headers.value("x-request-id").isEmpty());

    // Every event is a data: line; all but the last are JSON chunks of one completion.
    QVERIFY(exchange->body.endsWith("data: [DONE]\n\n"));
    const auto &events = exchange->events;
    QVERIFY(events.size() >= 3);
    QCOMPARE(events.last().data, "[DONE]");
    const QList<QByteArray> raw = exchange->body.split('\n');
    for (const QByteArray &line : raw)
        QVERIFY(line.isEmpty() || line.startsWith("data: "));
    QString id;
    int usageChunks = 0;
    QJsonObject usage;
    for (qsizetype i = 0; i + 1 < events.size(); ++i) {
        const QJsonObject chunk = parse(events[i].data);
        QCOMPARE(chunk.value("object"_L1).toString(), u"chat.completion.chunk"_s);
        QCOMPARE(chunk.value("model"_L1).toString(), u"gpt-4o-mini"_s);
        if (id.isEmpty())
            id = chunk.value("id"_L1).toString();
        QCOMPARE(chunk.value("id"_L1).toString(), id);
        QCOMPARE(chunk.contains("usage"_L1), includeUsage);
        const QJsonArray choices = chunk.value("choices"_L1).toArray();
        if (choices.isEmpty()) {
            ++usageChunks;
            QCOMPARE(i, events.size() - 2); // the usage chunk comes right before [DONE]
            usage = chunk.value("usage"_L1).toObject();
            continue;
        }
        if (includeUsage)
            QVERIFY(chunk.value("usage"_L1).isNull());
    }
    QCOMPARE(usageChunks, includeUsage ? 1 : 0);

    const QJsonObject first =
        parse(events.first().data).value("choices"_L1).toArray().first().toObject();
    QCOMPARE(first.value("delta"_L1).toObject(), (QJsonObject{{u"role"_s, u"assistant"_s},
                                                              {u"content"_s, u""_s},
                                                              {u"refusal"_s, QJsonValue::Null}}));
    QVERIFY(first.value("finish_reason"_L1).isNull());
    const qsizetype finishIndex = events.size() - (includeUsage ? 3 : 2);
    const QJsonObject last =
        parse(events[finishIndex].data).value("choices"_L1).toArray().first().toObject();
    QCOMPARE(last.value("finish_reason"_L1).toString(), u"stop"_s);
    QVERIFY(last.value("delta"_L1).toObject().isEmpty());

    // One content chunk per token: the same text and count as the non-streamed answer.
    const QStringList contents = contentDeltas(events);
    const QJsonObject plainRoot = plain->json();
    const int completionTokens =
        plainRoot.value("usage"_L1).toObject().value("completion_tokens"_L1).toInt();
    QCOMPARE(contents.size(), completionTokens);
    QCOMPARE(contents.join(QString()), plainRoot.value("choices"_L1)
                                           .toArray()
                                           .first()
                                           .toObject()
                                           .value("message"_L1)
                                           .toObject()
                                           .value("content"_L1)
                                           .toString());
    if (includeUsage) {
        QCOMPARE(usage.value("completion_tokens"_L1).toInt(), int(contents.size()));
        QCOMPARE(usage, plainRoot.value("usage"_L1).toObject());
    }
}

void TestSimulatedProvider::deterministic()
{
    auto a = post(chatBody(u"Same question"_s));
    auto b = post(chatBody(u"Same question"_s));
    auto c = post(chatBody(u"Other question"_s));
    QVERIFY(a->wait() && b->wait() && c->wait());
    const auto content = [](const SseExchange &e) {
        return e.json()
            .value("choices"_L1)
            .toArray()
            .first()
            .toObject()
            .value("message"_L1)
            .toObject()
            .value("content"_L1)
            .toString();
    };
    QVERIFY(!content(*a).isEmpty());
    QCOMPARE(content(*a), content(*b));
    QCOMPARE(a->json().value("usage"_L1), b->json().value("usage"_L1));
    QVERIFY(content(*a) != content(*c));
    QVERIFY(a->json().value("id"_L1) != b->json().value("id"_L1));
}

void TestSimulatedProvider::maxTokens_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<bool>("stream");
    QTest::newRow("max_tokens") << u"max_tokens"_s << false;
    QTest::newRow("max_completion_tokens") << u"max_completion_tokens"_s << false;
    QTest::newRow("max_tokens stream") << u"max_tokens"_s << true;
}

void TestSimulatedProvider::maxTokens()
{
    QFETCH(QString, field);
    QFETCH(bool, stream);
    QJsonObject extra = stream ? streamed(true) : QJsonObject();
    extra.insert(field, 5);
    auto exchange = post(chatBody(u"A long answer please [[sim tokens=40]]"_s, extra));
    QVERIFY(exchange->wait());
    QCOMPARE(exchange->status, 200);
    if (!stream) {
        const QJsonObject root = exchange->json();
        QCOMPARE(root.value("usage"_L1).toObject().value("completion_tokens"_L1).toInt(), 5);
        QCOMPARE(root.value("choices"_L1).toArray().first().toObject().value("finish_reason"_L1),
                 u"length"_s);
        return;
    }
    QCOMPARE(contentDeltas(exchange->events).size(), 5);
    const auto &events = exchange->events;
    QCOMPARE(parse(events[events.size() - 3].data)
                 .value("choices"_L1)
                 .toArray()
                 .first()
                 .toObject()
                 .value("finish_reason"_L1),
             u"length"_s);
    QCOMPARE(parse(events[events.size() - 2].data)
                 .value("usage"_L1)
                 .toObject()
                 .value("completion_tokens"_L1)
                 .toInt(),
             5);
}

void TestSimulatedProvider::toolCall_data()
{
    QTest::addColumn<bool>("stream");
    QTest::addColumn<QJsonValue>("toolChoice");
    QTest::addColumn<QString>("expectedName"); // empty: either tool
    QTest::newRow("non-stream auto") << false << QJsonValue(u"auto"_s) << QString();
    QTest::newRow("stream auto") << true << QJsonValue() << QString();
    const QJsonObject named{{u"type"_s, u"function"_s},
                            {u"function"_s, QJsonObject{{u"name"_s, u"get_weather"_s}}}};
    QTest::newRow("non-stream named") << false << QJsonValue(named) << u"get_weather"_s;
    QTest::newRow("stream named") << true << QJsonValue(named) << u"get_weather"_s;
}

void TestSimulatedProvider::toolCall()
{
    QFETCH(bool, stream);
    QFETCH(QJsonValue, toolChoice);
    QFETCH(QString, expectedName);
    QJsonObject extra = stream ? streamed(true) : QJsonObject();
    extra.insert(u"tools"_s, weatherTools);
    if (!toolChoice.isUndefined())
        extra.insert(u"tool_choice"_s, toolChoice);
    auto exchange = post(chatBody(u"Weather in Paris?"_s, extra));
    QVERIFY(exchange->wait());
    QCOMPARE(exchange->status, 200);

    QString name;
    QString id;
    QByteArray arguments;
    QString finishReason;
    int completionTokens = -1;
    if (!stream) {
        const QJsonObject choice =
            exchange->json().value("choices"_L1).toArray().first().toObject();
        const QJsonObject message = choice.value("message"_L1).toObject();
        QVERIFY(message.contains("content"_L1) && message.value("content"_L1).isNull());
        const QJsonArray calls = message.value("tool_calls"_L1).toArray();
        QCOMPARE(calls.size(), 1);
        const QJsonObject call = calls.first().toObject();
        QCOMPARE(call.value("type"_L1).toString(), u"function"_s);
        id = call.value("id"_L1).toString();
        name = call.value("function"_L1).toObject().value("name"_L1).toString();
        arguments = call.value("function"_L1).toObject().value("arguments"_L1).toString().toUtf8();
        finishReason = choice.value("finish_reason"_L1).toString();
        completionTokens =
            exchange->json().value("usage"_L1).toObject().value("completion_tokens"_L1).toInt();
        QVERIFY(completionTokens > 0);
    } else {
        const auto &events = exchange->events;
        const QJsonObject first = parse(events.first().data)
                                      .value("choices"_L1)
                                      .toArray()
                                      .first()
                                      .toObject()
                                      .value("delta"_L1)
                                      .toObject();
        QCOMPARE(first.value("role"_L1).toString(), u"assistant"_s);
        QVERIFY(first.value("content"_L1).isNull());
        const QJsonObject head = first.value("tool_calls"_L1).toArray().first().toObject();
        QCOMPARE(head.value("index"_L1).toInt(-1), 0);
        QCOMPARE(head.value("type"_L1).toString(), u"function"_s);
        QCOMPARE(head.value("function"_L1).toObject().value("arguments"_L1).toString(), QString());
        id = head.value("id"_L1).toString();
        name = head.value("function"_L1).toObject().value("name"_L1).toString();
        int fragments = 0;
        for (qsizetype i = 1; i + 3 < events.size(); ++i) {
            const QJsonObject delta = parse(events[i].data)
                                          .value("choices"_L1)
                                          .toArray()
                                          .first()
                                          .toObject()
                                          .value("delta"_L1)
                                          .toObject();
            const QJsonObject piece = delta.value("tool_calls"_L1).toArray().first().toObject();
            QCOMPARE(piece.value("index"_L1).toInt(-1), 0);
            QVERIFY(!piece.contains("id"_L1));
            const QString fragment =
                piece.value("function"_L1).toObject().value("arguments"_L1).toString();
            QVERIFY(!fragment.isEmpty());
            arguments += fragment.toUtf8();
            ++fragments;
        }
        finishReason = parse(events[events.size() - 3].data)
                           .value("choices"_L1)
                           .toArray()
                           .first()
                           .toObject()
                           .value("finish_reason"_L1)
                           .toString();
        completionTokens = parse(events[events.size() - 2].data)
                               .value("usage"_L1)
                               .toObject()
                               .value("completion_tokens"_L1)
                               .toInt();
        QCOMPARE(fragments, completionTokens);
        QVERIFY(fragments > 3);
    }
    QCOMPARE(finishReason, u"tool_calls"_s);
    QVERIFY(id.startsWith("call_"_L1));
    if (!expectedName.isEmpty())
        QCOMPARE(name, expectedName);
    QJsonParseError error;
    const QJsonObject args = QJsonDocument::fromJson(arguments, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    if (name == u"get_weather"_s) {
        QCOMPARE(args.keys(), (QStringList{u"celsius"_s, u"city"_s, u"days"_s}));
        QVERIFY(args.value("city"_L1).isString());
        QVERIFY(args.value("days"_L1).isDouble());
        QVERIFY(args.value("celsius"_L1).isBool());
    } else {
        QCOMPARE(name, u"get_time"_s);
        QCOMPARE(args.keys(), QStringList{u"zone"_s});
    }
}

void TestSimulatedProvider::toolChoiceNone()
{
    auto exchange = post(chatBody(u"Weather in Paris?"_s,
                                  {{u"tools"_s, weatherTools}, {u"tool_choice"_s, u"none"_s}}));
    QVERIFY(exchange->wait());
    const QJsonObject choice = exchange->json().value("choices"_L1).toArray().first().toObject();
    QCOMPARE(choice.value("finish_reason"_L1).toString(), u"stop"_s);
    QVERIFY(!choice.value("message"_L1).toObject().value("content"_L1).toString().isEmpty());
    QVERIFY(!choice.value("message"_L1).toObject().contains("tool_calls"_L1));
}

void TestSimulatedProvider::toolResultGetsText()
{
    const QJsonArray messages = QJsonDocument::fromJson(R"([
        {"role":"user","content":"Weather in Paris?"},
        {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
            "function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
        {"role":"tool","tool_call_id":"call_1","content":"sunny, 21 C"}])")
                                    .array();
    QJsonObject body{
        {u"model"_s, u"gpt-4o"_s}, {u"messages"_s, messages}, {u"tools"_s, weatherTools}};
    auto exchange = post(QJsonDocument(body).toJson());
    QVERIFY(exchange->wait());
    QCOMPARE(exchange->status, 200);
    const QJsonObject choice = exchange->json().value("choices"_L1).toArray().first().toObject();
    QCOMPARE(choice.value("finish_reason"_L1).toString(), u"stop"_s);
    QVERIFY(!choice.value("message"_L1).toObject().value("content"_L1).toString().isEmpty());
}

void TestSimulatedProvider::models()
{
    SseExchange exchange(m_port, "GET", "/v1/models", {});
    QVERIFY(exchange.wait());
    QCOMPARE(exchange.status, 200);
    const QJsonObject root = exchange.json();
    QCOMPARE(root.value("object"_L1).toString(), u"list"_s);
    const QJsonArray data = root.value("data"_L1).toArray();
    QVERIFY(data.size() >= 3);
    for (const QJsonValue model : data) {
        const QJsonObject object = model.toObject();
        QVERIFY(!object.value("id"_L1).toString().isEmpty());
        QCOMPARE(object.value("object"_L1).toString(), u"model"_s);
        QVERIFY(object.value("created"_L1).isDouble());
        QVERIFY(object.value("owned_by"_L1).isString());
    }
}

void TestSimulatedProvider::badRequests_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("param"); // empty: null

    QTest::newRow("malformed JSON") << QByteArray("POST") << QByteArray("/v1/chat/completions")
                                    << QByteArray("{\"model\": ") << 400 << QString();
    QTest::newRow("not an object") << QByteArray("POST") << QByteArray("/v1/chat/completions")
                                   << QByteArray("[1,2]") << 400 << QString();
    QTest::newRow("missing model") << QByteArray("POST") << QByteArray("/v1/chat/completions")
                                   << QByteArray(R"({"messages":[]})") << 400 << QString();
    QTest::newRow("missing messages")
        << QByteArray("POST") << QByteArray("/v1/chat/completions")
        << QByteArray(R"({"model":"gpt-4o"})") << 400 << u"messages"_s;
    QTest::newRow("unknown forced tool")
        << QByteArray("POST") << QByteArray("/v1/chat/completions")
        << QByteArray(R"({"model":"gpt-4o","messages":[],"tools":[],
              "tool_choice":{"type":"function","function":{"name":"nope"}}})")
        << 400 << u"tool_choice"_s;
    QTest::newRow("zero max_tokens") << QByteArray("POST") << QByteArray("/v1/chat/completions")
                                     << QByteArray(R"({"model":"gpt-4o","messages":[],
                                            "max_tokens":0})")
                                     << 400 << u"max_tokens"_s;
    QTest::newRow("unknown path") << QByteArray("POST") << QByteArray("/v1/nothing")
                                  << QByteArray("{}") << 404 << QString();
    QTest::newRow("wrong method") << QByteArray("GET") << QByteArray("/v1/chat/completions")
                                  << QByteArray() << 404 << QString();
}

void TestSimulatedProvider::badRequests()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, param);
    SseExchange exchange(m_port, method, path, body);
    QVERIFY(exchange.wait());
    QCOMPARE(exchange.status, status);
    QCOMPARE(exchange.headers.value("content-type"), "application/json");
    const QJsonObject error = exchange.json().value("error"_L1).toObject();
    QCOMPARE(error.value("type"_L1).toString(), u"invalid_request_error"_s);
    QVERIFY(!error.value("message"_L1).toString().isEmpty());
    QVERIFY(error.contains("code"_L1));
    QVERIFY(error.contains("param"_L1));
    if (param.isEmpty())
        QVERIFY(error.value("param"_L1).isNull());
    else
        QCOMPARE(error.value("param"_L1).toString(), param);
}

void TestSimulatedProvider::serverRejectionInOpenAIShape()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    socket.write("GET /v1/models HTTP/1.1\r\nHost: attacker.example\r\n\r\n");
    QByteArray response;
    QVERIFY(QTest::qWaitFor([&] {
        response += socket.readAll();
        return socket.state() == QAbstractSocket::UnconnectedState;
    }));
    response += socket.readAll();
    QVERIFY(response.startsWith("HTTP/1.1 421 "));
    const QJsonObject error =
        QJsonDocument::fromJson(response.mid(response.indexOf("\r\n\r\n") + 4))
            .object()
            .value("error"_L1)
            .toObject();
    QCOMPARE(error.keys(), (QStringList{u"code"_s, u"message"_s, u"param"_s, u"type"_s}));
    QCOMPARE(error.value("type"_L1).toString(), u"invalid_request_error"_s);
}

void TestSimulatedProvider::statusDirective_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("stream");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("code"); // empty: null

    QTest::newRow("400") << 400 << false << u"invalid_request_error"_s << QString();
    QTest::newRow("401") << 401 << false << u"invalid_request_error"_s << u"invalid_api_key"_s;
    QTest::newRow("404") << 404 << false << u"invalid_request_error"_s << u"model_not_found"_s;
    QTest::newRow("429") << 429 << false << u"requests"_s << u"rate_limit_exceeded"_s;
    QTest::newRow("429 stream") << 429 << true << u"requests"_s << u"rate_limit_exceeded"_s;
    QTest::newRow("500") << 500 << false << u"server_error"_s << QString();
    QTest::newRow("503 stream") << 503 << true << u"server_error"_s << QString();
    QTest::newRow("418") << 418 << false << u"invalid_request_error"_s << QString();
}

void TestSimulatedProvider::statusDirective()
{
    QFETCH(int, status);
    QFETCH(bool, stream);
    QFETCH(QString, type);
    QFETCH(QString, code);
    auto exchange = post(chatBody(u"fail please [[sim status=%1]]"_s.arg(status),
                                  stream ? streamed(true) : QJsonObject()));
    QVERIFY(exchange->wait());
    QVERIFY(exchange->complete());
    QCOMPARE(exchange->status, status);
    QCOMPARE(exchange->headers.value("content-type"), "application/json");
    QVERIFY(!exchange->headers.value("x-request-id").isEmpty());
    const QJsonObject root = exchange->json();
    QCOMPARE(root.keys(), QStringList{u"error"_s});
    const QJsonObject error = root.value("error"_L1).toObject();
    QCOMPARE(error.keys(), (QStringList{u"code"_s, u"message"_s, u"param"_s, u"type"_s}));
    QCOMPARE(error.value("type"_L1).toString(), type);
    QVERIFY(!error.value("message"_L1).toString().isEmpty());
    QVERIFY(error.value("param"_L1).isNull());
    if (code.isEmpty())
        QVERIFY(error.value("code"_L1).isNull());
    else
        QCOMPARE(error.value("code"_L1).toString(), code);
}

void TestSimulatedProvider::cutAfter_data()
{
    QTest::addColumn<bool>("stream");
    QTest::addColumn<int>("tps");
    QTest::newRow("stream at once") << true << 0;
    QTest::newRow("stream paced") << true << 200;
    QTest::newRow("non-stream") << false << 0;
}

void TestSimulatedProvider::cutAfter()
{
    QFETCH(bool, stream);
    QFETCH(int, tps);
    auto exchange = post(chatBody(u"[[sim tokens=20 cut_after=3 tps=%1]]"_s.arg(tps),
                                  stream ? streamed(true) : QJsonObject()));
    QVERIFY(exchange->wait());
    QTRY_VERIFY(exchange->closed());
    QCOMPARE(exchange->status, 200);
    QVERIFY(!exchange->complete());
    if (stream) {
        QCOMPARE(contentDeltas(exchange->events).size(), 3);
        QVERIFY(!exchange->body.contains("[DONE]"));
        QVERIFY(!exchange->body.contains("finish_reason\":\"stop"));
    } else {
        QVERIFY(!exchange->body.isEmpty());
        QJsonParseError error;
        QJsonDocument::fromJson(exchange->body, &error);
        QVERIFY(error.error != QJsonParseError::NoError);
    }
    QTRY_COMPARE(m_server->activeExchanges(), 0);
}

void TestSimulatedProvider::garbleAfter_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("stream") << true;
    QTest::newRow("non-stream") << false;
}

void TestSimulatedProvider::garbleAfter()
{
    QFETCH(bool, stream);
    auto exchange = post(
        chatBody(u"[[sim tokens=20 garble_after=2]]"_s, stream ? streamed(true) : QJsonObject()));
    QVERIFY(exchange->wait());
    QVERIFY(exchange->complete()); // the response itself ends cleanly
    QCOMPARE(exchange->status, 200);
    QVERIFY(exchange->body.contains(SimulatedDelivery::garbage()));
    if (!stream) {
        QJsonParseError error;
        QJsonDocument::fromJson(exchange->body, &error);
        QVERIFY(error.error != QJsonParseError::NoError);
        return;
    }
    QVERIFY(!exchange->body.contains("[DONE]"));
    const auto &events = exchange->events;
    QCOMPARE(contentDeltas(events.first(3)).size(), 2);
    // Past the good chunks: bytes that are not JSON, not even a well-formed SSE stream.
    QVERIFY(events.size() > 3);
    for (qsizetype i = 3; i < events.size(); ++i) {
        QJsonParseError error;
        QJsonDocument::fromJson(events[i].data, &error);
        QVERIFY(error.error != QJsonParseError::NoError);
    }
}

void TestSimulatedProvider::errorAfter_data()
{
    QTest::addColumn<QString>("directive");
    QTest::addColumn<int>("contentChunks");
    QTest::newRow("mid-stream") << u"[[sim tokens=20 error_after=3]]"_s << 3;
    QTest::newRow("past the end") << u"[[sim tokens=4 error_after=10]]"_s << 4;
    QTest::newRow("cut comes first") << u"[[sim tokens=20 error_after=5 cut_after=2]]"_s << 2;
}

void TestSimulatedProvider::errorAfter()
{
    QFETCH(QString, directive);
    QFETCH(int, contentChunks);
    auto exchange = post(chatBody(directive, streamed(true)));
    auto plain = post(chatBody(directive));
    QVERIFY(exchange->wait() && plain->wait());
    QCOMPARE(exchange->status, 200);
    const auto &events = exchange->events;
    QCOMPARE(
        contentDeltas(events.first(std::min<qsizetype>(events.size(), contentChunks + 1))).size(),
        contentChunks);
    QVERIFY(!exchange->body.contains("[DONE]"));
    QVERIFY(!exchange->body.contains("finish_reason\":\"stop"));
    const bool cut = directive.contains(u"cut_after"_s);
    QCOMPARE(exchange->complete(), !cut);
    if (cut) {
        QVERIFY(!exchange->body.contains("\"error\""));
        return;
    }
    // The stream ends cleanly with one error payload in OpenAI's shape.
    QCOMPARE(events.size(), 1 + contentChunks + 1);
    const QJsonObject root = parse(events.last().data);
    QCOMPARE(root.keys(), QStringList{u"error"_s});
    QCOMPARE(root.value("error"_L1).toObject().value("type"_L1).toString(), u"server_error"_s);

    QCOMPARE(plain->status, 500);
    QCOMPARE(plain->json().value("error"_L1).toObject().value("type"_L1).toString(),
             u"server_error"_s);
}

void TestSimulatedProvider::headerDelay_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("non-stream") << false;
    QTest::newRow("stream") << true;
}

void TestSimulatedProvider::headerDelay()
{
    QFETCH(bool, stream);
    QElapsedTimer clock;
    clock.start();
    auto exchange = post(chatBody(u"slow [[sim header_delay_ms=300 tokens=3]]"_s,
                                  stream ? streamed(false) : QJsonObject()));
    QVERIFY(exchange->wait());
    QCOMPARE(exchange->status, 200);
    QVERIFY2(exchange->headersAtMs >= 295, qPrintable(QString::number(exchange->headersAtMs)));
    QVERIFY(clock.elapsed() >= 300);
    QVERIFY(exchange->headers.value("openai-processing-ms").toInt() >= 300);
}

void TestSimulatedProvider::tokensCachedReasoning()
{
    auto exchange = post(chatBody(u"[[sim tokens=7 cached=5 reasoning=11]]"_s, streamed(true)));
    auto huge = post(chatBody(u"[[sim tokens=7 cached=100000]]"_s));
    QVERIFY(exchange->wait() && huge->wait());
    QCOMPARE(contentDeltas(exchange->events).size(), 7);
    const auto &events = exchange->events;
    const QJsonObject usage = parse(events[events.size() - 2].data).value("usage"_L1).toObject();
    QCOMPARE(usage.value("completion_tokens"_L1).toInt(), 7 + 11);
    QCOMPARE(usage.value("total_tokens"_L1).toInt(), usage.value("prompt_tokens"_L1).toInt() + 18);
    QCOMPARE(usage.value("prompt_tokens_details"_L1).toObject().value("cached_tokens"_L1).toInt(),
             5);
    QCOMPARE(
        usage.value("completion_tokens_details"_L1).toObject().value("reasoning_tokens"_L1).toInt(),
        11);
    const QJsonObject hugeUsage = huge->json().value("usage"_L1).toObject();
    QCOMPARE(hugeUsage.value("prompt_tokens_details"_L1).toObject().value("cached_tokens"_L1),
             hugeUsage.value("prompt_tokens"_L1));
    QCOMPARE(hugeUsage.value("completion_tokens"_L1).toInt(), 7);
}

void TestSimulatedProvider::tokensPerSecond_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("stream") << true;
    QTest::newRow("non-stream") << false;
}

void TestSimulatedProvider::tokensPerSecond()
{
    QFETCH(bool, stream);
    QElapsedTimer clock;
    clock.start();
    auto exchange =
        post(chatBody(u"[[sim tps=50 tokens=10]]"_s, stream ? streamed(false) : QJsonObject()));
    QVERIFY(exchange->wait());
    QVERIFY(exchange->complete());
    // Ten tokens at 50/s: the last one 9 x 20 ms after the first. Lower bounds only.
    QVERIFY2(clock.elapsed() >= 175, qPrintable(QString::number(clock.elapsed())));
    if (!stream) {
        QCOMPARE(exchange->json().value("usage"_L1).toObject().value("completion_tokens"_L1), 10);
        return;
    }
    const auto &events = exchange->events;
    QCOMPARE(contentDeltas(events).size(), 10);
    // Spread out, not sent in a burst at the end: arrival times only (a busy client reads the
    // first delta late, never early), so half the 180 ms the deltas are apart is the bound.
    QVERIFY2(events[10].atMs - events[1].atMs >= 90,
             qPrintable(QString::number(events[10].atMs - events[1].atMs)));
}

void TestSimulatedProvider::stall()
{
    auto exchange =
        post(chatBody(u"[[sim tokens=5 stall_after=2 stall_ms=250]]"_s, streamed(false)));
    QVERIFY(exchange->wait());
    QVERIFY(exchange->complete());
    const auto &events = exchange->events; // [0] role, [1..5] tokens
    QCOMPARE(contentDeltas(events).size(), 5);
    // The third token is due 250 ms after the request (this clock started before it was sent);
    // the second was not held back. A late read of the second may shrink the gap a little.
    QVERIFY2(events[3].atMs >= 250, qPrintable(QString::number(events[3].atMs)));
    QVERIFY2(events[3].atMs - events[2].atMs >= 150,
             qPrintable(QString::number(events[3].atMs - events[2].atMs)));
    QVERIFY(events.last().data == "[DONE]");
}

void TestSimulatedProvider::settingsFromConstructor()
{
    SimulationSettings settings;
    settings.firstTokenMs = 200;
    settings.tokensPerSecond = 100;
    SimulatedProvider provider(settings);
    HttpServer server(&provider, ServerLimits{});
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    QElapsedTimer clock;
    clock.start();
    SseExchange exchange(server.serverPort(), "POST", "/v1/chat/completions",
                         chatBody(u"[[sim tokens=6]]"_s, streamed(false)));
    QVERIFY(exchange.wait());
    QVERIFY(exchange.complete());
    const auto &events = exchange.events;
    QCOMPARE(contentDeltas(events).size(), 6);
    // First token after 200 ms, then 5 more at 100/s.
    QVERIFY2(events[1].atMs >= 195, qPrintable(QString::number(events[1].atMs)));
    QVERIFY(clock.elapsed() >= 245);

    // A directive overrides the settings per request.
    SseExchange fast(server.serverPort(), "POST", "/v1/chat/completions",
                     chatBody(u"[[sim tokens=6 first_token_ms=0 tps=0 tokens=4]]"_s));
    QVERIFY(fast.wait());
    QCOMPARE(fast.json().value("usage"_L1).toObject().value("completion_tokens"_L1).toInt(), 4);
}

void TestSimulatedProvider::clientGoneMidStream()
{
    auto exchange = post(chatBody(u"[[sim tps=20 tokens=200]]"_s, streamed(true)));
    QTRY_VERIFY(exchange->events.size() >= 2);
    QCOMPARE(m_server->activeExchanges(), 1);
    exchange->socket().abort();
    // The server notices, drops the response and its timer; nothing is left running.
    QTRY_COMPARE(m_server->activeExchanges(), 0);
    auto next = post(chatBody(u"still alive?"_s));
    QVERIFY(next->wait());
    QCOMPARE(next->status, 200);
}

void TestSimulatedProvider::backPressure()
{
    // ~100k chunks of ~230 bytes, all due at once: without back-pressure they would all sit in
    // the server's socket buffer the moment the client stops reading.
    auto exchange = post(chatBody(u"[[sim tokens=100000]]"_s, streamed(true)));
    exchange->socket().setReadBufferSize(64 * 1024);
    exchange->stopReading();
    const auto serverPending = [this] {
        qint64 most = 0;
        for (const HttpConnection *connection : m_server->findChildren<HttpConnection *>())
            most = std::max(most, connection->pendingBytes());
        return most;
    };
    QTRY_VERIFY(serverPending() > HttpExchange::kMaxPendingBytes);
    QVERIFY2(serverPending() < 2 * HttpExchange::kMaxPendingBytes + 64 * 1024,
             qPrintable(QString::number(serverPending())));

    exchange->socket().setReadBufferSize(0);
    exchange->resumeReading();
    QVERIFY(exchange->wait(60'000));
    QVERIFY(exchange->complete());
    QCOMPARE(contentDeltas(exchange->events).size(), 100000);
    QCOMPARE(exchange->events.last().data, "[DONE]");
}

QTEST_GUILESS_MAIN(TestSimulatedProvider)
#include "tst_simulatedprovider.moc"
