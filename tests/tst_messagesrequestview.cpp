#include "protocol/messagesrequestview.h"
#include "protocol/paddedjson.h"

#include <QTest>

// Declared before the fixtures: Qt 6.4's moc loses track of a raw string holding "\"" and
// would miss a class declared after one.
class TestMessagesRequestView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fields_data();
    void fields();
    void fieldsFromAnUnpaddedBody_data() { fields_data(); }
    void fieldsFromAnUnpaddedBody();
    void errors_data();
    void errors();
};

namespace {

QByteArray bytesAt(const QByteArray &body, const ByteRange &range)
{
    return range.isNull() ? QByteArray() : body.sliced(range.offset, range.length);
}

// A request as Claude Code sends it (trimmed): system blocks with cache_control, tools,
// metadata.user_id as a JSON string, thinking, then the fields the view reads.
QByteArray claudeCodeBody(const QByteArray &thinking, const QByteArray &tail)
{
    return R"({"model":"claude-sonnet-5","messages":[{"role":"user","content":[{"type":"text",)"
           R"("text":"write \"model\": \"claude-opus\", \"max_tokens\": 1"}]},{"role":"assistant",)"
           R"("content":[{"type":"thinking","thinking":"hmm","signature":"EqQBCkYIBx"},)"
           R"({"type":"tool_use","id":"toolu_01","name":"Bash","input":{"command":"ls"}}]},)"
           R"({"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01",)"
           R"("content":"a.txt"}]}],"system":[{"type":"text","text":"You are Claude Code.",)"
           R"("cache_control":{"type":"ephemeral"}}],"tools":[{"name":"Bash","description":"run",)"
           R"("input_schema":{"type":"object","properties":{"command":{"type":"string"}}}}],)"
           R"("metadata":{"user_id":"{\"device_id\":\"d\",\"session_id\":\"s\"}"},)"
           R"("thinking":)" +
           thinking + R"(,"context_management":{"edits":[]},"output_config":{"effort":"high"})" +
           tail + '}';
}

} // namespace

void TestMessagesRequestView::fields_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("model");
    QTest::addColumn<bool>("stream");
    QTest::addColumn<qint64>("maxTokens"); // -1: absent
    QTest::addColumn<bool>("thinking");
    QTest::addColumn<QByteArray>("modelToken");

    QTest::newRow("claude code, adaptive thinking")
        << claudeCodeBody(R"({"type":"adaptive"})", R"(,"max_tokens":64000,"stream":true)")
        << QStringLiteral("claude-sonnet-5") << true << qint64(64000) << true
        << QByteArray(R"("claude-sonnet-5")");
    QTest::newRow("enabled thinking with budget")
        << claudeCodeBody(R"({"budget_tokens":31999,"type":"enabled"})",
                          R"(,"stream":true,"max_tokens":32000)")
        << QStringLiteral("claude-sonnet-5") << true << qint64(32000) << true
        << QByteArray(R"("claude-sonnet-5")");
    QTest::newRow("disabled thinking")
        << claudeCodeBody(R"({"type":"disabled"})", R"(,"max_tokens":1024)")
        << QStringLiteral("claude-sonnet-5") << false << qint64(1024) << false
        << QByteArray(R"("claude-sonnet-5")");
    QTest::newRow("null thinking")
        << claudeCodeBody("null", R"(,"max_tokens":1)") << QStringLiteral("claude-sonnet-5")
        << false << qint64(1) << false << QByteArray(R"("claude-sonnet-5")");
    QTest::newRow("sdk minimal")
        << QByteArray(R"({"max_tokens":1024,"messages":[{"role":"user","content":"Hello"}],)"
                      R"("model":"claude-haiku-4-5-20251001"})")
        << QStringLiteral("claude-haiku-4-5-20251001") << false << qint64(1024) << false
        << QByteArray(R"("claude-haiku-4-5-20251001")");
    // count_tokens: no max_tokens, no stream.
    QTest::newRow("count_tokens")
        << QByteArray(R"({"model":"claude-opus-4-8","messages":[{"role":"user","content":"x"}],)"
                      R"("system":"s","tools":[]})")
        << QStringLiteral("claude-opus-4-8") << false << qint64(-1) << false
        << QByteArray(R"("claude-opus-4-8")");
    QTest::newRow("count_tokens with thinking")
        << QByteArray(R"({"messages":[],"model":"claude-opus-4-8","thinking":{"type":"enabled",)"
                      R"("budget_tokens":1024}})")
        << QStringLiteral("claude-opus-4-8") << false << qint64(-1) << true
        << QByteArray(R"("claude-opus-4-8")");
    QTest::newRow("nested fields ignored")
        << QByteArray(R"({"messages":[{"role":"user","content":"x","model":"evil",)"
                      R"("thinking":5,"max_tokens":-1}],"model":"good","max_tokens":10})")
        << QStringLiteral("good") << false << qint64(10) << false << QByteArray(R"("good")");
    QTest::newRow("whitespace")
        << QByteArray("{ \"model\" : \"m\" ,\n \"thinking\" : { \"type\" : \"adaptive\" } }")
        << QStringLiteral("m") << false << qint64(-1) << true << QByteArray(R"("m")");
}

