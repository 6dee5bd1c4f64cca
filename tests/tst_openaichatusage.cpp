#include "protocol/openaichatusage.h"
#include "protocol/sseparser.h"

#include <QTest>

// {prompt, completion, cached, reasoning}; empty: no usage.
using Counts = QList<qint64>;

namespace {

Counts countsOf(const std::optional<TokenUsage> &usage)
{
    if (!usage)
        return {};
    return {usage->promptTokens, usage->completionTokens, usage->cachedTokens,
            usage->reasoningTokens};
}

QByteArray chunk(const QByteArray &choices, const QByteArray &usage = "null")
{
    return R"({"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o",)"
           R"("system_fingerprint":"fp","choices":)" +
           choices + R"(,"usage":)" + usage + '}';
}

QByteArray choiceWithDelta(const QByteArray &delta, int index = 0)
{
    return R"({"index":)" + QByteArray::number(index) + R"(,"delta":)" + delta +
           R"(,"logprobs":null,"finish_reason":null})";
}

} // namespace

class TestOpenAIChatUsage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fromResponseBody_data();
    void fromResponseBody();
    void classifyChunk_data();
    void classifyChunk();
    void streamThroughTheSseParser();
};

void TestOpenAIChatUsage::fromResponseBody_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<Counts>("expected");

    QTest::newRow("full")
        << QByteArray(
               R"({"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o",)"
               R"("choices":[{"index":0,"message":{"role":"assistant","content":)"
               R"("text mentioning \"usage\":{\"prompt_tokens\":999}","refusal":null},)"
               R"("logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":19,)"
               R"("completion_tokens":10,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":4,)"
               R"("audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":3,"audio_tokens":0,)"
               R"("accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"service_tier":"default"})")
        << Counts{19, 10, 4, 3};
    QTest::newRow("minimal") << QByteArray(R"({"usage":{"prompt_tokens":5,"completion_tokens":7}})")
                             << Counts{5, 7, 0, 0};
    QTest::newRow("usage first") << QByteArray(
                                        R"({"usage":{"completion_tokens":7,"prompt_tokens":5},)"
                                        R"("choices":[]})")
                                 << Counts{5, 7, 0, 0};
    QTest::newRow("nullable fields")
        << QByteArray(R"({"usage":{"prompt_tokens":5,"completion_tokens":null,)"
                      R"("prompt_tokens_details":null,"completion_tokens_details":)"
                      R"({"reasoning_tokens":null}}})")
        << Counts{5, 0, 0, 0};
    QTest::newRow("real numbers") << QByteArray(
                                         R"({"usage":{"prompt_tokens":5.0,"completion_tokens":2}})")
                                  << Counts{5, 2, 0, 0};
    QTest::newRow("whitespace") << QByteArray("{ \"usage\" : { \"prompt_tokens\" : 1 ,\n"
                                              " \"completion_tokens\" : 2 } }\n")
                                << Counts{1, 2, 0, 0};
    QTest::newRow("empty usage") << QByteArray(R"({"usage":{}})") << Counts{0, 0, 0, 0};
    QTest::newRow("no usage") << QByteArray(R"({"choices":[]})") << Counts{};
    QTest::newRow("usage null") << QByteArray(R"({"choices":[],"usage":null})") << Counts{};
    QTest::newRow("nested usage only")
        << QByteArray(R"({"choices":[{"usage":{"prompt_tokens":1}}]})") << Counts{};
    QTest::newRow("error body")
        << QByteArray(R"({"error":{"message":"no","type":"invalid_request_error"}})") << Counts{};
    QTest::newRow("not json") << QByteArray("<html>bad gateway</html>") << Counts{};
    QTest::newRow("empty") << QByteArray() << Counts{};
}

void TestOpenAIChatUsage::fromResponseBody()
{
    QFETCH(QByteArray, body);
    QFETCH(Counts, expected);

    const std::optional<TokenUsage> usage = OpenAIChatUsage::fromResponseBody(body);
    QCOMPARE(countsOf(usage), expected);
    if (usage)
        QVERIFY(usage->reported);
}

