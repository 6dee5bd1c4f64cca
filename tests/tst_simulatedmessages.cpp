#include "server/httpserver.h"
#include "simulator/simulatedprovider.h"
#include "sseexchange.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

const QByteArray anthropicHeaders = "anthropic-version: 2023-06-01\r\n"
                                    "x-api-key: sk-ant-test\r\n";

QJsonObject parse(const QByteArray &payload)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(payload, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        qWarning("not a JSON object: %s", payload.constData());
    return document.object();
}

QJsonValue json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray("[") + text + ']').array().first();
}

QJsonObject messagesRequest(const QString &userText, const QJsonObject &extra = {})
{
    QJsonObject body{
        {u"model"_s, u"claude-sonnet-4-5"_s},
        {u"max_tokens"_s, 1024},
        {u"system"_s, u"You are terse."_s},
        {u"messages"_s, QJsonArray{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, userText}}}}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        body.insert(it.key(), it.value());
    return body;
}

QByteArray bytes(const QJsonObject &body)
{
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

QJsonObject streamed(QJsonObject extra = {})
{
    extra.insert(u"stream"_s, true);
    return extra;
}

const QJsonValue weatherTools = json(R"([
    {"name":"get_weather","description":"Weather at a place.",
     "input_schema":{"type":"object","properties":{"city":{"type":"string"},
        "days":{"type":"integer"},"celsius":{"type":"boolean"},"extra":{"type":"string"}},
        "required":["city","days","celsius"]},"cache_control":{"type":"ephemeral"}},
    {"type":"web_search_20250305","name":"web_search","max_uses":5}])");

// The payloads of a stream's events, each checked to carry its own name as "type".
QList<QJsonObject> payloads(const SseExchange &exchange)
{
    QList<QJsonObject> result;
    for (const auto &event : exchange.events) {
        const QJsonObject payload = parse(event.data);
        if (payload.value("type"_L1).toString().toUtf8() != event.name)
            qWarning("event %s carries type %s", event.name.constData(), event.data.constData());
        result.append(payload);
    }
    return result;
}

// Event types, with the delta's type for content_block_delta ("content_block_delta/text_delta").
QStringList types(const QList<QJsonObject> &events)
{
    QStringList names;
    for (const QJsonObject &event : events) {
        QString name = event.value("type"_L1).toString();
        if (name == u"content_block_delta"_s)
            name += u'/' + event.value("delta"_L1).toObject().value("type"_L1).toString();
        names.append(name);
    }
    return names;
}

// The concatenated `field` of the deltas of one type.
QString joined(const QList<QJsonObject> &events, const QString &deltaType, const QString &field)
{
    QString text;
    for (const QJsonObject &event : events) {
        const QJsonObject delta = event.value("delta"_L1).toObject();
        if (delta.value("type"_L1).toString() == deltaType)
            text += delta.value(field).toString();
    }
    return text;
}

QJsonObject usageOf(const QJsonObject &message)
{
    return message.value("usage"_L1).toObject();
}

int totalInput(const QJsonObject &usage)
{
    return usage.value("input_tokens"_L1).toInt() +
           usage.value("cache_creation_input_tokens"_L1).toInt() +
           usage.value("cache_read_input_tokens"_L1).toInt();
}

} // namespace

// The simulated provider's Anthropic Messages API over real HTTP: the message object, the
// exact event sequence, tool_use, thinking with signatures, cumulative usage, cache
// directives, count_tokens, errors in Anthropic's shape and the models list.
class TestSimulatedMessages : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();

    void nonStreamShape_data();
    void nonStreamShape();
    void streamShape();
    void toolUse_data();
    void toolUse();
    void toolResultGetsText();
    void thinking_data();
    void thinking();
    void maxTokens_data();
    void maxTokens();
    void cacheDirectives_data();
    void cacheDirectives();
    void countTokens_data();
    void countTokens();
    void badRequests_data();
    void badRequests();
    void statusDirective_data();
    void statusDirective();
    void errorAfter();
    void models_data();
    void models();
    void unknownPath();
    void serverRejectionInAnthropicShape();
    void claudeCodeRequest();

private:
    std::unique_ptr<SseExchange> post(const QJsonObject &body,
                                      const QByteArray &path = "/v1/messages?beta=true")
    {
        return postBytes(bytes(body), path);
    }
    std::unique_ptr<SseExchange> postBytes(const QByteArray &body, const QByteArray &path)
    {
        return std::make_unique<SseExchange>(m_port, "POST", path, body, anthropicHeaders);
    }

    std::unique_ptr<SimulatedProvider> m_provider;
    std::unique_ptr<HttpServer> m_server;
    quint16 m_port = 0;
};

