#include "protocol/anthropicstreamusage.h"
#include "protocol/sseparser.h"

#include <QTest>

// {input_tokens, cache_creation_input_tokens, cache_read_input_tokens, output_tokens} as the
// accumulator holds them; empty: no usage yet.
using Counts = QList<qint64>;

// Declared before the fixtures: Qt 6.4's moc loses track of a raw string holding "\"" and
// would miss a class declared after one.
class TestAnthropicStreamUsage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void usageRule_data();
    void usageRule();
    void feed_data();
    void feed();
    void streams_data();
    void streams();
    void tokenUsage();
};

namespace {

Counts countsOf(const AnthropicStreamUsage &accumulator)
{
    if (!accumulator.hasUsage())
        return {};
    const TokenUsage usage = accumulator.usage();
    return {usage.uncachedInputTokens(), usage.cacheWriteTokens, usage.cachedTokens,
            usage.completionTokens};
}

QByteArray sseEvent(const QByteArray &type, const QByteArray &members, bool named = true)
{
    return (named ? "event: " + type + '\n' : QByteArray()) + R"(data: {"type":")" + type + '"' +
           (members.isEmpty() ? "" : ",") + members + "}\n\n";
}

QByteArray messageStart(const QByteArray &usage, bool named = true)
{
    return sseEvent("message_start",
                    R"("message":{"id":"msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY","type":"message",)"
                    R"("role":"assistant","content":[],"model":"claude-sonnet-5",)"
                    R"("stop_reason":null,"stop_sequence":null,"usage":)" +
                        usage + "}",
                    named);
}

QByteArray messageDelta(const QByteArray &usage, bool named = true)
{
    return sseEvent("message_delta",
                    R"("delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":)" + usage,
                    named);
}

QByteArray blockDelta(int index, const QByteArray &delta, bool named = true)
{
    return sseEvent("content_block_delta",
                    R"("index":)" + QByteArray::number(index) + R"(,"delta":)" + delta, named);
}

const QByteArray startUsage =
    R"({"input_tokens":25,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,)"
    R"("cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},)"
    R"("output_tokens":1,"service_tier":"standard"})";

QByteArray textStream(bool named)
{
    return messageStart(startUsage, named) +
           sseEvent("content_block_start", R"("index":0,"content_block":{"type":"text","text":""})",
                    named) +
           (named ? "event: ping\ndata: {\"type\": \"ping\"}\n\n"
                  : "data: {\"type\": \"ping\"}\n\n") +
           blockDelta(0, R"({"type":"text_delta","text":"Hello"})", named) +
           blockDelta(0, R"({"type":"text_delta","text":"! \"usage\":{\"output_tokens\":9}"})",
                      named) +
           sseEvent("content_block_stop", R"("index":0)", named) +
           messageDelta(R"({"output_tokens":15})", named) + sseEvent("message_stop", {}, named);
}

// Claude Code: thinking with its signature, then a tool call whose input starts empty; newer
// servers repeat the input and cache counts in message_delta.
QByteArray toolStream()
{
    return messageStart(R"({"input_tokens":3,"cache_creation_input_tokens":1200,)"
                        R"("cache_read_input_tokens":45000,"output_tokens":2})") +
           sseEvent(
               "content_block_start",
               R"("index":0,"content_block":{"type":"thinking","thinking":"","signature":""})") +
           blockDelta(0, R"({"type":"thinking_delta","thinking":"Let me look"})") +
           blockDelta(0, R"({"type":"thinking_delta","thinking":" at the files."})") +
           blockDelta(0, R"({"type":"signature_delta","signature":"EqQBCgIYAhIM1gbcDa9GJwZA"})") +
           sseEvent("content_block_stop", R"("index":0)") +
           sseEvent(
               "content_block_start",
               R"("index":1,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6",)"
               R"("name":"Bash","input":{}})") +
           blockDelta(1, R"({"type":"input_json_delta","partial_json":""})") +
           blockDelta(1, R"({"type":"input_json_delta","partial_json":"{\"command\": \"l"})") +
           blockDelta(1, R"({"type":"input_json_delta","partial_json":"s\"}"})") +
           sseEvent("content_block_stop", R"("index":1)") +
           messageDelta(R"({"input_tokens":3,"cache_creation_input_tokens":1200,)"
                        R"("cache_read_input_tokens":45000,"output_tokens":89,)"
                        R"("server_tool_use":{"web_search_requests":0}})") +
           sseEvent("message_stop", {});
}

