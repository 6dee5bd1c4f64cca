#include "server/httpserver.h"
#include "simulator/simulatedprovider.h"
#include "sseexchange.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

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

QByteArray responsesBody(const QJsonValue &input, const QJsonObject &extra = {})
{
    QJsonObject body{{u"model"_s, u"gpt-4.1"_s}, {u"input"_s, input}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        body.insert(it.key(), it.value());
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

QJsonObject streamed(QJsonObject extra = {})
{
    extra.insert(u"stream"_s, true);
    return extra;
}

const QJsonValue codexTools = json(R"([
    {"type":"function","name":"shell","description":"Runs a shell command.","strict":false,
     "parameters":{"type":"object","properties":{"command":{"type":"array",
        "items":{"type":"string"}},"workdir":{"type":"string"},"timeout_ms":{"type":"number"}},
        "required":["command"],"additionalProperties":false}},
    {"type":"custom","name":"apply_patch","description":"Edits files with a patch.",
     "format":{"type":"grammar","syntax":"lark",
        "definition":"start: begin_patch hunk+ end_patch"}},
    {"type":"web_search"},
    {"type":"tool_search","execution":"client","description":"Finds tools.",
     "parameters":{"type":"object","properties":{}}}])");

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

QStringList types(const QList<QJsonObject> &events)
{
    QStringList names;
    for (const QJsonObject &event : events)
        names.append(event.value("type"_L1).toString());
    return names;
}

QString joined(const QList<QJsonObject> &events, const QString &type, const QString &field)
{
    QString text;
    for (const QJsonObject &event : events) {
        if (event.value("type"_L1).toString() == type)
            text += event.value(field).toString();
    }
    return text;
}

QJsonObject eventOf(const QList<QJsonObject> &events, const QString &type)
{
    for (const QJsonObject &event : events) {
        if (event.value("type"_L1).toString() == type)
            return event;
    }
    return {};
}

} // namespace

// The simulated provider's OpenAI Responses API over real HTTP: the response object, the
// semantic event stream, function and custom tool calls, reasoning, limits, errors.
class TestSimulatedResponses : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();

    void nonStreamShape_data();
    void nonStreamShape();
    void echoesRequestSettings();
    void streamShape();
    void functionCall_data();
    void functionCall();
    void customToolCall_data();
    void customToolCall();
    void toolResultGetsText_data();
    void toolResultGetsText();
    void reasoning_data();
    void reasoning();
    void incomplete_data();
    void incomplete();
    void badRequests_data();
    void badRequests();
    void statusDirective();
    void errorAfter();
    void codexRequest();
    void toolsInAnAdditionalToolsItem();

private:
    std::unique_ptr<SseExchange> post(const QByteArray &body)
    {
        return std::make_unique<SseExchange>(m_port, "POST", "/v1/responses", body);
    }

    std::unique_ptr<SimulatedProvider> m_provider;
    std::unique_ptr<HttpServer> m_server;
    quint16 m_port = 0;
};

void TestSimulatedResponses::initTestCase()
{
    m_provider = std::make_unique<SimulatedProvider>();
    m_server = std::make_unique<HttpServer>(m_provider.get(), ServerLimits{});
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    m_port = m_server->serverPort();
}

void TestSimulatedResponses::nonStreamShape_data()
{
    QTest::addColumn<QJsonValue>("input");
    QTest::addColumn<int>("inputTokens");
    // 3 + (3 + ceil(11 / 4)) for the one user message.
    QTest::newRow("string input") << QJsonValue(u"Hello there"_s) << 9;
    // 3 + (3 + ceil(14 / 4)) + (3 + ceil(11 / 4)): a developer and a user message.
    QTest::newRow("item list") << json(R"([
        {"type":"message","role":"developer","content":[{"type":"input_text",
            "text":"You are terse."}]},
        {"role":"user","content":[{"type":"input_text","text":"Hello there"},
            {"type":"input_image","image_url":"data:image/png;base64,AAAA"}]}])")
                               << 16;
}