void TestSimulatedMessages::initTestCase()
{
    m_provider = std::make_unique<SimulatedProvider>();
    m_server = std::make_unique<HttpServer>(m_provider.get(), ServerLimits{});
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    m_port = m_server->serverPort();
}

void TestSimulatedMessages::nonStreamShape_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QJsonValue>("system");
    QTest::addColumn<int>("inputTokens");
    // 3 + (3 + ceil(14 / 4)) + (3 + ceil(11 / 4))
    QTest::newRow("plain path, system string")
        << QByteArray("/v1/messages") << QJsonValue(u"You are terse."_s) << 16;
    QTest::newRow("beta, system blocks")
        << QByteArray("/v1/messages?beta=true") << json(R"([{"type":"text","text":"You are"},
                   {"type":"text","text":"terse","cache_control":{"type":"ephemeral"}}])")
        << 16; // "You are\nterse" is 13 bytes: also 4 tokens
}

void TestSimulatedMessages::nonStreamShape()
{
    QFETCH(QByteArray, path);
    QFETCH(QJsonValue, system);
    QFETCH(int, inputTokens);
    QJsonObject body = messagesRequest(u"Hello there"_s);
    body.insert(u"system"_s, system);
    auto exchange = post(body, path);
    QVERIFY(exchange->wait());
    QVERIFY(exchange->complete());
    QCOMPARE(exchange->status, 200);
    QCOMPARE(exchange->headers.value("content-type"), "application/json");
    QVERIFY(exchange->headers.value("request-id").startsWith("req_"));

    const QJsonObject root = parse(exchange->body);
    QCOMPARE(root.keys(),
             (QStringList{u"content"_s, u"id"_s, u"model"_s, u"role"_s, u"stop_reason"_s,
                          u"stop_sequence"_s, u"type"_s, u"usage"_s}));
    QVERIFY(root.value("id"_L1).toString().startsWith("msg_"_L1));
    QCOMPARE(root.value("type"_L1).toString(), u"message"_s);
    QCOMPARE(root.value("role"_L1).toString(), u"assistant"_s);
    QCOMPARE(root.value("model"_L1).toString(), u"claude-sonnet-4-5"_s);
    QCOMPARE(root.value("stop_reason"_L1).toString(), u"end_turn"_s);
    QVERIFY(root.value("stop_sequence"_L1).isNull());
    const QJsonArray content = root.value("content"_L1).toArray();
    QCOMPARE(content.size(), 1);
    QCOMPARE(content.first().toObject().value("type"_L1).toString(), u"text"_s);
    const QString text = content.first().toObject().value("text"_L1).toString();
    const int words = int(text.split(u' ').size());
    QVERIFY(words >= 12 && words <= 60);

    const QJsonObject usage = usageOf(root);
    QCOMPARE(usage.value("input_tokens"_L1).toInt(), inputTokens);
    QCOMPARE(usage.value("cache_creation_input_tokens"_L1).toInt(-1), 0);
    QCOMPARE(usage.value("cache_read_input_tokens"_L1).toInt(-1), 0);
    QCOMPARE(usage.value("output_tokens"_L1).toInt(), words);
    QCOMPARE(usage.value("service_tier"_L1).toString(), u"standard"_s);
    QVERIFY(usage.value("cache_creation"_L1).isObject());
}

