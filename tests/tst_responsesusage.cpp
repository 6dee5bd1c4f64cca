#include "protocol/responsesusage.h"
#include "protocol/sseparser.h"

#include <QTest>

// {prompt, completion, cached, reasoning}; empty: no usage.
using Counts = QList<qint64>;

// Declared before the fixtures: Qt 6.4's moc loses track of a raw string holding "\"" and
// would miss a class declared after one.
class TestResponsesUsage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fromResponseBody_data();
    void fromResponseBody();
    void classifyEvent_data();
    void classifyEvent();
    void streams_data();
    void streams();
};

namespace {

Counts countsOf(const std::optional<TokenUsage> &usage)
{
    if (!usage)
        return {};
    return {usage->promptTokens, usage->completionTokens, usage->cachedTokens,
            usage->reasoningTokens};
}

QByteArray usageJson(qint64 input, qint64 cached, qint64 output, qint64 reasoning)
{
    return R"({"input_tokens":)" + QByteArray::number(input) +
           R"(,"input_tokens_details":{"cached_tokens":)" + QByteArray::number(cached) +
           R"(},"output_tokens":)" + QByteArray::number(output) +
           R"(,"output_tokens_details":{"reasoning_tokens":)" + QByteArray::number(reasoning) +
           R"(},"total_tokens":)" + QByteArray::number(input + output) + '}';
}

// A response object as the API sends it; usage comes late, after the output.
QByteArray responseObject(const QByteArray &status, const QByteArray &output,
                          const QByteArray &usage, const QByteArray &error = "null",
                          const QByteArray &incompleteDetails = "null")
{
    return R"({"id":"resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b","object":"response",)"
           R"("created_at":1741476542,"status":")" +
           status + R"(","background":false,"error":)" + error + R"(,"incomplete_details":)" +
           incompleteDetails +
           R"(,"instructions":"You are Codex.","max_output_tokens":null,)"
           R"("model":"gpt-5.1-codex","output":)" +
           output +
           R"(,"parallel_tool_calls":false,"previous_response_id":null,)"
           R"("prompt_cache_key":"0199-abc","reasoning":{"effort":"medium","summary":"auto"},)"
           R"("store":false,"temperature":1.0,"text":{"format":{"type":"text"},)"
           R"("verbosity":"medium"},"tool_choice":"auto","tools":[],"top_p":1.0,)"
           R"("truncation":"disabled","usage":)" +
           usage + R"(,"user":null,"metadata":{}})";
}

const QByteArray messageOutput =
    R"([{"id":"msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b","type":"message",)"
    R"("status":"completed","role":"assistant","content":[{"type":"output_text",)"
    R"("text":"Hi there! \"usage\":{\"input_tokens\":999}","annotations":[]}]}])";

// Builds a Responses event stream: named events with increasing sequence numbers.
class ResponsesStream
{
public:
    explicit ResponsesStream(bool named = true, QByteArray lineEnd = "\n")
        : m_named(named)
        , m_lineEnd(std::move(lineEnd))
    {}

    ResponsesStream &add(const QByteArray &type, const QByteArray &members)
    {
        if (m_named)
            m_bytes += "event: " + type + m_lineEnd;
        m_bytes += R"(data: {"type":")" + type + R"(","sequence_number":)" +
                   QByteArray::number(m_sequence++) + (members.isEmpty() ? "" : ",") + members +
                   '}' + m_lineEnd + m_lineEnd;
        return *this;
    }
    ResponsesStream &raw(const QByteArray &bytes)
    {
        m_bytes += bytes;
        return *this;
    }
    ResponsesStream &delta(const QByteArray &type, const QByteArray &itemId, const QByteArray &text)
    {
        return add(type, R"("item_id":")" + itemId +
                             R"(","output_index":0,"content_index":0,"delta":")" + text +
                             R"(","logprobs":[])");
    }
    ResponsesStream &start(const QByteArray &output = "[]")
    {
        add("response.created", R"("response":)" + responseObject("in_progress", output, "null"));
        return add("response.in_progress",
                   R"("response":)" + responseObject("in_progress", output, "null"));
    }
    QByteArray bytes() const { return m_bytes; }

private:
    bool m_named;
    QByteArray m_lineEnd;
    QByteArray m_bytes;
    int m_sequence = 0;
};

