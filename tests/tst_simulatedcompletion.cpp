#include "simulator/simulatedcompletion.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

SimulatedPrompt conversation(const QString &userText)
{
    SimulatedPrompt prompt;
    prompt.messages = {{u"system"_s, u"You are terse."_s}, {u"user"_s, userText}};
    return prompt;
}

SimulatedPrompt::Tool tool(const QString &name, const char *parametersJson)
{
    return {name, u"A tool."_s, QJsonDocument::fromJson(QByteArray(parametersJson)).object()};
}

const char *weatherSchema = R"({"type":"object","properties":{
    "city":{"type":"string"},
    "days":{"type":"integer","minimum":1,"maximum":14},
    "celsius":{"type":"boolean"},
    "threshold":{"type":"number"},
    "unit":{"type":"string","enum":["metric","imperial"]},
    "tags":{"type":"array","items":{"type":"string"}},
    "where":{"type":"object","properties":{"lat":{"type":"number"},"lon":{"type":"number"}},
             "required":["lat","lon"]},
    "note":{"type":["string","null"]},
    "optional":{"type":"string"}},
  "required":["city","days","celsius","threshold","unit","tags","where","note"]})";

} // namespace

// The simulated model's deterministic core: prompt tokens, text, tool calls, usage.
class TestSimulatedCompletion : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void promptTokens_data();
    void promptTokens();
    void promptTokensCountTools();
    void deterministicText();
    void defaultLengthRange();
    void tokenShape();
    void lengthLimits_data();
    void lengthLimits();
    void directiveFromLastUserMessage();
    void cachedAndReasoning_data();
    void cachedAndReasoning();
    void toolCallFillsRequiredArguments();
    void toolCallChoice_data();
    void toolCallChoice();
    void toolCallCappedByMaxTokens();
    void cacheWrite_data();
    void cacheWrite();
    void reasoningWhenRequested_data();
    void reasoningWhenRequested();
    void reasoningCountsAgainstMaxTokens_data();
    void reasoningCountsAgainstMaxTokens();
    void freeformToolCall();
};

void TestSimulatedCompletion::promptTokens_data()
{
    QTest::addColumn<QStringList>("texts");
    QTest::addColumn<int>("expected");

    // 3 + per message (3 + ceil(utf8 bytes / 4)).
    QTest::newRow("no messages") << QStringList{} << 3;
    QTest::newRow("empty message") << QStringList{u""_s} << 6;
    QTest::newRow("four bytes") << QStringList{u"abcd"_s} << 7;
    QTest::newRow("five bytes") << QStringList{u"abcde"_s} << 8;
    QTest::newRow("two messages") << QStringList{u"You are terse."_s, u"Hello there"_s}
                                  << 3 + (3 + 4) + (3 + 3);
    // "é" is two UTF-8 bytes, "€" three: 2 + 3 + 1 = 6 bytes -> 2 tokens.
    QTest::newRow("utf-8 bytes, not characters") << QStringList{u"é€x"_s} << 3 + 3 + 2;
}

void TestSimulatedCompletion::promptTokens()
{
    QFETCH(QStringList, texts);
    QFETCH(int, expected);
    SimulatedPrompt prompt;
    for (const QString &text : texts)
        prompt.messages.append({u"user"_s, text});
    QCOMPARE(prompt.promptTokens(), expected);
    QCOMPARE(SimulatedCompletion(prompt).promptTokens(), expected);
}

void TestSimulatedCompletion::promptTokensCountTools()
{
    SimulatedPrompt prompt = conversation(u"hi"_s);
    const int without = prompt.promptTokens();
    // name (4) + description "A tool." (7) + {"type":"object"} (17) = 28 bytes -> 7, plus 3.
    prompt.tools.append(tool(u"ping"_s, R"({"type":"object"})"));
    QCOMPARE(prompt.promptTokens(), without + 3 + 7);
}