void TestSimulatedMessages::streamShape()
{
    auto plain = post(messagesRequest(u"Stream to me"_s));
    auto exchange = post(messagesRequest(u"Stream to me"_s, streamed()));
    QVERIFY(plain->wait() && exchange->wait());
    QVERIFY(exchange->complete());
    QCOMPARE(exchange->status, 200);
    QCOMPARE(exchange->headers.value("content-type"), "text/event-stream; charset=utf-8");
    QVERIFY(exchange->headers.value("request-id").startsWith("req_"));
    QVERIFY(!exchange->body.contains("[DONE]"));

    const QJsonObject plainRoot = plain->json();
    const int outputTokens = usageOf(plainRoot).value("output_tokens"_L1).toInt();
    const QList<QJsonObject> events = payloads(*exchange);
    QStringList expected{u"message_start"_s, u"content_block_start"_s, u"ping"_s};
    for (int i = 0; i < outputTokens; ++i)
        expected.append(u"content_block_delta/text_delta"_s);
    expected += {u"content_block_stop"_s, u"message_delta"_s, u"message_stop"_s};
    QCOMPARE(types(events), expected);

    const QJsonObject message = events[0].value("message"_L1).toObject();
    QVERIFY(message.value("id"_L1).toString().startsWith("msg_"_L1));
    QCOMPARE(message.value("type"_L1).toString(), u"message"_s);
    QCOMPARE(message.value("role"_L1).toString(), u"assistant"_s);
    QCOMPARE(message.value("content"_L1), QJsonValue(QJsonArray()));
    QVERIFY(message.value("stop_reason"_L1).isNull());
    QVERIFY(message.contains("stop_sequence"_L1));
    const QJsonObject startUsage = usageOf(message);
    QCOMPARE(startUsage.value("output_tokens"_L1).toInt(), 1);
    QCOMPARE(startUsage.value("input_tokens"_L1), usageOf(plainRoot).value("input_tokens"_L1));
    QCOMPARE(startUsage.value("cache_creation_input_tokens"_L1).toInt(-1), 0);
    QCOMPARE(startUsage.value("cache_read_input_tokens"_L1).toInt(-1), 0);

    QCOMPARE(events[1].value("index"_L1).toInt(-1), 0);
    QCOMPARE(events[1].value("content_block"_L1), json(R"({"type":"text","text":""})"));
    for (qsizetype i = 3; i < 3 + outputTokens; ++i)
        QCOMPARE(events[i].value("index"_L1).toInt(-1), 0);
    QCOMPARE(events[3 + outputTokens].value("index"_L1).toInt(-1), 0);

    const QString text = joined(events, u"text_delta"_s, u"text"_s);
    QCOMPARE(text, plainRoot.value("content"_L1).toArray().first().toObject().value("text"_L1));

    const QJsonObject messageDelta = events[events.size() - 2];
    QCOMPARE(messageDelta.value("delta"_L1),
             json(R"({"stop_reason":"end_turn","stop_sequence":null})"));
    // Cumulative output and the input fields newer servers repeat: exactly the final usage.
    const QJsonObject deltaUsage = usageOf(messageDelta);
    QCOMPARE(deltaUsage.value("output_tokens"_L1).toInt(), outputTokens);
    for (const auto key : {"input_tokens"_L1, "cache_creation_input_tokens"_L1,
                           "cache_read_input_tokens"_L1, "output_tokens"_L1})
        QCOMPARE(deltaUsage.value(key), usageOf(plainRoot).value(key));
}

void TestSimulatedMessages::toolUse_data()
{
    QTest::addColumn<bool>("stream");
    QTest::addColumn<QJsonValue>("toolChoice");
    QTest::newRow("non-stream") << false << QJsonValue();
    QTest::newRow("stream") << true << QJsonValue();
    QTest::newRow("stream forced") << true << json(R"({"type":"tool","name":"get_weather"})");
    QTest::newRow("any") << false << json(R"({"type":"any"})");
}