void TestMessagesRequestView::fields()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, model);
    QFETCH(bool, stream);
    QFETCH(qint64, maxTokens);
    QFETCH(bool, thinking);
    QFETCH(QByteArray, modelToken);

    ensureJsonPadding(body);
    QString error;
    const auto view = MessagesRequestView::parse(body, &error);
    QVERIFY2(view, qPrintable(error));
    QCOMPARE(view->model, model);
    QCOMPARE(view->stream, stream);
    QCOMPARE(view->maxTokens.value_or(-1), maxTokens);
    QCOMPARE(view->thinkingRequested, thinking);
    QCOMPARE(bytesAt(body, view->modelToken), modelToken);
}

void TestMessagesRequestView::fieldsFromAnUnpaddedBody()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, model);
    QFETCH(QByteArray, modelToken);

    const QByteArray raw = QByteArray::fromRawData(body.constData(), body.size());
    const auto view = MessagesRequestView::parse(raw, nullptr);
    QVERIFY(view);
    QCOMPARE(view->model, model);
    QCOMPARE(bytesAt(raw, view->modelToken), modelToken);
}

void TestMessagesRequestView::errors_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("message");

    const QString notJson = QStringLiteral("The request body is not valid JSON");
    QTest::newRow("empty") << QByteArray() << notJson;
    QTest::newRow("garbage") << QByteArray("\x1f\x8b\x08\x00", 4) << notJson;
    QTest::newRow("unterminated string") << QByteArray(R"({"model":"claude)") << notJson;
    QTest::newRow("string body") << QByteArray(R"("hello")")
                                 << QStringLiteral(
                                        "The request body must be a JSON object, not a string.");
    QTest::newRow("no model") << QByteArray(R"({"max_tokens":10,"messages":[]})")
                              << QStringLiteral("Missing required parameter: 'model'.");
    QTest::newRow("model number")
        << QByteArray(R"({"model":3})")
        << QStringLiteral("Invalid type for 'model': expected a string, but got a number "
                          "instead.");
    QTest::newRow("stream number")
        << QByteArray(R"({"model":"a","stream":1})")
        << QStringLiteral("Invalid type for 'stream': expected a boolean, but got a number "
                          "instead.");
    QTest::newRow("duplicate model")
        << QByteArray(R"({"model":"claude-haiku-4-5","messages":[],"model":"claude-opus-4-8"})")
        << QStringLiteral("Duplicate parameter 'model' in the request body.");
    QTest::newRow("duplicate stream")
        << QByteArray(R"({"model":"a","stream":true,"str\u0065am":false})")
        << QStringLiteral("Duplicate parameter 'stream' in the request body.");
    QTest::newRow("duplicate max_tokens")
        << QByteArray(R"({"model":"a","max_tokens":1,"max_tokens":64000})")
        << QStringLiteral("Duplicate parameter 'max_tokens' in the request body.");
    QTest::newRow("duplicate thinking")
        << QByteArray(R"({"model":"a","thinking":{"type":"disabled"},"thinking":{"type":)"
                      R"("enabled","budget_tokens":9000}})")
        << QStringLiteral("Duplicate parameter 'thinking' in the request body.");
    QTest::newRow("max_tokens fraction")
        << QByteArray(R"({"model":"a","max_tokens":10.5})")
        << QStringLiteral("Invalid value for 'max_tokens': expected a non-negative integer.");
    QTest::newRow("thinking string")
        << QByteArray(R"({"model":"a","thinking":"enabled"})")
        << QStringLiteral("Invalid type for 'thinking': expected an object, but got a string "
                          "instead.");
    QTest::newRow("thinking type number")
        << QByteArray(R"({"model":"a","thinking":{"type":1}})")
        << QStringLiteral("Invalid type for 'thinking.type': expected a string, but got a "
                          "number instead.");
    QTest::newRow("duplicate thinking type")
        << QByteArray(R"({"model":"a","thinking":{"type":"disabled","type":"enabled"}})")
        << QStringLiteral("Duplicate parameter 'thinking.type' in the request body.");
}

void TestMessagesRequestView::errors()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, message);

    ensureJsonPadding(body);
    QString error;
    QVERIFY(!MessagesRequestView::parse(body, &error));
    QVERIFY2(error.startsWith(message), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestMessagesRequestView)
#include "tst_messagesrequestview.moc"