void TestSimulatedResponses::nonStreamShape()
{
    QFETCH(QJsonValue, input);
    QFETCH(int, inputTokens);
    auto exchange = post(responsesBody(input));
    QVERIFY(exchange->wait());
    QVERIFY(exchange->complete());
    QCOMPARE(exchange->status, 200);
    QCOMPARE(exchange->headers.value("content-type"), "application/json");
    QVERIFY(exchange->headers.value("x-request-id").startsWith("req_"));

    const QJsonObject root = parse(exchange->body);
    QVERIFY(root.value("id"_L1).toString().startsWith("resp_"_L1));
    QCOMPARE(root.value("object"_L1).toString(), u"response"_s);
    QVERIFY(root.value("created_at"_L1).toInteger() > 1'700'000'000);
    QCOMPARE(root.value("status"_L1).toString(), u"completed"_s);
    QCOMPARE(root.value("model"_L1).toString(), u"gpt-4.1"_s);
    for (const auto key : {"error"_L1, "incomplete_details"_L1, "instructions"_L1,
                           "max_output_tokens"_L1, "previous_response_id"_L1, "user"_L1}) {
        QVERIFY2(root.contains(key) && root.value(key).isNull(), key.data());
    }
    QCOMPARE(root.value("parallel_tool_calls"_L1), QJsonValue(true));
    QCOMPARE(root.value("tool_choice"_L1).toString(), u"auto"_s);
    QCOMPARE(root.value("tools"_L1), QJsonValue(QJsonArray()));
    QCOMPARE(root.value("temperature"_L1).toDouble(), 1.0);
    QCOMPARE(root.value("top_p"_L1).toDouble(), 1.0);
    QCOMPARE(root.value("truncation"_L1).toString(), u"disabled"_s);
    QCOMPARE(root.value("store"_L1), QJsonValue(true));
    QCOMPARE(root.value("text"_L1).toObject().value("format"_L1).toObject().value("type"_L1),
             u"text"_s);
    QVERIFY(root.value("reasoning"_L1).isObject());
    QCOMPARE(root.value("metadata"_L1), QJsonValue(QJsonObject()));

    const QJsonArray output = root.value("output"_L1).toArray();
    QCOMPARE(output.size(), 1);
    const QJsonObject message = output.first().toObject();
    QVERIFY(message.value("id"_L1).toString().startsWith("msg_"_L1));
    QCOMPARE(message.value("type"_L1).toString(), u"message"_s);
    QCOMPARE(message.value("status"_L1).toString(), u"completed"_s);
    QCOMPARE(message.value("role"_L1).toString(), u"assistant"_s);
    const QJsonArray content = message.value("content"_L1).toArray();
    QCOMPARE(content.size(), 1);
    const QJsonObject part = content.first().toObject();
    QCOMPARE(part.value("type"_L1).toString(), u"output_text"_s);
    QCOMPARE(part.value("annotations"_L1), QJsonValue(QJsonArray()));
    const QString text = part.value("text"_L1).toString();
    const int words = int(text.split(u' ').size());
    QVERIFY(words >= 12 && words <= 60);

    const QJsonObject usage = root.value("usage"_L1).toObject();
    QCOMPARE(usage.value("input_tokens"_L1).toInt(), inputTokens);
    QCOMPARE(usage.value("input_tokens_details"_L1).toObject().value("cached_tokens"_L1).toInt(-1),
             0);
    QCOMPARE(usage.value("output_tokens"_L1).toInt(), words);
    QCOMPARE(
        usage.value("output_tokens_details"_L1).toObject().value("reasoning_tokens"_L1).toInt(-1),
        0);
    QCOMPARE(usage.value("total_tokens"_L1).toInt(), inputTokens + words);
}

void TestSimulatedResponses::echoesRequestSettings()
{
    const QJsonObject extra{{u"instructions"_s, u"Be terse."_s},
                            {u"store"_s, false},
                            {u"temperature"_s, 0.5},
                            {u"max_output_tokens"_s, 500},
                            {u"prompt_cache_key"_s, u"session-1"_s},
                            {u"tool_choice"_s, u"required"_s},
                            {u"tools"_s, codexTools},
                            {u"text"_s, json(R"({"verbosity":"low"})")},
                            {u"metadata"_s, json(R"({"who":"test"})")},
                            {u"client_metadata"_s, json(R"({"anything":1})")},
                            {u"some_future_field"_s, true}};
    auto exchange = post(responsesBody(u"Hi [[sim cached=3]]"_s, extra));
    QVERIFY(exchange->wait());
    QCOMPARE(exchange->status, 200);
    const QJsonObject root = exchange->json();
    QCOMPARE(root.value("instructions"_L1).toString(), u"Be terse."_s);
    QCOMPARE(root.value("store"_L1), QJsonValue(false));
    QCOMPARE(root.value("temperature"_L1).toDouble(), 0.5);
    QCOMPARE(root.value("max_output_tokens"_L1).toInt(), 500);
    QCOMPARE(root.value("prompt_cache_key"_L1).toString(), u"session-1"_s);
    QCOMPARE(root.value("tool_choice"_L1).toString(), u"required"_s);
    QCOMPARE(root.value("tools"_L1), codexTools);
    QCOMPARE(root.value("text"_L1), json(R"({"verbosity":"low"})"));
    QCOMPARE(root.value("metadata"_L1), json(R"({"who":"test"})"));
    QCOMPARE(root.value("usage"_L1)
                 .toObject()
                 .value("input_tokens_details"_L1)
                 .toObject()
                 .value("cached_tokens"_L1)
                 .toInt(),
             3);
}

void TestSimulatedResponses::streamShape()
{
    auto plain = post(responsesBody(u"Stream to me"_s));
    auto exchange = post(responsesBody(u"Stream to me"_s, streamed()));
    QVERIFY(plain->wait() && exchange->wait());
    QVERIFY(exchange->complete());
    QCOMPARE(exchange->status, 200);
    QCOMPARE(exchange->headers.value("content-type"), "text/event-stream; charset=utf-8");
    QVERIFY(!exchange->body.contains("[DONE]"));
    for (const QByteArray &line : exchange->body.split('\n'))
        QVERIFY(line.isEmpty() || line.startsWith("event: ") || line.startsWith("data: "));

    const QList<QJsonObject> events = payloads(*exchange);
    const QJsonObject plainRoot = plain->json();
    const int outputTokens =
        plainRoot.value("usage"_L1).toObject().value("output_tokens"_L1).toInt();
    QStringList expected{u"response.created"_s, u"response.in_progress"_s,
                         u"response.output_item.added"_s, u"response.content_part.added"_s};
    for (int i = 0; i < outputTokens; ++i)
        expected.append(u"response.output_text.delta"_s);
    expected += {u"response.output_text.done"_s, u"response.content_part.done"_s,
                 u"response.output_item.done"_s, u"response.completed"_s};
    QCOMPARE(types(events), expected);
    for (qsizetype i = 0; i < events.size(); ++i)
        QCOMPARE(events[i].value("sequence_number"_L1).toInt(-1), int(i));

    const QJsonObject created = events[0].value("response"_L1).toObject();
    QCOMPARE(created.value("status"_L1).toString(), u"in_progress"_s);
    QCOMPARE(created.value("output"_L1), QJsonValue(QJsonArray()));
    QVERIFY(created.contains("usage"_L1) && created.value("usage"_L1).isNull());
    const QString id = created.value("id"_L1).toString();
    QVERIFY(id.startsWith("resp_"_L1));

    const QJsonObject added = events[2].value("item"_L1).toObject();
    QCOMPARE(events[2].value("output_index"_L1).toInt(-1), 0);
    QCOMPARE(added.value("type"_L1).toString(), u"message"_s);
    QCOMPARE(added.value("status"_L1).toString(), u"in_progress"_s);
    QCOMPARE(added.value("content"_L1), QJsonValue(QJsonArray()));
    const QString itemId = added.value("id"_L1).toString();
    QCOMPARE(events[3].value("part"_L1).toObject().value("text"_L1).toString(), QString());
    for (const QJsonObject &event : events) {
        if (event.value("type"_L1).toString() != u"response.output_text.delta"_s)
            continue;
        QCOMPARE(event.value("item_id"_L1).toString(), itemId);
        QCOMPARE(event.value("output_index"_L1).toInt(-1), 0);
        QCOMPARE(event.value("content_index"_L1).toInt(-1), 0);
        QCOMPARE(event.value("logprobs"_L1), QJsonValue(QJsonArray()));
        QVERIFY(!event.value("delta"_L1).toString().isEmpty());
    }

    // The deltas, the done events and the non-streamed answer agree.
    const QString text = joined(events, u"response.output_text.delta"_s, u"delta"_s);
    const QString plainText = plainRoot.value("output"_L1)
                                  .toArray()
                                  .first()
                                  .toObject()
                                  .value("content"_L1)
                                  .toArray()
                                  .first()
                                  .toObject()
                                  .value("text"_L1)
                                  .toString();
    QCOMPARE(text, plainText);
    QCOMPARE(eventOf(events, u"response.output_text.done"_s).value("text"_L1).toString(), text);
    QCOMPARE(eventOf(events, u"response.content_part.done"_s)
                 .value("part"_L1)
                 .toObject()
                 .value("text"_L1)
                 .toString(),
             text);
    const QJsonObject done =
        eventOf(events, u"response.output_item.done"_s).value("item"_L1).toObject();
    QCOMPARE(done.value("status"_L1).toString(), u"completed"_s);
    QCOMPARE(done.value("id"_L1).toString(), itemId);

    const QJsonObject completed = events.last().value("response"_L1).toObject();
    QCOMPARE(completed.value("id"_L1).toString(), id);
    QCOMPARE(completed.value("status"_L1).toString(), u"completed"_s);
    QCOMPARE(completed.value("usage"_L1), plainRoot.value("usage"_L1));
    QCOMPARE(completed.value("output"_L1).toArray().first().toObject().value("content"_L1),
             done.value("content"_L1));
}

void TestSimulatedResponses::functionCall_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("non-stream") << false;
    QTest::newRow("stream") << true;
}