void TestSimulatedMessages::toolUse()
{
    QFETCH(bool, stream);
    QFETCH(QJsonValue, toolChoice);
    QJsonObject extra{{u"tools"_s, weatherTools}};
    if (!toolChoice.isUndefined())
        extra.insert(u"tool_choice"_s, toolChoice);
    auto plain = post(messagesRequest(u"Weather in Paris?"_s, extra));
    auto exchange = post(messagesRequest(u"Weather in Paris?"_s, stream ? streamed(extra) : extra));
    QVERIFY(plain->wait() && exchange->wait());
    QCOMPARE(exchange->status, 200);

    const QJsonObject plainRoot = plain->json();
    QCOMPARE(plainRoot.value("stop_reason"_L1).toString(), u"tool_use"_s);
    const QJsonArray content = plainRoot.value("content"_L1).toArray();
    QCOMPARE(content.size(), 1);
    const QJsonObject block = content.first().toObject();
    QCOMPARE(block.value("type"_L1).toString(), u"tool_use"_s);
    QVERIFY(block.value("id"_L1).toString().startsWith("toolu_01"_L1));
    // The server tool is never called: only get_weather can be.
    QCOMPARE(block.value("name"_L1).toString(), u"get_weather"_s);
    QJsonObject input = block.value("input"_L1).toObject();

    if (stream) {
        const QList<QJsonObject> events = payloads(*exchange);
        const QJsonObject start = events[1].value("content_block"_L1).toObject();
        QCOMPARE(start.value("type"_L1).toString(), u"tool_use"_s);
        QCOMPARE(start.value("id"_L1), block.value("id"_L1));
        QCOMPARE(start.value("name"_L1), block.value("name"_L1));
        QCOMPARE(start.value("input"_L1), QJsonValue(QJsonObject()));
        QCOMPARE(types(events)[2], u"ping"_s);
        const int pieces = int(types(events).count(u"content_block_delta/input_json_delta"_s));
        QVERIFY(pieces > 3);
        QCOMPARE(types(events).size(), 3 + pieces + 3);
        const QString partial = joined(events, u"input_json_delta"_s, u"partial_json"_s);
        QJsonParseError error;
        input = QJsonDocument::fromJson(partial.toUtf8(), &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(input, block.value("input"_L1).toObject());
        const QJsonObject messageDelta = events[events.size() - 2];
        QCOMPARE(messageDelta.value("delta"_L1).toObject().value("stop_reason"_L1).toString(),
                 u"tool_use"_s);
        QCOMPARE(usageOf(messageDelta).value("output_tokens"_L1).toInt(), pieces);
        QCOMPARE(usageOf(messageDelta).value("output_tokens"_L1),
                 usageOf(plainRoot).value("output_tokens"_L1));
    }
    QCOMPARE(input.keys(), (QStringList{u"celsius"_s, u"city"_s, u"days"_s}));
    QVERIFY(input.value("city"_L1).isString());
    QVERIFY(input.value("days"_L1).isDouble());
    QVERIFY(input.value("celsius"_L1).isBool());
}

void TestSimulatedMessages::toolResultGetsText()
{
    // Thinking echoed back, a tool result, and text beside it in the same user turn (as
    // Claude Code sends reminders): the model answers the result with text.
    const QJsonValue messages = json(R"([
        {"role":"user","content":"Weather in Paris?"},
        {"role":"assistant","content":[
            {"type":"thinking","thinking":"I should call the tool.","signature":"EqQBCgIYAh"},
            {"type":"redacted_thinking","data":"EmwKAhgB"},
            {"type":"tool_use","id":"toolu_01","name":"get_weather",
             "input":{"city":"Paris","days":1,"celsius":true}}]},
        {"role":"user","content":[
            {"type":"tool_result","tool_use_id":"toolu_01",
             "content":[{"type":"text","text":"sunny, 21 C"}]},
            {"type":"text","text":"<system-reminder>be brief</system-reminder>"}]}])");
    QJsonObject body = messagesRequest({}, {{u"tools"_s, weatherTools}});
    body.insert(u"messages"_s, messages);
    auto exchange = post(body);
    QVERIFY(exchange->wait());
    QCOMPARE(exchange->status, 200);
    const QJsonObject root = exchange->json();
    QCOMPARE(root.value("stop_reason"_L1).toString(), u"end_turn"_s);
    const QJsonObject block = root.value("content"_L1).toArray().first().toObject();
    QCOMPARE(block.value("type"_L1).toString(), u"text"_s);
    QVERIFY(!block.value("text"_L1).toString().isEmpty());
}

void TestSimulatedMessages::thinking_data()
{
    QTest::addColumn<bool>("stream");
    QTest::addColumn<QJsonValue>("thinking");
    QTest::addColumn<QString>("directive");
    QTest::addColumn<int>("thinkingTokens"); // -1: some, from the prompt
    const QJsonValue enabled = json(R"({"type":"enabled","budget_tokens":2000})");
    const QJsonValue adaptive = json(R"({"type":"adaptive"})");
    QTest::newRow("enabled non-stream") << false << enabled << QString() << -1;
    QTest::newRow("enabled stream") << true << enabled << QString() << -1;
    QTest::newRow("adaptive stream") << true << adaptive << QString() << -1;
    QTest::newRow("directive stream") << true << adaptive << u"[[sim reasoning=7]]"_s << 7;
}