void TestSimulatedCompletion::deterministicText()
{
    const SimulatedCompletion a(conversation(u"Tell me about rivers."_s));
    const SimulatedCompletion b(conversation(u"Tell me about rivers."_s));
    const SimulatedCompletion c(conversation(u"Tell me about stones."_s));
    QCOMPARE(a.text(), b.text());
    QCOMPARE(a.completionTokens(), b.completionTokens());
    QVERIFY(!a.text().isEmpty());
    QVERIFY(a.text() != c.text());
}

void TestSimulatedCompletion::defaultLengthRange()
{
    int shortest = 1000;
    int longest = 0;
    for (int i = 0; i < 300; ++i) {
        const SimulatedCompletion completion(conversation(u"question %1"_s.arg(i)));
        QCOMPARE(completion.finishReason(), SimulatedCompletion::FinishReason::Stop);
        shortest = std::min(shortest, completion.outputTokenCount());
        longest = std::max(longest, completion.outputTokenCount());
    }
    QVERIFY2(shortest >= 12 && longest <= 60, qPrintable(u"%1..%2"_s.arg(shortest).arg(longest)));
    QVERIFY2(longest - shortest > 30, "lengths should spread over the range");
}

void TestSimulatedCompletion::tokenShape()
{
    const SimulatedCompletion completion(conversation(u"[[sim tokens=20]]"_s));
    QCOMPARE(completion.outputTokenCount(), 20);
    QByteArray joined;
    for (int i = 0; i < completion.outputTokenCount(); ++i) {
        const QByteArrayView token = completion.textToken(i);
        // The first token is a bare word, every later one a word with its leading space.
        QCOMPARE(token.startsWith(' '), i > 0);
        QVERIFY(!token.trimmed().contains(' '));
        joined += token;
    }
    QCOMPARE(joined, completion.text());
    QCOMPARE(completion.text().split(' ').size(), 20);
}

void TestSimulatedCompletion::lengthLimits_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("maxTokens"); // 0: none
    QTest::addColumn<int>("expected");
    QTest::addColumn<bool>("truncated");

    QTest::newRow("tokens directive") << u"[[sim tokens=33]]"_s << 0 << 33 << false;
    QTest::newRow("zero tokens") << u"[[sim tokens=0]]"_s << 0 << 0 << false;
    QTest::newRow("max_tokens caps") << u"[[sim tokens=33]]"_s << 5 << 5 << true;
    QTest::newRow("max_tokens above") << u"[[sim tokens=33]]"_s << 40 << 33 << false;
    QTest::newRow("max_tokens equal") << u"[[sim tokens=33]]"_s << 33 << 33 << false;
    QTest::newRow("max_tokens caps default") << u"no directive"_s << 3 << 3 << true;
}

void TestSimulatedCompletion::lengthLimits()
{
    QFETCH(QString, text);
    QFETCH(int, maxTokens);
    QFETCH(int, expected);
    QFETCH(bool, truncated);
    SimulatedPrompt prompt = conversation(text);
    if (maxTokens > 0)
        prompt.maxTokens = maxTokens;
    const SimulatedCompletion completion(prompt);
    QCOMPARE(completion.outputTokenCount(), expected);
    QCOMPARE(completion.completionTokens(), expected);
    QCOMPARE(completion.finishReason(), truncated ? SimulatedCompletion::FinishReason::Length
                                                  : SimulatedCompletion::FinishReason::Stop);
}

void TestSimulatedCompletion::directiveFromLastUserMessage()
{
    SimulatedPrompt prompt;
    prompt.messages = {{u"system"_s, u"[[sim tokens=1]]"_s},
                       {u"user"_s, u"old turn [[sim tokens=2]]"_s},
                       {u"assistant"_s, u"[[sim tokens=3]]"_s},
                       {u"user"_s, u"new turn [[sim tokens=4]]"_s},
                       {u"assistant"_s, u"[[sim tokens=5]]"_s}};
    QCOMPARE(prompt.directive().tokens, 4);
    QCOMPARE(SimulatedCompletion(prompt).outputTokenCount(), 4);
}