void TestSimulatedResponses::functionCall()
{
    QFETCH(bool, stream);
    QJsonObject extra{{u"tools"_s, codexTools},
                      {u"tool_choice"_s, json(R"({"type":"function","name":"shell"})")}};
    auto plain = post(responsesBody(u"List the files."_s, extra));
    auto exchange = post(responsesBody(u"List the files."_s, stream ? streamed(extra) : extra));
    QVERIFY(plain->wait() && exchange->wait());
    QCOMPARE(exchange->status, 200);

    const QJsonObject plainRoot = plain->json();
    QJsonObject item = plainRoot.value("output"_L1).toArray().first().toObject();
    if (stream) {
        const QList<QJsonObject> events = payloads(*exchange);
        const QJsonObject added = eventOf(events, u"response.output_item.added"_s);
        QCOMPARE(added.value("item"_L1).toObject().value("type"_L1).toString(), u"function_call"_s);
        QCOMPARE(added.value("item"_L1).toObject().value("arguments"_L1).toString(), QString());
        QCOMPARE(added.value("item"_L1).toObject().value("status"_L1).toString(), u"in_progress"_s);
        const QString arguments =
            joined(events, u"response.function_call_arguments.delta"_s, u"delta"_s);
        QCOMPARE(eventOf(events, u"response.function_call_arguments.done"_s)
                     .value("arguments"_L1)
                     .toString(),
                 arguments);
        const int deltas = int(types(events).count(u"response.function_call_arguments.delta"_s));
        const QJsonObject usage =
            events.last().value("response"_L1).toObject().value("usage"_L1).toObject();
        QCOMPARE(usage.value("output_tokens"_L1).toInt(), deltas);
        QCOMPARE(types(events).last(), u"response.completed"_s);
        for (qsizetype i = 0; i < events.size(); ++i)
            QCOMPARE(events[i].value("sequence_number"_L1).toInt(-1), int(i));
        item = eventOf(events, u"response.output_item.done"_s).value("item"_L1).toObject();
        QCOMPARE(item.value("arguments"_L1).toString(), arguments);
        QCOMPARE(item.value("id"_L1), added.value("item"_L1).toObject().value("id"_L1));
    } else {
        QCOMPARE(exchange->json().value("output"_L1).toArray().size(), 1);
    }
    QCOMPARE(item.value("type"_L1).toString(), u"function_call"_s);
    QCOMPARE(item.value("status"_L1).toString(), u"completed"_s);
    QVERIFY(item.value("id"_L1).toString().startsWith("fc_"_L1));
    QVERIFY(item.value("call_id"_L1).toString().startsWith("call_"_L1));
    QCOMPARE(item.value("name"_L1).toString(), u"shell"_s);
    QJsonParseError error;
    const QJsonObject arguments =
        QJsonDocument::fromJson(item.value("arguments"_L1).toString().toUtf8(), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(arguments.keys(), QStringList{u"command"_s});
    QVERIFY(arguments.value("command"_L1).toArray().first().isString());
    // Deterministic: the same call as the non-streamed answer.
    const QJsonObject plainItem = plainRoot.value("output"_L1).toArray().first().toObject();
    QCOMPARE(item.value("call_id"_L1), plainItem.value("call_id"_L1));
    QCOMPARE(item.value("arguments"_L1), plainItem.value("arguments"_L1));
}

void TestSimulatedResponses::customToolCall_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("non-stream") << false;
    QTest::newRow("stream") << true;
}