QByteArray textStream(bool named, const QByteArray &lineEnd = "\n")
{
    const QByteArray item = "msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b";
    ResponsesStream stream(named, lineEnd);
    stream.start()
        .add("response.output_item.added",
             R"("output_index":0,"item":{"id":")" + item +
                 R"(","type":"message","status":"in_progress","role":"assistant","content":[]})")
        .add("response.content_part.added",
             R"("item_id":")" + item +
                 R"(","output_index":0,"content_index":0,"part":{"type":"output_text",)"
                 R"("text":"","annotations":[]})")
        .delta("response.output_text.delta", item, "Hi")
        .delta("response.output_text.delta", item, " there")
        .delta("response.output_text.delta", item, "! \\\"usage\\\"")
        .add("response.output_text.done",
             R"("item_id":")" + item +
                 R"(","output_index":0,"content_index":0,"text":"Hi there!","logprobs":[])")
        .add("response.content_part.done",
             R"("item_id":")" + item +
                 R"(","output_index":0,"content_index":0,"part":{"type":"output_text",)"
                 R"("text":"Hi there!","annotations":[]})")
        .add("response.output_item.done",
             R"("output_index":0,"item":)" + messageOutput.mid(1).chopped(1))
        .add("response.completed", R"("response":)" + responseObject("completed", messageOutput,
                                                                     usageJson(37, 0, 11, 0)));
    return stream.bytes();
}

// Codex: reasoning summary, a function call and an apply_patch custom tool call.
QByteArray toolStream()
{
    ResponsesStream stream;
    stream.start()
        .add("response.output_item.added",
             R"("output_index":0,"item":{"id":"rs_1","type":"reasoning","summary":[],)"
             R"("encrypted_content":"gAAAAABo..."})")
        .add("response.reasoning_summary_part.added",
             R"("item_id":"rs_1","output_index":0,"summary_index":0,)"
             R"("part":{"type":"summary_text","text":""})")
        .delta("response.reasoning_summary_text.delta", "rs_1", "**Listing")
        .delta("response.reasoning_summary_text.delta", "rs_1", " files**")
        .add("response.reasoning_summary_text.done",
             R"("item_id":"rs_1","output_index":0,"summary_index":0,"text":"**Listing files**")")
        .add("response.output_item.added",
             R"("output_index":1,"item":{"id":"fc_1","type":"function_call","status":)"
             R"("in_progress","arguments":"","call_id":"call_1","name":"shell"})")
        .delta("response.function_call_arguments.delta", "fc_1", "{\\\"command\\\":")
        .delta("response.function_call_arguments.delta", "fc_1", "[\\\"ls\\\"]}")
        .add("response.function_call_arguments.done",
             R"("item_id":"fc_1","output_index":1,"arguments":"{\"command\":[\"ls\"]}")")
        .add("response.output_item.added",
             R"("output_index":2,"item":{"id":"ctc_1","type":"custom_tool_call","status":)"
             R"("in_progress","call_id":"call_2","input":"","name":"apply_patch"})")
        .delta("response.custom_tool_call_input.delta", "ctc_1", "*** Begin Patch")
        .add("response.custom_tool_call_input.done",
             R"("item_id":"ctc_1","output_index":2,"input":"*** Begin Patch")")
        .add("response.completed",
             R"("response":)" +
                 responseObject("completed", "[]", usageJson(12000, 11264, 300, 256)));
    return stream.bytes();
}

QByteArray incompleteStream()
{
    ResponsesStream stream;
    stream.start()
        .delta("response.reasoning_text.delta", "rs_1", "thinking")
        .delta("response.output_text.delta", "msg_1", "Once upon")
        .add("response.incomplete",
             R"("response":)" + responseObject("incomplete", "[]", usageJson(20, 0, 16, 8), "null",
                                               R"({"reason":"max_output_tokens"})"));
    return stream.bytes();
}

QByteArray failedStream()
{
    ResponsesStream stream;
    stream.start()
        .delta("response.output_text.delta", "msg_1", "Hel")
        .add("response.failed",
             R"("response":)" + responseObject("failed", "[]", "null",
                                               R"({"code":"server_error","message":"The model )"
                                               R"(failed to generate a response."})"));
    return stream.bytes();
}