void TestSimulatedCompletion::cachedAndReasoning_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("cached");
    QTest::addColumn<int>("reasoning");

    QTest::newRow("none") << u"[[sim tokens=4]]"_s << 0 << 0;
    QTest::newRow("cached") << u"[[sim tokens=4 cached=5]]"_s << 5 << 0;
    QTest::newRow("cached above prompt") << u"[[sim tokens=4 cached=100000]]"_s << -1 << 0;
    QTest::newRow("reasoning") << u"[[sim tokens=4 reasoning=10]]"_s << 0 << 10;
}

void TestSimulatedCompletion::cachedAndReasoning()
{
    QFETCH(QString, text);
    QFETCH(int, cached);
    QFETCH(int, reasoning);
    const SimulatedCompletion completion(conversation(text));
    QCOMPARE(completion.cachedTokens(), cached < 0 ? completion.promptTokens() : cached);
    QCOMPARE(completion.reasoningTokens(), reasoning);
    QCOMPARE(completion.outputTokenCount(), 4);
    QCOMPARE(completion.completionTokens(), 4 + reasoning);
}

void TestSimulatedCompletion::toolCallFillsRequiredArguments()
{
    SimulatedPrompt prompt = conversation(u"What is the weather?"_s);
    prompt.tools = {tool(u"get_weather"_s, weatherSchema)};
    const SimulatedCompletion completion(prompt);
    QVERIFY(completion.toolCall());
    const auto &call = *completion.toolCall();
    QCOMPARE(call.name, u"get_weather"_s);
    QVERIFY(call.id.startsWith("call_"));
    QCOMPARE(call.id.size(), 5 + 24);
    QCOMPARE(completion.finishReason(), SimulatedCompletion::FinishReason::ToolCalls);
    QCOMPARE(completion.outputTokenCount(), call.argumentPieces.size());
    QVERIFY(call.argumentPieces.size() > 10);
    for (const QByteArray &piece : call.argumentPieces)
        QVERIFY(!piece.isEmpty());

    QJsonParseError error;
    const QJsonObject arguments = QJsonDocument::fromJson(call.arguments(), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(arguments.keys(), (QStringList{u"celsius"_s, u"city"_s, u"days"_s, u"note"_s,
                                            u"tags"_s, u"threshold"_s, u"unit"_s, u"where"_s}));
    QVERIFY(arguments.value("city"_L1).isString());
    QVERIFY(!arguments.value("city"_L1).toString().isEmpty());
    QVERIFY(arguments.value("days"_L1).isDouble());
    const double days = arguments.value("days"_L1).toDouble();
    QVERIFY(days >= 1 && days <= 14 && days == std::floor(days));
    QVERIFY(arguments.value("celsius"_L1).isBool());
    QVERIFY(arguments.value("threshold"_L1).isDouble());
    QVERIFY(
        (QStringList{u"metric"_s, u"imperial"_s}).contains(arguments.value("unit"_L1).toString()));
    QVERIFY(arguments.value("tags"_L1).isArray());
    QVERIFY(arguments.value("tags"_L1).toArray().first().isString());
    const QJsonObject where = arguments.value("where"_L1).toObject();
    QVERIFY(where.value("lat"_L1).isDouble() && where.value("lon"_L1).isDouble());
    QVERIFY(arguments.value("note"_L1).isString());

    const SimulatedCompletion again(prompt);
    QCOMPARE(again.toolCall()->arguments(), call.arguments());
    QCOMPARE(again.toolCall()->id, call.id);
}

void TestSimulatedCompletion::toolCallChoice_data()
{
    QTest::addColumn<bool>("allowed");
    QTest::addColumn<QString>("forced");
    QTest::addColumn<bool>("endsWithToolResult");
    QTest::addColumn<QString>("expectedTool"); // empty: text

    QTest::newRow("forced second") << true << u"second"_s << false << u"second"_s;
    QTest::newRow("forced first") << true << u"first"_s << false << u"first"_s;
    QTest::newRow("none") << false << QString() << false << QString();
    QTest::newRow("after tool result") << true << QString() << true << QString();
}

void TestSimulatedCompletion::toolCallChoice()
{
    QFETCH(bool, allowed);
    QFETCH(QString, forced);
    QFETCH(bool, endsWithToolResult);
    QFETCH(QString, expectedTool);
    SimulatedPrompt prompt = conversation(u"Use a tool."_s);
    prompt.tools = {tool(u"first"_s, R"({"type":"object","properties":{}})"),
                    tool(u"second"_s, R"({"type":"object","required":["q"]})")};
    prompt.toolsAllowed = allowed;
    prompt.forcedTool = forced;
    if (endsWithToolResult) {
        prompt.messages.append({u"assistant"_s, u"first{}"_s});
        prompt.messages.append({u"tool"_s, u"sunny"_s});
    }
    const SimulatedCompletion completion(prompt);
    if (expectedTool.isEmpty()) {
        QVERIFY(!completion.toolCall());
        QVERIFY(!completion.text().isEmpty());
        QCOMPARE(completion.finishReason(), SimulatedCompletion::FinishReason::Stop);
        return;
    }
    QVERIFY(completion.toolCall());
    QCOMPARE(completion.toolCall()->name, expectedTool);
    const QJsonObject arguments =
        QJsonDocument::fromJson(completion.toolCall()->arguments()).object();
    // No schema for "q": a string.
    QCOMPARE(arguments.keys(), expectedTool == u"second"_s ? QStringList{u"q"_s} : QStringList{});
}

void TestSimulatedCompletion::toolCallCappedByMaxTokens()
{
    SimulatedPrompt prompt = conversation(u"What is the weather?"_s);
    prompt.tools = {tool(u"get_weather"_s, weatherSchema)};
    prompt.maxTokens = 3;
    const SimulatedCompletion completion(prompt);
    QVERIFY(completion.toolCall());
    QCOMPARE(completion.outputTokenCount(), 3);
    QCOMPARE(completion.finishReason(), SimulatedCompletion::FinishReason::Length);
}

void TestSimulatedCompletion::cacheWrite_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("cached");
    QTest::addColumn<int>("written"); // -1: every prompt token not read from the cache

    QTest::newRow("none") << u"[[sim tokens=1]]"_s << 0 << 0;
    QTest::newRow("write") << u"[[sim cache_write=6]]"_s << 0 << 6;
    QTest::newRow("read and write") << u"[[sim cached=4 cache_write=6]]"_s << 4 << 6;
    QTest::newRow("write above the rest") << u"[[sim cached=4 cache_write=100000]]"_s << 4 << -1;
    QTest::newRow("all read") << u"[[sim cached=100000 cache_write=5]]"_s << -1 << 0;
}