void TestSimulatedResponses::customToolCall()
{
    QFETCH(bool, stream);
    QJsonObject extra{{u"tools"_s, codexTools},
                      {u"tool_choice"_s, json(R"({"type":"custom","name":"apply_patch"})")}};
    auto exchange =
        post(responsesBody(u"Fix it. [[sim tokens=6]]"_s, stream ? streamed(extra) : extra));
    QVERIFY(exchange->wait());
    QCOMPARE(exchange->status, 200);
    QJsonObject item;
    QJsonObject usage;
    if (stream) {
        const QList<QJsonObject> events = payloads(*exchange);
        const QJsonObject added = eventOf(events, u"response.output_item.added"_s);
        QCOMPARE(added.value("item"_L1).toObject().value("type"_L1).toString(),
                 u"custom_tool_call"_s);
        QCOMPARE(added.value("item"_L1).toObject().value("input"_L1).toString(), QString());
        QCOMPARE(types(events).count(u"response.custom_tool_call_input.delta"_s), 6);
        const QString input =
            joined(events, u"response.custom_tool_call_input.delta"_s, u"delta"_s);
        QCOMPARE(
            eventOf(events, u"response.custom_tool_call_input.done"_s).value("input"_L1).toString(),
            input);
        item = eventOf(events, u"response.output_item.done"_s).value("item"_L1).toObject();
        QCOMPARE(item.value("input"_L1).toString(), input);
        usage = events.last().value("response"_L1).toObject().value("usage"_L1).toObject();
    } else {
        item = exchange->json().value("output"_L1).toArray().first().toObject();
        usage = exchange->json().value("usage"_L1).toObject();
    }
    QCOMPARE(item.value("type"_L1).toString(), u"custom_tool_call"_s);
    QVERIFY(item.value("id"_L1).toString().startsWith("ctc_"_L1));
    QVERIFY(item.value("call_id"_L1).toString().startsWith("call_"_L1));
    QCOMPARE(item.value("name"_L1).toString(), u"apply_patch"_s);
    QCOMPARE(item.value("input"_L1).toString().split(u' ').size(), 6);
    QCOMPARE(usage.value("output_tokens"_L1).toInt(), 6);
}