void TestSimulatedMessages::thinking()
{
    QFETCH(bool, stream);
    QFETCH(QJsonValue, thinking);
    QFETCH(QString, directive);
    QFETCH(int, thinkingTokens);
    const QJsonObject extra{{u"thinking"_s, thinking}, {u"max_tokens"_s, 4096}};
    const QString prompt = u"Think first [[sim tokens=6]] "_s + directive;
    auto plain = post(messagesRequest(prompt, extra));
    auto exchange = post(messagesRequest(prompt, stream ? streamed(extra) : extra));
    QVERIFY(plain->wait() && exchange->wait());
    QCOMPARE(exchange->status, 200);

    const QJsonObject plainRoot = plain->json();
    const QJsonArray content = plainRoot.value("content"_L1).toArray();
    QCOMPARE(content.size(), 2);
    const QJsonObject thought = content.first().toObject();
    QCOMPARE(thought.value("type"_L1).toString(), u"thinking"_s);
    const QString thinkingText = thought.value("thinking"_L1).toString();
    const int thinkingWords = int(thinkingText.split(u' ').size());
    if (thinkingTokens >= 0)
        QCOMPARE(thinkingWords, thinkingTokens);
    else
        QVERIFY(thinkingWords >= 8 && thinkingWords <= 32);
    const QByteArray signature = thought.value("signature"_L1).toString().toLatin1();
    QVERIFY(signature.size() > 100);
    QCOMPARE(QByteArray::fromBase64(signature).toBase64(), signature);
    QCOMPARE(content.at(1).toObject().value("type"_L1).toString(), u"text"_s);
    QCOMPARE(usageOf(plainRoot).value("output_tokens"_L1).toInt(), thinkingWords + 6);

    if (!stream)
        return;
    const QList<QJsonObject> events = payloads(*exchange);
    QStringList expected{u"message_start"_s, u"content_block_start"_s, u"ping"_s};
    for (int i = 0; i < thinkingWords; ++i)
        expected.append(u"content_block_delta/thinking_delta"_s);
    expected += {u"content_block_delta/signature_delta"_s, u"content_block_stop"_s,
                 u"content_block_start"_s};
    for (int i = 0; i < 6; ++i)
        expected.append(u"content_block_delta/text_delta"_s);
    expected += {u"content_block_stop"_s, u"message_delta"_s, u"message_stop"_s};
    QCOMPARE(types(events), expected);
    QCOMPARE(events[1].value("content_block"_L1),
             json(R"({"type":"thinking","thinking":"","signature":""})"));
    QCOMPARE(joined(events, u"thinking_delta"_s, u"thinking"_s), thinkingText);
    QCOMPARE(joined(events, u"signature_delta"_s, u"signature"_s), QString::fromLatin1(signature));
    const QJsonObject textStart = events[3 + thinkingWords + 2];
    QCOMPARE(textStart.value("index"_L1).toInt(), 1);
    QCOMPARE(events[3 + thinkingWords + 3].value("index"_L1).toInt(), 1);
    QCOMPARE(events[events.size() - 3].value("index"_L1).toInt(), 1);
    QCOMPARE(joined(events, u"text_delta"_s, u"text"_s),
             content.at(1).toObject().value("text"_L1).toString());
    QCOMPARE(usageOf(events[events.size() - 2]).value("output_tokens"_L1),
             usageOf(plainRoot).value("output_tokens"_L1));
}

void TestSimulatedMessages::maxTokens_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("non-stream") << false;
    QTest::newRow("stream") << true;
}

void TestSimulatedMessages::maxTokens()
{
    QFETCH(bool, stream);
    const QJsonObject extra{{u"max_tokens"_s, 5}};
    auto exchange = post(messagesRequest(u"[[sim tokens=40]]"_s, stream ? streamed(extra) : extra));
    QVERIFY(exchange->wait());
    QCOMPARE(exchange->status, 200);
    if (!stream) {
        QCOMPARE(exchange->json().value("stop_reason"_L1).toString(), u"max_tokens"_s);
        QCOMPARE(usageOf(exchange->json()).value("output_tokens"_L1).toInt(), 5);
        return;
    }
    const QList<QJsonObject> events = payloads(*exchange);
    QCOMPARE(types(events).count(u"content_block_delta/text_delta"_s), 5);
    const QJsonObject messageDelta = events[events.size() - 2];
    QCOMPARE(messageDelta.value("delta"_L1).toObject().value("stop_reason"_L1).toString(),
             u"max_tokens"_s);
    QCOMPARE(usageOf(messageDelta).value("output_tokens"_L1).toInt(), 5);
}

void TestSimulatedMessages::cacheDirectives_data()
{
    QTest::addColumn<QString>("directive");
    QTest::addColumn<int>("read");
    QTest::addColumn<int>("written"); // -1: the rest of the prompt
    QTest::newRow("read") << u"[[sim cached=5]]"_s << 5 << 0;
    QTest::newRow("written") << u"[[sim cache_write=7]]"_s << 0 << 7;
    QTest::newRow("both") << u"[[sim cached=5 cache_write=7]]"_s << 5 << 7;
    QTest::newRow("write above prompt") << u"[[sim cached=5 cache_write=100000]]"_s << 5 << -1;
}