QByteArray errorStream()
{
    ResponsesStream stream;
    stream.start()
        .delta("response.output_text.delta", "msg_1", "Hel")
        .add("error", R"("code":"rate_limit_exceeded","message":"Rate limit reached",)"
                      R"("param":null)");
    return stream.bytes();
}

QByteArray garbledStream()
{
    ResponsesStream stream;
    stream.start()
        .delta("response.output_text.delta", "msg_1", "Hel")
        .raw("event: response.output_text.delta\ndata: {\"type\":\"response.output_te\n\n")
        .raw("data: \xde\xad\xbe\xef\n\n");
    return stream.bytes();
}

struct Summary
{
    int events = 0;
    int pieces = 0;
    int terminal = 0;
    int failed = 0;
    int malformed = 0;
    Counts usage;
};

Summary summarise(const QList<SseEvent> &events)
{
    Summary summary;
    for (const SseEvent &event : events) {
        const ResponsesEvent classified = ResponsesUsage::classifyEvent(event);
        ++summary.events;
        summary.pieces += classified.deltaPieces;
        summary.terminal += classified.terminal;
        summary.failed += classified.failed;
        summary.malformed += classified.malformed;
        if (classified.usage)
            summary.usage = countsOf(classified.usage);
    }
    return summary;
}

} // namespace

void TestResponsesUsage::fromResponseBody_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<Counts>("expected");

    QTest::newRow("completed") << responseObject("completed", messageOutput,
                                                 usageJson(328, 128, 52, 20))
                               << Counts{328, 52, 128, 20};
    QTest::newRow("incomplete") << responseObject("incomplete", "[]", usageJson(9, 0, 16, 16),
                                                  "null", R"({"reason":"max_output_tokens"})")
                                << Counts{9, 16, 0, 16};
    QTest::newRow("minimal") << QByteArray(R"({"usage":{"input_tokens":5,"output_tokens":7}})")
                             << Counts{5, 7, 0, 0};
    QTest::newRow("null details")
        << QByteArray(R"({"usage":{"input_tokens":5,"input_tokens_details":null,)"
                      R"("output_tokens":null,"output_tokens_details":{"reasoning_tokens":null}}})")
        << Counts{5, 0, 0, 0};
    QTest::newRow("chat names are not responses names")
        << QByteArray(R"({"usage":{"prompt_tokens":5,"completion_tokens":7}})")
        << Counts{0, 0, 0, 0};
    QTest::newRow("usage null (background, queued)")
        << responseObject("queued", "[]", "null") << Counts{};
    QTest::newRow("no usage") << QByteArray(R"({"id":"resp_1","output":[]})") << Counts{};
    QTest::newRow("error body")
        << QByteArray(R"({"error":{"message":"bad","type":"invalid_request_error",)"
                      R"("param":"model","code":"model_not_found"}})")
        << Counts{};
    QTest::newRow("not json") << QByteArray("upstream connect error") << Counts{};
}

void TestResponsesUsage::fromResponseBody()
{
    QFETCH(QByteArray, body);
    QFETCH(Counts, expected);

    const std::optional<TokenUsage> usage = ResponsesUsage::fromResponseBody(body);
    QCOMPARE(countsOf(usage), expected);
    if (usage) {
        QVERIFY(usage->reported);
        QCOMPARE(usage->cacheWriteTokens, qint64(0));
    }
}