void TestOpenAIChatUsage::classifyChunk_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<bool>("done");
    QTest::addColumn<bool>("usageOnly");
    QTest::addColumn<Counts>("usage");
    QTest::addColumn<int>("deltaPieces");
    QTest::addColumn<bool>("error");

    QTest::newRow("done") << QByteArray("[DONE]") << true << false << Counts{} << 0 << false;
    QTest::newRow("role")
        << chunk('[' + choiceWithDelta(R"({"role":"assistant","content":"","refusal":null})") + ']')
        << false << false << Counts{} << 0 << false;
    QTest::newRow("content") << chunk('[' + choiceWithDelta(R"({"content":"Hello"})") + ']')
                             << false << false << Counts{} << 1 << false;
    QTest::newRow("escaped content") << chunk('[' + choiceWithDelta(R"({"content":"\""})") + ']')
                                     << false << false << Counts{} << 1 << false;
    QTest::newRow("text about usage")
        << chunk('[' + choiceWithDelta(R"({"content":"\"usage\":{\"prompt_tokens\":5}"})") + ']')
        << false << false << Counts{} << 1 << false;
    QTest::newRow("refusal") << chunk('[' + choiceWithDelta(R"({"refusal":"I can't"})") + ']')
                             << false << false << Counts{} << 1 << false;
    QTest::newRow("reasoning") << chunk('[' + choiceWithDelta(R"({"reasoning_content":"hmm"})") +
                                        ']')
                               << false << false << Counts{} << 1 << false;
    QTest::newRow("tool call start")
        << chunk('[' +
                 choiceWithDelta(R"({"tool_calls":[{"index":0,"id":"call_1","type":"function",)"
                                 R"("function":{"name":"get_weather","arguments":""}}]})") +
                 ']')
        << false << false << Counts{} << 0 << false;
    QTest::newRow("tool call arguments")
        << chunk(
               '[' +
               choiceWithDelta(R"({"tool_calls":[{"index":0,"function":{"arguments":"{\"lo"}}]})") +
               ']')
        << false << false << Counts{} << 1 << false;
    QTest::newRow("parallel tool calls")
        << chunk('[' +
                 choiceWithDelta(R"({"tool_calls":[{"index":0,"function":{"arguments":"{"}},)"
                                 R"({"index":1,"function":{"arguments":"}"}}]})") +
                 ']')
        << false << false << Counts{} << 2 << false;
    QTest::newRow("legacy function_call")
        << chunk('[' + choiceWithDelta(R"({"function_call":{"arguments":"{\"a\""}})") + ']')
        << false << false << Counts{} << 1 << false;
    QTest::newRow("two choices") << chunk('[' + choiceWithDelta(R"({"content":"a"})", 0) + ',' +
                                          choiceWithDelta(R"({"content":"b"})", 1) + ']')
                                 << false << false << Counts{} << 2 << false;
    QTest::newRow("finish") << chunk(R"([{"index":0,"delta":{},"finish_reason":"stop"}])") << false
                            << false << Counts{} << 0 << false;
    QTest::newRow("usage chunk")
        << chunk("[]", R"({"prompt_tokens":10,"completion_tokens":20,"total_tokens":30,)"
                       R"("prompt_tokens_details":{"cached_tokens":2,"audio_tokens":0},)"
                       R"("completion_tokens_details":{"reasoning_tokens":5}})")
        << false << true << Counts{10, 20, 2, 5} << 0 << false;
    QTest::newRow("choices null") << chunk("null", R"({"prompt_tokens":3,"completion_tokens":4})")
                                  << false << true << Counts{3, 4, 0, 0} << 0 << false;
    QTest::newRow("usage before choices")
        << QByteArray(R"({"usage":{"prompt_tokens":3,"completion_tokens":4},"choices":[]})")
        << false << true << Counts{3, 4, 0, 0} << 0 << false;
    QTest::newRow("usage riding on content")
        << chunk('[' + choiceWithDelta(R"({"content":"x"})") + ']',
                 R"({"prompt_tokens":1,"completion_tokens":1})")
        << false << false << Counts{1, 1, 0, 0} << 1 << false;
    QTest::newRow("error") << QByteArray(
                                  R"({"error":{"message":"overloaded","type":"server_error"}})")
                           << false << false << Counts{} << 0 << true;
    QTest::newRow("not json") << QByteArray("hello") << false << false << Counts{} << 0 << false;
}

void TestOpenAIChatUsage::classifyChunk()
{
    QFETCH(QByteArray, data);
    QFETCH(bool, done);
    QFETCH(bool, usageOnly);
    QFETCH(Counts, usage);
    QFETCH(int, deltaPieces);
    QFETCH(bool, error);

    const ChatChunk chunk = OpenAIChatUsage::classifyChunk(data);
    QCOMPARE(chunk.done, done);
    QCOMPARE(chunk.usageOnly, usageOnly);
    QCOMPARE(countsOf(chunk.usage), usage);
    QCOMPARE(chunk.deltaPieces, deltaPieces);
    QCOMPARE(chunk.error, error);
}

void TestOpenAIChatUsage::streamThroughTheSseParser()
{
    QByteArray stream;
    stream +=
        "data: " + chunk('[' + choiceWithDelta(R"({"role":"assistant","content":""})") + ']') +
        "\n\n";
    for (const char *word : {"Hel", "lo", " wor", "ld"}) {
        stream += "data: " +
                  chunk('[' + choiceWithDelta(R"({"content":")" + QByteArray(word) + "\"}") + ']') +
                  "\n\n";
    }
    stream += "data: " + chunk(R"([{"index":0,"delta":{},"finish_reason":"stop"}])") + "\n\n";
    stream += "data: " + chunk("[]", R"({"prompt_tokens":12,"completion_tokens":4})") + "\n\n";
    stream += "data: [DONE]\n\n";

    SseParser parser;
    parser.feed(stream);
    int pieces = 0;
    int usageOnly = 0;
    int done = 0;
    std::optional<TokenUsage> usage;
    for (const SseEvent &event : parser.takeEvents()) {
        const ChatChunk chunk = OpenAIChatUsage::classifyChunk(event.data);
        pieces += chunk.deltaPieces;
        usageOnly += chunk.usageOnly;
        done += chunk.done;
        if (chunk.usage)
            usage = chunk.usage;
    }
    QCOMPARE(pieces, 4);
    QCOMPARE(usageOnly, 1);
    QCOMPARE(done, 1);
    QCOMPARE(countsOf(usage), (Counts{12, 4, 0, 0}));
}

QTEST_GUILESS_MAIN(TestOpenAIChatUsage)
#include "tst_openaichatusage.moc"