// output_tokens is cumulative: 30, then 64, then 120 means 120, not 214.
QByteArray repeatedDeltas()
{
    return messageStart(R"({"input_tokens":100,"cache_creation_input_tokens":50,)"
                        R"("cache_read_input_tokens":1000,"output_tokens":1})") +
           blockDelta(0, R"({"type":"text_delta","text":"a"})") +
           messageDelta(R"({"output_tokens":30})") +
           messageDelta(R"({"output_tokens":64,"input_tokens":null})") +
           messageDelta(R"({"cache_read_input_tokens":null,"cache_creation_input_tokens":60,)"
                        R"("output_tokens":120})") +
           sseEvent("message_stop", {});
}

QByteArray errorAfter200()
{
    return messageStart(startUsage) + blockDelta(0, R"({"type":"text_delta","text":"Hel"})") +
           "event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", "
           "\"message\": \"Overloaded\"}}\n\n";
}

QByteArray garbled()
{
    return messageStart(startUsage) + blockDelta(0, R"({"type":"text_delta","text":"Hel"})") +
           "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"ind\n\n"
           "data: \x01\x02garbage\n\n";
}

struct Summary
{
    int events = 0;
    int pieces = 0;
    int terminal = 0;
    int errors = 0;
    int malformed = 0;
    int usageChanges = 0;
    Counts usage;
};

Summary summarise(const QList<SseEvent> &events)
{
    AnthropicStreamUsage accumulator;
    Summary summary;
    for (const SseEvent &event : events) {
        const AnthropicEvent classified = accumulator.feed(event);
        ++summary.events;
        summary.pieces += classified.deltaPieces;
        summary.terminal += classified.terminal;
        summary.errors += classified.error;
        summary.malformed += classified.malformed;
        summary.usageChanges += classified.usageChanged;
    }
    summary.usage = countsOf(accumulator);
    return summary;
}

} // namespace