void TestSimulatedResponses::toolResultGetsText_data()
{
    QTest::addColumn<QJsonValue>("input");
    QTest::newRow("function_call_output") << json(R"([
        {"type":"message","role":"user","content":[{"type":"input_text","text":"List files."}]},
        {"type":"function_call","call_id":"call_1","name":"shell",
         "arguments":"{\"command\":[\"ls\"]}"},
        {"type":"function_call_output","call_id":"call_1","output":"a.txt\nb.txt"}])");
    QTest::newRow("custom_tool_call_output") << json(R"([
        {"role":"user","content":"Fix it."},
        {"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":"gAAAA"},
        {"type":"custom_tool_call","call_id":"call_2","name":"apply_patch",
         "input":"*** Begin Patch\n*** End Patch"},
        {"type":"custom_tool_call_output","call_id":"call_2","output":"Done!"}])");
}

void TestSimulatedResponses::toolResultGetsText()
{
    QFETCH(QJsonValue, input);
    auto exchange = post(responsesBody(input, {{u"tools"_s, codexTools}}));
    QVERIFY(exchange->wait());
    QCOMPARE(exchange->status, 200);
    const QJsonArray output = exchange->json().value("output"_L1).toArray();
    QCOMPARE(output.size(), 1);
    QCOMPARE(output.first().toObject().value("type"_L1).toString(), u"message"_s);
    QVERIFY(!output.first()
                 .toObject()
                 .value("content"_L1)
                 .toArray()
                 .first()
                 .toObject()
                 .value("text"_L1)
                 .toString()
                 .isEmpty());
}