void TestSimulatedMessages::cacheDirectives()
{
    QFETCH(QString, directive);
    QFETCH(int, read);
    QFETCH(int, written);
    auto plain = post(messagesRequest(u"Cache me "_s + directive));
    auto exchange = post(messagesRequest(u"Cache me "_s + directive, streamed()));
    auto count = post(messagesRequest(u"Cache me "_s + directive), "/v1/messages/count_tokens");
    QVERIFY(plain->wait() && exchange->wait() && count->wait());
    const int total = count->json().value("input_tokens"_L1).toInt();
    QVERIFY(total > 10);
    const int expectedWrite = written < 0 ? total - read : written;

    const QJsonObject usage = usageOf(plain->json());
    QCOMPARE(usage.value("cache_read_input_tokens"_L1).toInt(), read);
    QCOMPARE(usage.value("cache_creation_input_tokens"_L1).toInt(), expectedWrite);
    QCOMPARE(usage.value("input_tokens"_L1).toInt(), total - read - expectedWrite);
    QCOMPARE(usage.value("cache_creation"_L1).toObject().value("ephemeral_5m_input_tokens"_L1),
             usage.value("cache_creation_input_tokens"_L1));

    const QList<QJsonObject> events = payloads(*exchange);
    const QJsonObject start = usageOf(events.first().value("message"_L1).toObject());
    const QJsonObject end = usageOf(events[events.size() - 2]);
    for (const auto key :
         {"input_tokens"_L1, "cache_creation_input_tokens"_L1, "cache_read_input_tokens"_L1}) {
        QCOMPARE(start.value(key), usage.value(key));
        QCOMPARE(end.value(key), usage.value(key));
    }
}

void TestSimulatedMessages::countTokens_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<bool>("withTools");
    QTest::newRow("plain") << QByteArray("/v1/messages/count_tokens") << false;
    QTest::newRow("beta with tools") << QByteArray("/v1/messages/count_tokens?beta=true") << true;
}

void TestSimulatedMessages::countTokens()
{
    QFETCH(QByteArray, path);
    QFETCH(bool, withTools);
    QJsonObject body = messagesRequest(
        u"How many tokens is this? [[sim cached=4]]"_s,
        streamed(withTools ? QJsonObject{{u"tools"_s, weatherTools}} : QJsonObject()));
    auto stream = post(body);
    body.remove(u"max_tokens"_s);
    body.remove(u"stream"_s);
    auto count = post(body, path);
    QVERIFY(stream->wait() && count->wait());
    QCOMPARE(count->status, 200);
    QCOMPARE(count->headers.value("content-type"), "application/json");
    QVERIFY(count->headers.value("request-id").startsWith("req_"));
    const QJsonObject counted = count->json();
    QCOMPARE(counted.keys(), QStringList{u"input_tokens"_s});
    const QJsonObject start = usageOf(payloads(*stream).first().value("message"_L1).toObject());
    QCOMPARE(counted.value("input_tokens"_L1).toInt(), totalInput(start));
    QCOMPARE(start.value("cache_read_input_tokens"_L1).toInt(), 4);
    // 3 + (3 + ceil(14 / 4)) + (3 + ceil(41 / 4)) without tools.
    if (!withTools)
        QCOMPARE(counted.value("input_tokens"_L1).toInt(), 3 + 7 + 14);
    else
        QVERIFY(counted.value("input_tokens"_L1).toInt() > 3 + 7 + 14 + 3);
}

void TestSimulatedMessages::badRequests_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("mentions");

    const QByteArray messages = R"("messages":[{"role":"user","content":"hi"}])";
    QTest::newRow("malformed JSON")
        << QByteArray("/v1/messages") << QByteArray("{\"model\":") << u"JSON"_s;
    QTest::newRow("missing max_tokens")
        << QByteArray("/v1/messages?beta=true")
        << QByteArray(R"({"model":"claude-sonnet-4-5",)" + messages + '}') << u"max_tokens"_s;
    QTest::newRow("zero max_tokens")
        << QByteArray("/v1/messages")
        << QByteArray(R"({"model":"claude-sonnet-4-5","max_tokens":0,)" + messages + '}')
        << u"max_tokens"_s;
    QTest::newRow("missing model")
        << QByteArray("/v1/messages") << QByteArray(R"({"max_tokens":10,)" + messages + '}')
        << u"model"_s;
    QTest::newRow("missing messages")
        << QByteArray("/v1/messages")
        << QByteArray(R"({"model":"claude-sonnet-4-5","max_tokens":10})") << u"messages"_s;
    QTest::newRow("budget not below max_tokens")
        << QByteArray("/v1/messages")
        << QByteArray(R"({"model":"claude-sonnet-4-5","max_tokens":2000,
               "thinking":{"type":"enabled","budget_tokens":2000},)" +
                      messages + '}')
        << u"budget_tokens"_s;
    QTest::newRow("budget below 1024")
        << QByteArray("/v1/messages")
        << QByteArray(R"({"model":"claude-sonnet-4-5","max_tokens":2000,
               "thinking":{"type":"enabled","budget_tokens":100},)" +
                      messages + '}')
        << u"budget_tokens"_s;
    QTest::newRow("unknown forced tool")
        << QByteArray("/v1/messages")
        << QByteArray(R"({"model":"claude-sonnet-4-5","max_tokens":10,"tools":[],
               "tool_choice":{"type":"tool","name":"nope"},)" +
                      messages + '}')
        << u"nope"_s;
    QTest::newRow("count_tokens without model") << QByteArray("/v1/messages/count_tokens")
                                                << QByteArray('{' + messages + '}') << u"model"_s;
}