// The accumulator after each event of a sequence of usage-carrying events.
void TestAnthropicStreamUsage::usageRule_data()
{
    QTest::addColumn<QList<QByteArray>>("stream");
    QTest::addColumn<QList<Counts>>("after");
    QTest::addColumn<QList<bool>>("changed");

    QTest::newRow("start then one delta")
        << QList<QByteArray>{messageStart(startUsage), messageDelta(R"({"output_tokens":15})")}
        << QList<Counts>{{25, 0, 0, 1}, {25, 0, 0, 15}} << QList<bool>{true, true};
    QTest::newRow("repeated deltas overwrite, never add")
        << QList<QByteArray>{messageStart(R"({"input_tokens":10,"output_tokens":1})"),
                             messageDelta(R"({"output_tokens":5})"),
                             messageDelta(R"({"output_tokens":12})"),
                             messageDelta(R"({"output_tokens":12})"),
                             messageDelta(R"({"output_tokens":20})")}
        << QList<Counts>{{10, 0, 0, 1},
                         {10, 0, 0, 5},
                         {10, 0, 0, 12},
                         {10, 0, 0, 12},
                         {10, 0, 0, 20}}
        << QList<bool>{true, true, true, false, true};
    QTest::newRow("null and omitted fields keep their value")
        << QList<QByteArray>{messageStart(R"({"input_tokens":100,"cache_creation_input_tokens":50,)"
                                          R"("cache_read_input_tokens":1000,"output_tokens":1})"),
                             messageDelta(R"({"input_tokens":null,"cache_creation_input_tokens":)"
                                          R"(null,"cache_read_input_tokens":null,)"
                                          R"("output_tokens":7})"),
                             messageDelta(R"({"output_tokens":null})"), messageDelta("{}")}
        << QList<Counts>{{100, 50, 1000, 1},
                         {100, 50, 1000, 7},
                         {100, 50, 1000, 7},
                         {100, 50, 1000, 7}}
        << QList<bool>{true, true, false, false};
    QTest::newRow("delta carrying input and cache counts overwrites them")
        << QList<QByteArray>{messageStart(R"({"input_tokens":100,"cache_creation_input_tokens":50,)"
                                          R"("cache_read_input_tokens":1000,"output_tokens":1})"),
                             messageDelta(R"({"input_tokens":100,"cache_creation_input_tokens":)"
                                          R"(50,"cache_read_input_tokens":1000,)"
                                          R"("output_tokens":30})"),
                             messageDelta(R"({"input_tokens":120,"cache_read_input_tokens":0,)"
                                          R"("output_tokens":31})")}
        << QList<Counts>{{100, 50, 1000, 1}, {100, 50, 1000, 30}, {120, 50, 0, 31}}
        << QList<bool>{true, true, true};
    QTest::newRow("start sets every count, nulls as 0")
        << QList<QByteArray>{messageStart(R"({"input_tokens":9,"cache_creation_input_tokens":)"
                                          R"(null,"output_tokens":null})")}
        << QList<Counts>{{9, 0, 0, 0}} << QList<bool>{true};
    QTest::newRow("a second start resets")
        << QList<QByteArray>{messageStart(R"({"input_tokens":9,"cache_read_input_tokens":4,)"
                                          R"("output_tokens":3})"),
                             messageStart(R"({"input_tokens":2})")}
        << QList<Counts>{{9, 0, 4, 3}, {2, 0, 0, 0}} << QList<bool>{true, true};
    QTest::newRow("delta before any start")
        << QList<QByteArray>{messageDelta(R"({"output_tokens":4})"),
                             messageDelta(R"({"output_tokens":6,"input_tokens":3})")}
        << QList<Counts>{{0, 0, 0, 4}, {3, 0, 0, 6}} << QList<bool>{true, true};
    QTest::newRow("start without usage")
        << QList<QByteArray>{sseEvent("message_start", R"("message":{"id":"msg_1","content":[]})"),
                             messageDelta(R"({"output_tokens":6})")}
        << QList<Counts>{{}, {0, 0, 0, 6}} << QList<bool>{false, true};
    QTest::newRow("usage null is no usage")
        << QList<QByteArray>{messageStart(R"({"input_tokens":5,"output_tokens":1})"),
                             messageDelta("null")}
        << QList<Counts>{{5, 0, 0, 1}, {5, 0, 0, 1}} << QList<bool>{true, false};
    QTest::newRow("nested usage elsewhere is not the message's")
        << QList<QByteArray>{messageStart(R"({"input_tokens":5,"output_tokens":1})"),
                             sseEvent("message_delta", R"("delta":{"usage":{"output_tokens":99}})")}
        << QList<Counts>{{5, 0, 0, 1}, {5, 0, 0, 1}} << QList<bool>{true, false};
    QTest::newRow("real-number counts")
        << QList<QByteArray>{messageStart(R"({"input_tokens":5.0,"output_tokens":1})"),
                             messageDelta(R"({"output_tokens":12.0})")}
        << QList<Counts>{{5, 0, 0, 1}, {5, 0, 0, 12}} << QList<bool>{true, true};
    QTest::newRow("unnamed events")
        << QList<QByteArray>{messageStart(startUsage, false),
                             messageDelta(R"({"output_tokens":3})", false),
                             messageDelta(R"({"output_tokens":8})", false)}
        << QList<Counts>{{25, 0, 0, 1}, {25, 0, 0, 3}, {25, 0, 0, 8}}
        << QList<bool>{true, true, true};
}

void TestAnthropicStreamUsage::usageRule()
{
    QFETCH(QList<QByteArray>, stream);
    QFETCH(QList<Counts>, after);
    QFETCH(QList<bool>, changed);

    AnthropicStreamUsage accumulator;
    for (qsizetype i = 0; i < stream.size(); ++i) {
        SseParser parser;
        parser.feed(stream.at(i));
        const QList<SseEvent> events = parser.takeEvents();
        QCOMPARE(events.size(), 1);
        const AnthropicEvent classified = accumulator.feed(events.first());
        QVERIFY(!classified.malformed);
        QCOMPARE(countsOf(accumulator), after.at(i));
        QCOMPARE(classified.usageChanged, changed.at(i));
    }
}