void TestSimulatedResponses::reasoning_data()
{
    QTest::addColumn<bool>("stream");
    QTest::addColumn<bool>("include");
    QTest::addColumn<QString>("directive");
    QTest::addColumn<int>("reasoningTokens"); // -1: some, from the prompt
    QTest::newRow("non-stream include") << false << true << QString() << -1;
    QTest::newRow("non-stream plain") << false << false << QString() << -1;
    QTest::newRow("stream include") << true << true << QString() << -1;
    QTest::newRow("stream directive") << true << true << u"[[sim reasoning=40]]"_s << 40;
}

void TestSimulatedResponses::reasoning()
{
    QFETCH(bool, stream);
    QFETCH(bool, include);
    QFETCH(QString, directive);
    QFETCH(int, reasoningTokens);
    QJsonObject extra{{u"reasoning"_s, json(R"({"effort":"medium","summary":"auto"})")}};
    if (include)
        extra.insert(u"include"_s, QJsonArray{u"reasoning.encrypted_content"_s});
    auto exchange = post(responsesBody(QString(u"Think first. [[sim tokens=5]] "_s + directive),
                                       stream ? streamed(extra) : extra));
    QVERIFY(exchange->wait());
    QCOMPARE(exchange->status, 200);
    QJsonObject root = exchange->json();
    if (stream) {
        const QList<QJsonObject> events = payloads(*exchange);
        QCOMPARE(types(events).mid(0, 6),
                 (QStringList{u"response.created"_s, u"response.in_progress"_s,
                              u"response.output_item.added"_s, u"response.output_item.done"_s,
                              u"response.output_item.added"_s, u"response.content_part.added"_s}));
        QCOMPARE(events[2].value("item"_L1).toObject().value("type"_L1).toString(), u"reasoning"_s);
        QCOMPARE(events[3].value("output_index"_L1).toInt(-1), 0);
        QCOMPARE(events[4].value("output_index"_L1).toInt(-1), 1);
        QCOMPARE(events[6].value("output_index"_L1).toInt(-1), 1);
        for (qsizetype i = 0; i < events.size(); ++i)
            QCOMPARE(events[i].value("sequence_number"_L1).toInt(-1), int(i));
        root = events.last().value("response"_L1).toObject();
        QCOMPARE(root.value("output"_L1).toArray().first(), events[3].value("item"_L1));
    }
    const QJsonArray output = root.value("output"_L1).toArray();
    QCOMPARE(output.size(), 2);
    const QJsonObject reasoning = output.first().toObject();
    QCOMPARE(reasoning.value("type"_L1).toString(), u"reasoning"_s);
    QVERIFY(reasoning.value("id"_L1).toString().startsWith("rs_"_L1));
    QCOMPARE(reasoning.value("summary"_L1), QJsonValue(QJsonArray()));
    QCOMPARE(reasoning.contains("encrypted_content"_L1), include);
    if (include)
        QVERIFY(reasoning.value("encrypted_content"_L1).toString().startsWith("gAAAAA"_L1));
    QCOMPARE(output.at(1).toObject().value("type"_L1).toString(), u"message"_s);

    const QJsonObject usage = root.value("usage"_L1).toObject();
    const int reasoned =
        usage.value("output_tokens_details"_L1).toObject().value("reasoning_tokens"_L1).toInt();
    if (reasoningTokens >= 0)
        QCOMPARE(reasoned, reasoningTokens);
    else
        QVERIFY(reasoned >= 8 && reasoned <= 32);
    QCOMPARE(usage.value("output_tokens"_L1).toInt(), 5 + reasoned);
    QCOMPARE(usage.value("total_tokens"_L1).toInt(),
             usage.value("input_tokens"_L1).toInt() + 5 + reasoned);
}

void TestSimulatedResponses::incomplete_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("non-stream") << false;
    QTest::newRow("stream") << true;
}

