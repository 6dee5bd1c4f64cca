#include "protocol/anthropicusage.h"

#include <QTest>

// {prompt, completion, cached (cache read), cache write}; empty: no usage.
using Counts = QList<qint64>;

// Declared before the fixtures: Qt 6.4's moc loses track of a raw string holding "\"" and
// would miss a class declared after one.
class TestAnthropicUsage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fromCounts();
    void fromResponseBody_data();
    void fromResponseBody();
};

namespace {

Counts countsOf(const std::optional<TokenUsage> &usage)
{
    if (!usage)
        return {};
    return {usage->promptTokens, usage->completionTokens, usage->cachedTokens,
            usage->cacheWriteTokens};
}

QByteArray message(const QByteArray &usage)
{
    return R"({"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant",)"
           R"("content":[{"type":"thinking","thinking":"The \"usage\" is...","signature":"Eq"},)"
           R"({"type":"text","text":"\"usage\":{\"input_tokens\":999}"},{"type":"tool_use",)"
           R"("id":"toolu_01","name":"Bash","input":{"usage":{"input_tokens":5}}}],)"
           R"("model":"claude-sonnet-5","stop_reason":"tool_use","stop_sequence":null,)"
           R"("usage":)" +
           usage + '}';
}

} // namespace

void TestAnthropicUsage::fromCounts()
{
    const TokenUsage usage = AnthropicUsage::fromCounts(10, 200, 3000, 45);
    QCOMPARE(usage.promptTokens, qint64(3210));
    QCOMPARE(usage.cachedTokens, qint64(3000));
    QCOMPARE(usage.cacheWriteTokens, qint64(200));
    QCOMPARE(usage.uncachedInputTokens(), qint64(10));
    QCOMPARE(usage.completionTokens, qint64(45));
    QCOMPARE(usage.reasoningTokens, qint64(0));
    QCOMPARE(usage.totalTokens(), qint64(3255));
    QVERIFY(usage.reported);
}

void TestAnthropicUsage::fromResponseBody_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<Counts>("expected");

    QTest::newRow("cache read and write")
        << message(R"({"input_tokens":12,"cache_creation_input_tokens":2048,)"
                   R"("cache_read_input_tokens":30000,"cache_creation":)"
                   R"({"ephemeral_5m_input_tokens":2048,"ephemeral_1h_input_tokens":0},)"
                   R"("output_tokens":503,"service_tier":"standard",)"
                   R"("server_tool_use":{"web_search_requests":1}})")
        << Counts{32060, 503, 30000, 2048};
    QTest::newRow("no cache fields")
        << message(R"({"input_tokens":25,"output_tokens":15})") << Counts{25, 15, 0, 0};
    QTest::newRow("null cache fields")
        << message(R"({"input_tokens":25,"cache_creation_input_tokens":null,)"
                   R"("cache_read_input_tokens":null,"output_tokens":15})")
        << Counts{25, 15, 0, 0};
    QTest::newRow("usage first") << QByteArray(R"({"usage":{"output_tokens":1,"input_tokens":2,)"
                                               R"("cache_read_input_tokens":3},"content":[]})")
                                 << Counts{5, 1, 3, 0};
    QTest::newRow("openai names are not anthropic names")
        << message(R"({"prompt_tokens":25,"completion_tokens":15})") << Counts{0, 0, 0, 0};
    QTest::newRow("usage null") << message("null") << Counts{};
    QTest::newRow("no usage") << QByteArray(R"({"type":"message","content":[]})") << Counts{};
    QTest::newRow("error body") << QByteArray(
                                       R"({"type":"error","error":{"type":"overloaded_error",)"
                                       R"("message":"Overloaded"},"request_id":"req_1"})")
                                << Counts{};
    QTest::newRow("not json") << QByteArray("<html>") << Counts{};
}

void TestAnthropicUsage::fromResponseBody()
{
    QFETCH(QByteArray, body);
    QFETCH(Counts, expected);

    const std::optional<TokenUsage> usage = AnthropicUsage::fromResponseBody(body);
    QCOMPARE(countsOf(usage), expected);
    if (usage)
        QVERIFY(usage->reported);
}

QTEST_GUILESS_MAIN(TestAnthropicUsage)
#include "tst_anthropicusage.moc"