void TestSimulatedCompletion::cacheWrite()
{
    QFETCH(QString, text);
    QFETCH(int, cached);
    QFETCH(int, written);
    const SimulatedCompletion completion(conversation(text));
    const int prompt = completion.promptTokens();
    QCOMPARE(completion.cachedTokens(), cached < 0 ? prompt : cached);
    QCOMPARE(completion.cacheWriteTokens(), written < 0 ? prompt - cached : written);
    QVERIFY(completion.cachedTokens() + completion.cacheWriteTokens() <= prompt);
}

void TestSimulatedCompletion::reasoningWhenRequested_data()
{
    QTest::addColumn<bool>("requested");
    QTest::addColumn<QString>("directive");
    QTest::addColumn<int>("expected"); // -1: 8..32 from the prompt

    QTest::newRow("not requested") << false << QString() << 0;
    QTest::newRow("requested") << true << QString() << -1;
    QTest::newRow("directive wins") << true << u"[[sim reasoning=3]]"_s << 3;
    QTest::newRow("directive zero") << true << u"[[sim reasoning=0]]"_s << 0;
}

void TestSimulatedCompletion::reasoningWhenRequested()
{
    QFETCH(bool, requested);
    QFETCH(QString, directive);
    QFETCH(int, expected);
    SimulatedPrompt prompt = conversation(u"Think about it. [[sim tokens=4]] "_s + directive);
    prompt.reasoningRequested = requested;
    const SimulatedCompletion completion(prompt);
    if (expected >= 0)
        QCOMPARE(completion.reasoningTokens(), expected);
    else
        QVERIFY(completion.reasoningTokens() >= 8 && completion.reasoningTokens() <= 32);
    QCOMPARE(completion.completionTokens(), 4 + completion.reasoningTokens());
    // The shown reasoning has one word per reasoning token, unlike the answer's words.
    const QByteArray reasoning = completion.reasoningText();
    QCOMPARE(int(reasoning.isEmpty() ? 0 : reasoning.split(' ').size()),
             completion.reasoningTokens());
    if (!reasoning.isEmpty()) {
        QVERIFY(!completion.reasoningToken(0).startsWith(' '));
        QVERIFY(completion.reasoningToken(1).startsWith(' '));
        QVERIFY(!completion.text().startsWith(reasoning));
    }
    QCOMPARE(SimulatedCompletion(prompt).reasoningText(), reasoning);
}