void TestSimulatedResponses::incomplete()
{
    QFETCH(bool, stream);
    const QJsonObject extra{{u"max_output_tokens"_s, 16}};
    auto exchange = post(responsesBody(u"A long answer please [[sim tokens=40]]"_s,
                                       stream ? streamed(extra) : extra));
    QVERIFY(exchange->wait());
    QCOMPARE(exchange->status, 200);
    QJsonObject root = exchange->json();
    if (stream) {
        const QList<QJsonObject> events = payloads(*exchange);
        QCOMPARE(types(events).last(), u"response.incomplete"_s);
        QVERIFY(!types(events).contains(u"response.completed"_s));
        QCOMPARE(types(events).count(u"response.output_text.delta"_s), 16);
        root = events.last().value("response"_L1).toObject();
    }
    QCOMPARE(root.value("status"_L1).toString(), u"incomplete"_s);
    QCOMPARE(root.value("incomplete_details"_L1).toObject().value("reason"_L1).toString(),
             u"max_output_tokens"_s);
    QCOMPARE(root.value("output"_L1).toArray().first().toObject().value("status"_L1).toString(),
             u"incomplete"_s);
    QCOMPARE(root.value("usage"_L1).toObject().value("output_tokens"_L1).toInt(), 16);
}

void TestSimulatedResponses::badRequests_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("param"); // empty: null
    QTest::addColumn<QString>("code");  // empty: null

    QTest::newRow("malformed JSON") << QByteArray("{\"model\":") << QString() << QString();
    QTest::newRow("missing model")
        << QByteArray(R"({"input":"hi"})") << u"model"_s << u"missing_required_parameter"_s;
    QTest::newRow("max_output_tokens below 16")
        << QByteArray(R"({"model":"gpt-4.1","input":"hi","max_output_tokens":5})")
        << u"max_output_tokens"_s << u"integer_below_min_value"_s;
    QTest::newRow("unknown forced tool")
        << QByteArray(R"({"model":"gpt-4.1","input":"hi","tools":[],
               "tool_choice":{"type":"function","name":"nope"}})")
        << u"tool_choice"_s << QString();
}

void TestSimulatedResponses::badRequests()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, param);
    QFETCH(QString, code);
    auto exchange = post(body);
    QVERIFY(exchange->wait());
    QCOMPARE(exchange->status, 400);
    const QJsonObject error = exchange->json().value("error"_L1).toObject();
    QCOMPARE(error.keys(), (QStringList{u"code"_s, u"message"_s, u"param"_s, u"type"_s}));
    QCOMPARE(error.value("type"_L1).toString(), u"invalid_request_error"_s);
    QVERIFY(!error.value("message"_L1).toString().isEmpty());
    QCOMPARE(error.value("param"_L1).toString(), param);
    QCOMPARE(error.value("param"_L1).isNull(), param.isEmpty());
    QCOMPARE(error.value("code"_L1).toString(), code);
}

void TestSimulatedResponses::statusDirective()
{
    auto exchange = post(responsesBody(u"[[sim status=429]]"_s, streamed()));
    QVERIFY(exchange->wait());
    QCOMPARE(exchange->status, 429);
    QCOMPARE(exchange->headers.value("content-type"), "application/json");
    QCOMPARE(exchange->json().value("error"_L1).toObject().value("code"_L1).toString(),
             u"rate_limit_exceeded"_s);
}

void TestSimulatedResponses::errorAfter()
{
    auto exchange = post(responsesBody(u"[[sim tokens=20 error_after=4]]"_s, streamed()));
    auto plain = post(responsesBody(u"[[sim tokens=20 error_after=4]]"_s));
    QVERIFY(exchange->wait() && plain->wait());
    QVERIFY(exchange->complete()); // the stream itself ends cleanly
    QCOMPARE(exchange->status, 200);
    const QList<QJsonObject> events = payloads(*exchange);
    QCOMPARE(types(events).count(u"response.output_text.delta"_s), 4);
    QCOMPARE(types(events).last(), u"response.failed"_s);
    QVERIFY(!types(events).contains(u"response.completed"_s));
    QVERIFY(!types(events).contains(u"response.output_text.done"_s));
    for (qsizetype i = 0; i < events.size(); ++i)
        QCOMPARE(events[i].value("sequence_number"_L1).toInt(-1), int(i));
    const QJsonObject failed = events.last().value("response"_L1).toObject();
    QCOMPARE(failed.value("status"_L1).toString(), u"failed"_s);
    QCOMPARE(failed.value("error"_L1).toObject().value("code"_L1).toString(), u"server_error"_s);
    QVERIFY(!failed.value("error"_L1).toObject().value("message"_L1).toString().isEmpty());
    const QJsonObject usage = failed.value("usage"_L1).toObject();
    QCOMPARE(usage.value("output_tokens"_L1).toInt(), 4);
    QCOMPARE(usage.value("total_tokens"_L1).toInt(), usage.value("input_tokens"_L1).toInt() + 4);

    QCOMPARE(plain->status, 500);
    QCOMPARE(plain->json().value("error"_L1).toObject().value("type"_L1).toString(),
             u"server_error"_s);
}