void TestSimulatedMessages::badRequests()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, body);
    QFETCH(QString, mentions);
    auto exchange = postBytes(body, path);
    QVERIFY(exchange->wait());
    QCOMPARE(exchange->status, 400);
    QCOMPARE(exchange->headers.value("content-type"), "application/json");
    const QJsonObject root = exchange->json();
    QCOMPARE(root.keys(), (QStringList{u"error"_s, u"request_id"_s, u"type"_s}));
    QCOMPARE(root.value("type"_L1).toString(), u"error"_s);
    QCOMPARE(root.value("request_id"_L1).toString().toLatin1(),
             exchange->headers.value("request-id"));
    const QJsonObject error = root.value("error"_L1).toObject();
    QCOMPARE(error.keys(), (QStringList{u"message"_s, u"type"_s}));
    QCOMPARE(error.value("type"_L1).toString(), u"invalid_request_error"_s);
    QVERIFY2(error.value("message"_L1).toString().contains(mentions),
             qPrintable(error.value("message"_L1).toString()));
}

void TestSimulatedMessages::statusDirective_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("stream");
    QTest::addColumn<QString>("type");
    QTest::newRow("400") << 400 << false << u"invalid_request_error"_s;
    QTest::newRow("401") << 401 << false << u"authentication_error"_s;
    QTest::newRow("403") << 403 << false << u"permission_error"_s;
    QTest::newRow("404") << 404 << false << u"not_found_error"_s;
    QTest::newRow("413") << 413 << false << u"request_too_large"_s;
    QTest::newRow("429 stream") << 429 << true << u"rate_limit_error"_s;
    QTest::newRow("500") << 500 << false << u"api_error"_s;
    QTest::newRow("529 stream") << 529 << true << u"overloaded_error"_s;
}

void TestSimulatedMessages::statusDirective()
{
    QFETCH(int, status);
    QFETCH(bool, stream);
    QFETCH(QString, type);
    auto exchange = post(messagesRequest(u"fail please [[sim status=%1]]"_s.arg(status),
                                         stream ? streamed() : QJsonObject()));
    QVERIFY(exchange->wait());
    QVERIFY(exchange->complete());
    QCOMPARE(exchange->status, status);
    QCOMPARE(exchange->headers.value("content-type"), "application/json");
    const QJsonObject root = exchange->json();
    QCOMPARE(root.value("type"_L1).toString(), u"error"_s);
    QCOMPARE(root.value("error"_L1).toObject().value("type"_L1).toString(), type);
    QVERIFY(!root.value("error"_L1).toObject().value("message"_L1).toString().isEmpty());
    QCOMPARE(root.value("request_id"_L1).toString().toLatin1(),
             exchange->headers.value("request-id"));
}

void TestSimulatedMessages::errorAfter()
{
    auto exchange = post(messagesRequest(u"[[sim tokens=20 error_after=3]]"_s, streamed()));
    auto plain = post(messagesRequest(u"[[sim tokens=20 error_after=3]]"_s));
    QVERIFY(exchange->wait() && plain->wait());
    QVERIFY(exchange->complete()); // the HTTP stream itself ends cleanly
    QCOMPARE(exchange->status, 200);
    const QList<QJsonObject> events = payloads(*exchange);
    QCOMPARE(types(events),
             (QStringList{u"message_start"_s, u"content_block_start"_s, u"ping"_s,
                          u"content_block_delta/text_delta"_s, u"content_block_delta/text_delta"_s,
                          u"content_block_delta/text_delta"_s, u"error"_s}));
    QCOMPARE(exchange->events.last().name, "error");
    QCOMPARE(exchange->events.last().data,
             R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})");

    QCOMPARE(plain->status, 529);
    QCOMPARE(plain->json().value("error"_L1).toObject().value("type"_L1).toString(),
             u"overloaded_error"_s);
}

void TestSimulatedMessages::models_data()
{
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<bool>("anthropic");
    QTest::newRow("anthropic-version") << anthropicHeaders << true;
    QTest::newRow("openai") << QByteArray("Authorization: Bearer sk-test\r\n") << false;
}