void TestSimulatedCompletion::reasoningCountsAgainstMaxTokens_data()
{
    QTest::addColumn<int>("maxTokens");
    QTest::addColumn<bool>("withTool");
    QTest::addColumn<int>("reasoning");
    QTest::addColumn<int>("output");
    QTest::addColumn<bool>("truncated");

    // reasoning=10, answer: 20 words.
    QTest::newRow("room for both") << 30 << false << 10 << 20 << false;
    QTest::newRow("answer cut") << 15 << false << 10 << 5 << true;
    QTest::newRow("reasoning cut") << 6 << false << 6 << 0 << true;
    QTest::newRow("exactly reasoning") << 10 << false << 10 << 0 << true;
    QTest::newRow("tool arguments cut") << 12 << true << 10 << 2 << true;
}

void TestSimulatedCompletion::reasoningCountsAgainstMaxTokens()
{
    QFETCH(int, maxTokens);
    QFETCH(bool, withTool);
    QFETCH(int, reasoning);
    QFETCH(int, output);
    QFETCH(bool, truncated);
    SimulatedPrompt prompt = conversation(u"[[sim reasoning=10 tokens=20]]"_s);
    prompt.maxTokens = maxTokens;
    if (withTool)
        prompt.tools = {tool(u"get_weather"_s, weatherSchema)};
    const SimulatedCompletion completion(prompt);
    QCOMPARE(completion.reasoningTokens(), reasoning);
    QCOMPARE(completion.outputTokenCount(), output);
    QCOMPARE(completion.completionTokens(), reasoning + output);
    QVERIFY(completion.completionTokens() <= maxTokens);
    const auto finished = withTool ? SimulatedCompletion::FinishReason::ToolCalls
                                   : SimulatedCompletion::FinishReason::Stop;
    QCOMPARE(completion.finishReason(),
             truncated ? SimulatedCompletion::FinishReason::Length : finished);
}

void TestSimulatedCompletion::freeformToolCall()
{
    SimulatedPrompt prompt = conversation(u"Patch it. [[sim tokens=7]]"_s);
    SimulatedPrompt::Tool patch{u"apply_patch"_s, u"Edits files."_s,
                                QJsonObject{{u"type"_s, u"grammar"_s}}, true};
    prompt.tools = {tool(u"shell"_s, R"({"type":"object","required":["command"]})"), patch};
    prompt.forcedTool = u"apply_patch"_s;
    const SimulatedCompletion completion(prompt);
    QVERIFY(completion.toolCall());
    const auto &call = *completion.toolCall();
    QCOMPARE(call.name, u"apply_patch"_s);
    QVERIFY(call.freeform);
    QCOMPARE(call.argumentPieces.size(), 7);
    QCOMPARE(completion.outputTokenCount(), 7);
    // Plain words, not JSON.
    QCOMPARE(call.arguments().split(' ').size(), 7);
    QVERIFY(!QJsonDocument::fromJson(call.arguments()).isObject());
    QCOMPARE(completion.finishReason(), SimulatedCompletion::FinishReason::ToolCalls);

    prompt.forcedTool = u"shell"_s;
    QVERIFY(!SimulatedCompletion(prompt).toolCall()->freeform);
}

QTEST_GUILESS_MAIN(TestSimulatedCompletion)
#include "tst_simulatedcompletion.moc"