void TestAnthropicStreamUsage::feed_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<bool>("terminal");
    QTest::addColumn<bool>("error");
    QTest::addColumn<int>("deltaPieces");
    QTest::addColumn<bool>("malformed");

    const auto delta = [](const QByteArray &inner) -> QByteArray {
        return R"({"type":"content_block_delta","index":0,"delta":)" + inner + '}';
    };
    const QByteArray cbd = "content_block_delta";
    QTest::newRow("text") << cbd << delta(R"({"type":"text_delta","text":"Hi"})") << false << false
                          << 1 << false;
    QTest::newRow("text, unnamed") << QByteArray() << delta(R"({"type":"text_delta","text":"Hi"})")
                                   << false << false << 1 << false;
    QTest::newRow("empty text") << cbd << delta(R"({"type":"text_delta","text":""})") << false
                                << false << 0 << false;
    QTest::newRow("tool input") << cbd
                                << delta(R"({"type":"input_json_delta","partial_json":"{\"a"})")
                                << false << false << 1 << false;
    QTest::newRow("empty tool input")
        << cbd << delta(R"({"type":"input_json_delta","partial_json":""})") << false << false << 0
        << false;
    QTest::newRow("thinking") << cbd << delta(R"({"type":"thinking_delta","thinking":"hmm"})")
                              << false << false << 1 << false;
    QTest::newRow("text key before type")
        << cbd << delta(R"({"thinking":"hmm","type":"thinking_delta"})") << false << false << 1
        << false;
    QTest::newRow("signature") << cbd << delta(R"({"type":"signature_delta","signature":"Eq"})")
                               << false << false << 0 << false;
    QTest::newRow("citation")
        << cbd
        << delta(
               R"({"type":"citations_delta","citation":{"type":"char_location","cited_text":"x"}})")
        << false << false << 0 << false;
    QTest::newRow("mismatched key")
        << cbd << delta(R"({"type":"text_delta","thinking":"x"})") << false << false << 0 << false;
    QTest::newRow("message_stop") << QByteArray("message_stop")
                                  << QByteArray(R"({"type":"message_stop"})") << true << false << 0
                                  << false;
    QTest::newRow("message_stop, unnamed")
        << QByteArray() << QByteArray(R"({"type":"message_stop"})") << true << false << 0 << false;
    QTest::newRow("error") << QByteArray("error")
                           << QByteArray(R"({"type": "error", "error": {"type": )"
                                         R"("overloaded_error", "message": "Overloaded"}})")
                           << false << true << 0 << false;
    QTest::newRow("error, unnamed")
        << QByteArray() << QByteArray(R"({"type":"error","error":{"type":"api_error"}})") << false
        << true << 0 << false;
    QTest::newRow("ping") << QByteArray("ping") << QByteArray(R"({"type": "ping"})") << false
                          << false << 0 << false;
    QTest::newRow("text naming message_stop")
        << QByteArray() << delta(R"({"type":"text_delta","text":"{\"type\":\"message_stop\"}"})")
        << false << false << 1 << false;
    QTest::newRow("cut off") << cbd << QByteArray(R"({"type":"content_block_delta","ind)") << false
                             << false << 0 << true;
    QTest::newRow("not json") << QByteArray() << QByteArray("event stream broke") << false << false
                              << 0 << true;
    QTest::newRow("unnamed, type not json")
        << QByteArray() << QByteArray(R"({"type":message_stop})") << false << false << 0 << true;
    QTest::newRow("no data") << QByteArray("message_stop") << QByteArray() << false << false << 0
                             << false;
}

void TestAnthropicStreamUsage::feed()
{
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, data);
    QFETCH(bool, terminal);
    QFETCH(bool, error);
    QFETCH(int, deltaPieces);
    QFETCH(bool, malformed);

    AnthropicStreamUsage accumulator;
    const AnthropicEvent classified = accumulator.feed(SseEvent{name, data, {}});
    QCOMPARE(classified.terminal, terminal);
    QCOMPARE(classified.error, error);
    QCOMPARE(classified.deltaPieces, deltaPieces);
    QCOMPARE(classified.malformed, malformed);
    QVERIFY(!classified.usageChanged);
    QVERIFY(!accumulator.hasUsage());
}