void TestSimulatedMessages::models()
{
    QFETCH(QByteArray, headers);
    QFETCH(bool, anthropic);
    SseExchange exchange(m_port, "GET", "/v1/models", {}, headers);
    QVERIFY(exchange.wait());
    QCOMPARE(exchange.status, 200);
    const QJsonObject root = exchange.json();
    const QJsonArray data = root.value("data"_L1).toArray();
    QVERIFY(data.size() >= 3);
    if (!anthropic) {
        QCOMPARE(root.value("object"_L1).toString(), u"list"_s);
        QCOMPARE(data.first().toObject().value("object"_L1).toString(), u"model"_s);
        QVERIFY(!exchange.headers.value("x-request-id").isEmpty());
        return;
    }
    QCOMPARE(root.keys(), (QStringList{u"data"_s, u"first_id"_s, u"has_more"_s, u"last_id"_s}));
    QCOMPARE(root.value("has_more"_L1), QJsonValue(false));
    QCOMPARE(root.value("first_id"_L1), data.first().toObject().value("id"_L1));
    QCOMPARE(root.value("last_id"_L1), data.last().toObject().value("id"_L1));
    for (const QJsonValue value : data) {
        const QJsonObject model = value.toObject();
        QCOMPARE(model.keys(),
                 (QStringList{u"created_at"_s, u"display_name"_s, u"id"_s, u"type"_s}));
        QCOMPARE(model.value("type"_L1).toString(), u"model"_s);
        QVERIFY(model.value("id"_L1).toString().startsWith("claude-"_L1));
        QVERIFY(model.value("display_name"_L1).toString().startsWith("Claude "_L1));
        QVERIFY(
            QDateTime::fromString(model.value("created_at"_L1).toString(), Qt::ISODate).isValid());
    }
    QVERIFY(exchange.headers.value("request-id").startsWith("req_"));
}

void TestSimulatedMessages::unknownPath()
{
    auto exchange = postBytes("{}", "/v1/messages/batches");
    QVERIFY(exchange->wait());
    QCOMPARE(exchange->status, 404);
    const QJsonObject root = exchange->json();
    QCOMPARE(root.value("type"_L1).toString(), u"error"_s);
    QCOMPARE(root.value("error"_L1).toObject().value("type"_L1).toString(), u"not_found_error"_s);
}

void TestSimulatedMessages::serverRejectionInAnthropicShape()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    socket.write("POST /v1/messages HTTP/1.1\r\nHost: attacker.example\r\n"
                 "anthropic-version: 2023-06-01\r\nContent-Length: 2\r\n\r\n{}");
    QByteArray response;
    QVERIFY(QTest::qWaitFor([&] {
        response += socket.readAll();
        return socket.state() == QAbstractSocket::UnconnectedState;
    }));
    response += socket.readAll();
    QVERIFY(response.startsWith("HTTP/1.1 421 "));
    const QJsonObject root =
        QJsonDocument::fromJson(response.mid(response.indexOf("\r\n\r\n") + 4)).object();
    QCOMPARE(root.value("type"_L1).toString(), u"error"_s);
    QCOMPARE(root.value("error"_L1).toObject().value("type"_L1).toString(),
             u"invalid_request_error"_s);
}

// A request shaped as Claude Code sends it: system blocks with cache_control, metadata.user_id
// as a JSON string, adaptive thinking, fields the simulator does not know, always streamed.
void TestSimulatedMessages::claudeCodeRequest()
{
    QJsonObject body = messagesRequest(
        u"Fix the bug."_s,
        {{u"max_tokens"_s, 64000},
         {u"stream"_s, true},
         {u"system"_s, json(R"([{"type":"text","text":"You are Claude Code.",
              "cache_control":{"type":"ephemeral"}},{"type":"text","text":"Rules."}])")},
         {u"thinking"_s, json(R"({"type":"adaptive"})")},
         {u"metadata"_s, json(R"({"user_id":"{\"device_id\":\"d\",\"session_id\":\"s\"}"})")},
         {u"output_config"_s, json(R"({"effort":"high"})")},
         {u"context_management"_s, json(R"({"edits":[]})")},
         {u"tools"_s, weatherTools}});
    auto exchange = post(body);
    QVERIFY(exchange->wait());
    QCOMPARE(exchange->status, 200);
    const QList<QJsonObject> events = payloads(*exchange);
    QCOMPARE(types(events).first(), u"message_start"_s);
    QCOMPARE(types(events).last(), u"message_stop"_s);
    QCOMPARE(events[1].value("content_block"_L1).toObject().value("type"_L1).toString(),
             u"thinking"_s);
    QCOMPARE(types(events).count(u"content_block_delta/signature_delta"_s), 1);
    QVERIFY(types(events).contains(u"content_block_delta/input_json_delta"_s));
}

QTEST_GUILESS_MAIN(TestSimulatedMessages)
#include "tst_simulatedmessages.moc"