void TestResponsesUsage::classifyEvent_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<Counts>("usage");
    QTest::addColumn<bool>("terminal");
    QTest::addColumn<bool>("failed");
    QTest::addColumn<int>("deltaPieces");
    QTest::addColumn<bool>("malformed");

    const QByteArray completed =
        R"({"type":"response.completed","sequence_number":9,"response":)" +
        responseObject("completed", messageOutput, usageJson(37, 5, 11, 3)) + '}';
    QTest::newRow("completed") << QByteArray("response.completed") << completed
                               << Counts{37, 11, 5, 3} << true << false << 0 << false;
    QTest::newRow("completed, unnamed")
        << QByteArray() << completed << Counts{37, 11, 5, 3} << true << false << 0 << false;
    QTest::newRow("completed, type last")
        << QByteArray()
        << QByteArray(R"({"sequence_number":9,"response":{"usage":{"input_tokens":1,)"
                      R"("output_tokens":2}},"type":"response.completed"})")
        << Counts{1, 2, 0, 0} << true << false << 0 << false;
    QTest::newRow("completed without usage")
        << QByteArray("response.completed")
        << QByteArray(R"({"type":"response.completed","response":{"status":"completed"}})")
        << Counts{} << true << false << 0 << false;
    QTest::newRow("incomplete")
        << QByteArray("response.incomplete")
        << QByteArray(R"({"type":"response.incomplete","response":{"status":"incomplete",)"
                      R"("usage":{"input_tokens":4,"output_tokens":6}}})")
        << Counts{4, 6, 0, 0} << true << false << 0 << false;
    QTest::newRow("failed with usage")
        << QByteArray("response.failed")
        << QByteArray(R"({"type":"response.failed","response":{"status":"failed","error":)"
                      R"({"code":"server_error"},"usage":{"input_tokens":4,"output_tokens":0}}})")
        << Counts{4, 0, 0, 0} << true << true << 0 << false;
    QTest::newRow("failed, usage null")
        << QByteArray() << QByteArray(R"({"type":"response.failed","response":{"usage":null}})")
        << Counts{} << true << true << 0 << false;
    QTest::newRow("error") << QByteArray("error")
                           << QByteArray(R"({"type":"error","code":"server_error",)"
                                         R"("message":"boom","param":null,"sequence_number":4})")
                           << Counts{} << false << true << 0 << false;
    QTest::newRow("error, unnamed")
        << QByteArray() << QByteArray(R"({"type":"error","message":"boom"})") << Counts{} << false
        << true << 0 << false;
    const QByteArray textDelta =
        R"({"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_1",)"
        R"("output_index":0,"content_index":0,"delta":"Hi","logprobs":[]})";
    QTest::newRow("text delta") << QByteArray("response.output_text.delta") << textDelta << Counts{}
                                << false << false << 1 << false;
    QTest::newRow("text delta, unnamed")
        << QByteArray() << textDelta << Counts{} << false << false << 1 << false;
    for (const char *type :
         {"response.function_call_arguments.delta", "response.custom_tool_call_input.delta",
          "response.reasoning_text.delta", "response.reasoning_summary_text.delta",
          "response.refusal.delta"}) {
        QTest::newRow(type) << QByteArray(type)
                            << QByteArray(R"({"type":")" + QByteArray(type) +
                                          R"(","item_id":"x","output_index":0,"delta":"a"})")
                            << Counts{} << false << false << 1 << false;
    }
    QTest::newRow("audio bytes are not text")
        << QByteArray("response.audio.delta")
        << QByteArray(R"({"type":"response.audio.delta","delta":"UklGRg=="})") << Counts{} << false
        << false << 0 << false;
    QTest::newRow("created carries usage null")
        << QByteArray("response.created")
        << QByteArray(R"({"type":"response.created","response":)" +
                      responseObject("in_progress", "[]", "null") + '}')
        << Counts{} << false << false << 0 << false;
    QTest::newRow("a done event is not a delta")
        << QByteArray("response.output_text.done")
        << QByteArray(R"({"type":"response.output_text.done","text":"Hi"})") << Counts{} << false
        << false << 0 << false;
    QTest::newRow("text naming a terminal type")
        << QByteArray()
        << QByteArray(R"({"type":"response.output_text.delta","delta":"\"type\":\")"
                      R"(response.failed\""})")
        << Counts{} << false << false << 1 << false;
    QTest::newRow("keepalive") << QByteArray("keepalive")
                               << QByteArray(R"({"type":"keepalive","sequence_number":5})")
                               << Counts{} << false << false << 0 << false;
    QTest::newRow("cut-off delta") << QByteArray("response.output_text.delta")
                                   << QByteArray(R"({"type":"response.output_text.delta","del)")
                                   << Counts{} << false << false << 0 << true;
    QTest::newRow("cut-off completed")
        << QByteArray("response.completed") << completed.left(completed.size() / 2) + '}'
        << Counts{} << true << false << 0 << true;
    QTest::newRow("not json") << QByteArray() << QByteArray("<html>502</html>") << Counts{} << false
                              << false << 0 << true;
    QTest::newRow("unnamed and broken inside")
        << QByteArray() << QByteArray(R"({"type":response.output_text.delta})") << Counts{} << false
        << false << 0 << true;
    QTest::newRow("no data") << QByteArray("response.completed") << QByteArray() << Counts{}
                             << false << false << 0 << false;
}

