#include "protocol/paddedjson.h"
#include "protocol/responsesrequestview.h"

#include <QTest>

// Declared before the fixtures: Qt 6.4's moc loses track of a raw string holding "\"" and
// would miss a class declared after one.
class TestResponsesRequestView : public QObject
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

// A request as Codex CLI sends it (trimmed): the fields the view reads sit among and after
// long input items whose text mentions them.
QByteArray codexBody(const QByteArray &tail)
{
    return R"({"model":"gpt-5.1-codex","instructions":"You are Codex.","input":[)"
           R"({"type":"message","role":"developer","content":[{"type":"input_text","text":)"
           R"("say \"model\":\"x\" and \"stream\":false"}]},)"
           R"({"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]},)"
           R"({"type":"function_call","name":"shell","arguments":"{\"command\":[\"ls\"]}",)"
           R"("call_id":"call_1"},{"type":"function_call_output","call_id":"call_1",)"
           R"("output":"{\"model\":1}"}],"tools":[{"type":"function","name":"shell",)"
           R"("parameters":{"type":"object","properties":{"model":{"type":"string"}}}},)"
           R"({"type":"custom","name":"apply_patch","format":{"type":"grammar"}}],)"
           R"("tool_choice":"auto","parallel_tool_calls":false,"reasoning":{"effort":"medium",)"
           R"("summary":"auto"},"store":false,"include":["reasoning.encrypted_content"],)"
           R"("prompt_cache_key":"0199-abc","text":{"verbosity":"low"})" +
           tail + '}';
}

} // namespace

void TestResponsesRequestView::fields_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("model");
    QTest::addColumn<bool>("stream");
    QTest::addColumn<qint64>("maxOutputTokens"); // -1: absent
    QTest::addColumn<QByteArray>("modelToken");

    QTest::newRow("minimal") << QByteArray(R"({"model":"gpt-4.1","input":"hi"})")
                             << QStringLiteral("gpt-4.1") << false << qint64(-1)
                             << QByteArray(R"("gpt-4.1")");
    QTest::newRow("codex") << codexBody(R"(,"stream":true)") << QStringLiteral("gpt-5.1-codex")
                           << true << qint64(-1) << QByteArray(R"("gpt-5.1-codex")");
    QTest::newRow("max_output_tokens")
        << QByteArray(R"({"input":[],"max_output_tokens":2048,"model":"o4-mini","stream":false})")
        << QStringLiteral("o4-mini") << false << qint64(2048) << QByteArray(R"("o4-mini")");
    QTest::newRow("nulls") << QByteArray(R"({"model":"m","stream":null,"max_output_tokens":null})")
                           << QStringLiteral("m") << false << qint64(-1) << QByteArray(R"("m")");
    QTest::newRow("zero max_output_tokens")
        << QByteArray(R"({"model":"m","max_output_tokens":0})") << QStringLiteral("m") << false
        << qint64(0) << QByteArray(R"("m")");
    QTest::newRow("whitespace")
        << QByteArray("\r\n {\n \"stream\" : true ,\t\"model\" :\n \"gpt-4o\" \n}\n")
        << QStringLiteral("gpt-4o") << true << qint64(-1) << QByteArray(R"("gpt-4o")");
    QTest::newRow("escaped model")
        << QByteArray(R"({"model":"gpt\u002d4o\/x"})") << QStringLiteral("gpt-4o/x") << false
        << qint64(-1) << QByteArray(R"("gpt\u002d4o\/x")");
    QTest::newRow("nested fields ignored")
        << QByteArray(R"({"text":{"model":"evil","stream":"x","max_output_tokens":-5},)"
                      R"("model":"good"})")
        << QStringLiteral("good") << false << qint64(-1) << QByteArray(R"("good")");
    QTest::newRow("chat-only fields ignored")
        << QByteArray(R"({"model":"m","max_tokens":"x","stream_options":7})") << QStringLiteral("m")
        << false << qint64(-1) << QByteArray(R"("m")");
}