// A request as Codex sends it: developer messages, hosted tools beside function and custom
// ones, store false, encrypted reasoning, a cache key and client metadata.
void TestSimulatedResponses::codexRequest()
{
    const QJsonObject extra{{u"instructions"_s, u"You are Codex."_s},
                            {u"tools"_s, codexTools},
                            {u"tool_choice"_s, u"auto"_s},
                            {u"parallel_tool_calls"_s, false},
                            {u"reasoning"_s, json(R"({"effort":"medium","summary":"auto"})")},
                            {u"store"_s, false},
                            {u"stream"_s, true},
                            {u"include"_s, QJsonArray{u"reasoning.encrypted_content"_s}},
                            {u"prompt_cache_key"_s, u"0199c0de-thread"_s},
                            {u"text"_s, json(R"({"verbosity":"medium"})")},
                            {u"client_metadata"_s, json(R"({"x-codex-installation-id":"abc"})")}};
    const QJsonValue input = json(R"([
        {"type":"message","role":"developer","content":[{"type":"input_text","text":"<permissions>"}]},
        {"type":"message","role":"developer","content":[{"type":"input_text","text":"<env>"}]},
        {"type":"message","role":"user","content":[{"type":"input_text","text":"Fix the bug."}]}])");
    auto exchange = post(responsesBody(input, extra));
    QVERIFY(exchange->wait());
    QCOMPARE(exchange->status, 200);
    const QList<QJsonObject> events = payloads(*exchange);
    QCOMPARE(types(events).last(), u"response.completed"_s);
    const QJsonObject response = events.last().value("response"_L1).toObject();
    QCOMPARE(response.value("parallel_tool_calls"_L1), QJsonValue(false));
    const QJsonArray output = response.value("output"_L1).toArray();
    QCOMPARE(output.size(), 2);
    const QString call = output.at(1).toObject().value("type"_L1).toString();
    QVERIFY2(call == u"function_call"_s || call == u"custom_tool_call"_s, qPrintable(call));
    const QString name = output.at(1).toObject().value("name"_L1).toString();
    QVERIFY2(name == u"shell"_s || name == u"apply_patch"_s, qPrintable(name));
}

void TestSimulatedResponses::toolsInAnAdditionalToolsItem()
{
    // Codex 0.169 with its newest models sends no top-level tools: they come in an input item,
    // grouped in namespaces.
    const QJsonObject exec{
        {"type"_L1, "function"_L1},
        {"name"_L1, "exec"_L1},
        {"description"_L1, "Run a command"_L1},
        {"parameters"_L1,
         QJsonObject{
             {"type"_L1, "object"_L1},
             {"properties"_L1, QJsonObject{{"cmd"_L1, QJsonObject{{"type"_L1, "string"_L1}}}}},
             {"required"_L1, QJsonArray{"cmd"_L1}}}}};
    const QJsonArray input{
        QJsonObject{{"type"_L1, "additional_tools"_L1},
                    {"role"_L1, "developer"_L1},
                    {"tools"_L1, QJsonArray{QJsonObject{{"type"_L1, "namespace"_L1},
                                                        {"name"_L1, "functions"_L1},
                                                        {"tools"_L1, QJsonArray{exec}}}}}},
        QJsonObject{{"role"_L1, "user"_L1}, {"content"_L1, "List the files."_L1}}};
    auto exchange = post(responsesBody(input));
    QVERIFY(exchange->wait());
    const QJsonObject item = exchange->json().value("output"_L1).toArray().last().toObject();
    QCOMPARE(item.value("type"_L1).toString(), u"function_call"_s);
    QCOMPARE(item.value("name"_L1).toString(), u"exec"_s);
}

QTEST_GUILESS_MAIN(TestSimulatedResponses)
#include "tst_simulatedresponses.moc"