void TestResponsesUsage::classifyEvent()
{
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, data);
    QFETCH(Counts, usage);
    QFETCH(bool, terminal);
    QFETCH(bool, failed);
    QFETCH(int, deltaPieces);
    QFETCH(bool, malformed);

    SseEvent event{name, data, {}};
    const ResponsesEvent classified = ResponsesUsage::classifyEvent(event);
    QCOMPARE(countsOf(classified.usage), usage);
    QCOMPARE(classified.terminal, terminal);
    QCOMPARE(classified.failed, failed);
    QCOMPARE(classified.deltaPieces, deltaPieces);
    QCOMPARE(classified.malformed, malformed);
}

void TestResponsesUsage::streams_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<int>("events");
    QTest::addColumn<int>("pieces");
    QTest::addColumn<int>("terminal");
    QTest::addColumn<int>("failed");
    QTest::addColumn<int>("malformed");
    QTest::addColumn<Counts>("usage");

    QTest::newRow("text") << textStream(true) << 11 << 3 << 1 << 0 << 0 << Counts{37, 11, 0, 0};
    QTest::newRow("text, data only")
        << textStream(false) << 11 << 3 << 1 << 0 << 0 << Counts{37, 11, 0, 0};
    QTest::newRow("text, CRLF") << textStream(true, "\r\n") << 11 << 3 << 1 << 0 << 0
                                << Counts{37, 11, 0, 0};
    QTest::newRow("text, CR") << textStream(false, "\r") << 11 << 3 << 1 << 0 << 0
                              << Counts{37, 11, 0, 0};
    QTest::newRow("with keep-alive comments")
        << QByteArray(": keep-alive\n\n" +
                      textStream(true).replace("\n\nevent: response.output_text.done",
                                               "\n\n: ping\n\nevent: response.output_text.done"))
        << 13 << 3 << 1 << 0 << 0 << Counts{37, 11, 0, 0};
    QTest::newRow("reasoning and tools")
        << toolStream() << 15 << 5 << 1 << 0 << 0 << Counts{12000, 300, 11264, 256};
    QTest::newRow("incomplete") << incompleteStream() << 5 << 2 << 1 << 0 << 0
                                << Counts{20, 16, 0, 8};
    QTest::newRow("failed") << failedStream() << 4 << 1 << 1 << 1 << 0 << Counts{};
    QTest::newRow("error event") << errorStream() << 4 << 1 << 0 << 1 << 0 << Counts{};
    QTest::newRow("garbled") << garbledStream() << 5 << 1 << 0 << 0 << 2 << Counts{};
    QTest::newRow("cut before completed")
        << textStream(true).left(textStream(true).indexOf("event: response.completed")) << 10 << 3
        << 0 << 0 << 0 << Counts{};
}

void TestResponsesUsage::streams()
{
    QFETCH(QByteArray, stream);
    QFETCH(int, events);
    QFETCH(int, pieces);
    QFETCH(int, terminal);
    QFETCH(int, failed);
    QFETCH(int, malformed);
    QFETCH(Counts, usage);

    const auto check = [&](const Summary &summary, const QByteArray &how) {
        const QByteArray where = "split " + how;
        QVERIFY2(summary.events == events, where.constData());
        QVERIFY2(summary.pieces == pieces, where.constData());
        QVERIFY2(summary.terminal == terminal, where.constData());
        QVERIFY2(summary.failed == failed, where.constData());
        QVERIFY2(summary.malformed == malformed, where.constData());
        QVERIFY2(summary.usage == usage, where.constData());
    };

    // Split in two at every byte.
    for (qsizetype split = 0; split <= stream.size(); ++split) {
        SseParser parser;
        parser.feed(QByteArrayView(stream).first(split));
        parser.feed(QByteArrayView(stream).sliced(split));
        parser.finish();
        check(summarise(parser.takeEvents()), "at " + QByteArray::number(split));
        if (QTest::currentTestFailed())
            return;
    }

    // One byte at a time, classifying as events complete.
    SseParser parser;
    QList<SseEvent> all;
    for (char byte : std::as_const(stream)) {
        parser.feed(QByteArrayView(&byte, 1));
        all += parser.takeEvents();
    }
    parser.finish();
    all += parser.takeEvents();
    check(summarise(all), "byte by byte");
}

QTEST_GUILESS_MAIN(TestResponsesUsage)
#include "tst_responsesusage.moc"