void TestAnthropicStreamUsage::streams_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<int>("events");
    QTest::addColumn<int>("pieces");
    QTest::addColumn<int>("terminal");
    QTest::addColumn<int>("errors");
    QTest::addColumn<int>("malformed");
    QTest::addColumn<int>("usageChanges");
    QTest::addColumn<Counts>("usage");

    QTest::newRow("text") << textStream(true) << 8 << 2 << 1 << 0 << 0 << 2 << Counts{25, 0, 0, 15};
    QTest::newRow("text, unnamed")
        << textStream(false) << 8 << 2 << 1 << 0 << 0 << 2 << Counts{25, 0, 0, 15};
    QTest::newRow("text, CRLF") << QByteArray(textStream(true)).replace("\n", "\r\n") << 8 << 2 << 1
                                << 0 << 0 << 2 << Counts{25, 0, 0, 15};
    QTest::newRow("thinking and tool use")
        << toolStream() << 13 << 4 << 1 << 0 << 0 << 2 << Counts{3, 1200, 45000, 89};
    QTest::newRow("repeated deltas")
        << repeatedDeltas() << 6 << 1 << 1 << 0 << 0 << 4 << Counts{100, 60, 1000, 120};
    QTest::newRow("error after 200")
        << errorAfter200() << 3 << 1 << 0 << 1 << 0 << 1 << Counts{25, 0, 0, 1};
    QTest::newRow("garbled") << garbled() << 4 << 1 << 0 << 0 << 2 << 1 << Counts{25, 0, 0, 1};
    QTest::newRow("cut before message_delta")
        << textStream(true).left(textStream(true).indexOf("event: message_delta")) << 6 << 2 << 0
        << 0 << 0 << 1 << Counts{25, 0, 0, 1};
}

void TestAnthropicStreamUsage::streams()
{
    QFETCH(QByteArray, stream);
    QFETCH(int, events);
    QFETCH(int, pieces);
    QFETCH(int, terminal);
    QFETCH(int, errors);
    QFETCH(int, malformed);
    QFETCH(int, usageChanges);
    QFETCH(Counts, usage);

    const auto check = [&](const Summary &summary, const QByteArray &how) {
        const QByteArray where = "split " + how;
        QVERIFY2(summary.events == events, where.constData());
        QVERIFY2(summary.pieces == pieces, where.constData());
        QVERIFY2(summary.terminal == terminal, where.constData());
        QVERIFY2(summary.errors == errors, where.constData());
        QVERIFY2(summary.malformed == malformed, where.constData());
        QVERIFY2(summary.usageChanges == usageChanges, where.constData());
        QVERIFY2(summary.usage == usage, where.constData());
    };

    for (qsizetype split = 0; split <= stream.size(); ++split) {
        SseParser parser;
        parser.feed(QByteArrayView(stream).first(split));
        parser.feed(QByteArrayView(stream).sliced(split));
        parser.finish();
        check(summarise(parser.takeEvents()), "at " + QByteArray::number(split));
        if (QTest::currentTestFailed())
            return;
    }

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

void TestAnthropicStreamUsage::tokenUsage()
{
    AnthropicStreamUsage accumulator;
    QVERIFY(!accumulator.hasUsage());
    QVERIFY(!accumulator.usage().reported);

    SseParser parser;
    parser.feed(repeatedDeltas());
    for (const SseEvent &event : parser.takeEvents())
        accumulator.feed(event);
    const TokenUsage usage = accumulator.usage();
    QVERIFY(usage.reported);
    QCOMPARE(usage.promptTokens, qint64(100 + 60 + 1000));
    QCOMPARE(usage.cachedTokens, qint64(1000));
    QCOMPARE(usage.cacheWriteTokens, qint64(60));
    QCOMPARE(usage.completionTokens, qint64(120));
    QCOMPARE(usage.reasoningTokens, qint64(0));
}

QTEST_GUILESS_MAIN(TestAnthropicStreamUsage)
#include "tst_anthropicstreamusage.moc"