void TestResponsesRequestView::fields()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, model);
    QFETCH(bool, stream);
    QFETCH(qint64, maxOutputTokens);
    QFETCH(QByteArray, modelToken);

    ensureJsonPadding(body);
    QString error;
    const auto view = ResponsesRequestView::parse(body, &error);
    QVERIFY2(view, qPrintable(error));
    QCOMPARE(view->model, model);
    QCOMPARE(view->stream, stream);
    QCOMPARE(view->maxOutputTokens.value_or(-1), maxOutputTokens);
    QCOMPARE(bytesAt(body, view->modelToken), modelToken);
}

void TestResponsesRequestView::fieldsFromAnUnpaddedBody()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, model);
    QFETCH(QByteArray, modelToken);

    const QByteArray raw = QByteArray::fromRawData(body.constData(), body.size());
    const auto view = ResponsesRequestView::parse(raw, nullptr);
    QVERIFY(view);
    QCOMPARE(view->model, model);
    QCOMPARE(bytesAt(raw, view->modelToken), modelToken);
}

void TestResponsesRequestView::errors_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("message");

    const QString notJson = QStringLiteral("The request body is not valid JSON");
    QTest::newRow("empty") << QByteArray() << notJson;
    QTest::newRow("truncated") << codexBody(R"(,"stream":true)").chopped(1) << notJson;
    QTest::newRow("two documents")
        << QByteArray(R"({"model":"a"}{"model":"b"})")
        << QStringLiteral("The request body is not valid JSON: there is more after the "
                          "top-level object.");
    QTest::newRow("array") << QByteArray(R"([{"model":"a"}])")
                           << QStringLiteral("The request body must be a JSON object, not an "
                                             "array.");
    QTest::newRow("no model") << QByteArray(R"({"input":"hi","stream":true})")
                              << QStringLiteral("Missing required parameter: 'model'.");
    QTest::newRow("model object")
        << QByteArray(R"({"model":{"id":"gpt-4o"}})")
        << QStringLiteral("Invalid type for 'model': expected a string, but got an object "
                          "instead.");
    QTest::newRow("stream string")
        << QByteArray(R"({"model":"a","stream":"true"})")
        << QStringLiteral("Invalid type for 'stream': expected a boolean, but got a string "
                          "instead.");
    QTest::newRow("duplicate model")
        << QByteArray(R"({"model":"cheap","input":"x","model":"expensive"})")
        << QStringLiteral("Duplicate parameter 'model' in the request body.");
    QTest::newRow("duplicate escaped model")
        << QByteArray(R"({"model":"a","\u006dodel":"b"})")
        << QStringLiteral("Duplicate parameter 'model' in the request body.");
    QTest::newRow("duplicate stream")
        << QByteArray(R"({"stream":false,"model":"a","stream":true})")
        << QStringLiteral("Duplicate parameter 'stream' in the request body.");
    QTest::newRow("duplicate max_output_tokens")
        << QByteArray(R"({"model":"a","max_output_tokens":10,"max_output_tokens":100000})")
        << QStringLiteral("Duplicate parameter 'max_output_tokens' in the request body.");
    QTest::newRow("max_output_tokens negative")
        << QByteArray(R"({"model":"a","max_output_tokens":-1})")
        << QStringLiteral("Invalid value for 'max_output_tokens': expected a non-negative "
                          "integer.");
    QTest::newRow("max_output_tokens string")
        << QByteArray(R"({"model":"a","max_output_tokens":"100"})")
        << QStringLiteral("Invalid value for 'max_output_tokens': expected a non-negative "
                          "integer.");
}

void TestResponsesRequestView::errors()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, message);

    ensureJsonPadding(body);
    QString error;
    QVERIFY(!ResponsesRequestView::parse(body, &error));
    QVERIFY2(error.startsWith(message), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestResponsesRequestView)
#include "tst_responsesrequestview.moc"
