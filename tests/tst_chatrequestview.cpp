#include "protocol/chatrequestview.h"
#include "protocol/paddedjson.h"

#include <QTest>

namespace {

QByteArray bytesAt(const QByteArray &body, const ByteRange &range)
{
    return range.isNull() ? QByteArray() : body.sliced(range.offset, range.length);
}

// -1: absent; otherwise the value.
qint64 orMinusOne(const std::optional<qint64> &value)
{
    return value.value_or(-1);
}

int orMinusOne(const std::optional<bool> &value)
{
    return value ? int(*value) : -1;
}

} // namespace

class TestChatRequestView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fields_data();
    void fields();
    void fieldsFromAnUnpaddedBody_data() { fields_data(); }
    void fieldsFromAnUnpaddedBody();
    void errors_data();
    void errors();
    void largeBody();
};

void TestChatRequestView::fields_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("model");
    QTest::addColumn<bool>("stream");
    QTest::addColumn<int>("includeUsage");
    QTest::addColumn<qint64>("maxTokens");
    QTest::addColumn<qint64>("maxCompletionTokens");
    QTest::addColumn<QByteArray>("modelToken");
    QTest::addColumn<QByteArray>("streamOptions");
    QTest::addColumn<QByteArray>("includeUsageToken");
    QTest::addColumn<qsizetype>("objectStart");

    QTest::newRow("minimal") << QByteArray(R"({"model":"gpt-4o","messages":[]})")
                             << QStringLiteral("gpt-4o") << false << -1 << qint64(-1) << qint64(-1)
                             << QByteArray(R"("gpt-4o")") << QByteArray() << QByteArray()
                             << qsizetype(1);
    QTest::newRow("streaming with usage")
        << QByteArray(R"({"messages":[{"role":"user","content":"hi"}],"model":"gpt-4o-mini",)"
                      R"("stream":true,"stream_options":{"include_usage":true},"max_tokens":100})")
        << QStringLiteral("gpt-4o-mini") << true << 1 << qint64(100) << qint64(-1)
        << QByteArray(R"("gpt-4o-mini")") << QByteArray(R"({"include_usage":true})")
        << QByteArray("true") << qsizetype(1);
    QTest::newRow("whitespace everywhere")
        << QByteArray(
               "\n\t {  \"messages\" : [ {\"role\":\"user\",\"content\":\"say \\\"model\\\": "
               "x\"} ] ,\r\n \"model\" :  \"gpt-4o\"  , \"stream\" : true , "
               "\"stream_options\" : { \"include_usage\" : false }  , "
               "\"max_completion_tokens\" : 5 }  \n")
        << QStringLiteral("gpt-4o") << true << 0 << qint64(-1) << qint64(5)
        << QByteArray(R"("gpt-4o")") << QByteArray(R"({ "include_usage" : false })")
        << QByteArray("false") << qsizetype(4);
    QTest::newRow("escaped model")
        << QByteArray(R"({"model":"my\"model\\x\/y\n"})") << QStringLiteral("my\"model\\x/y\n")
        << false << -1 << qint64(-1) << qint64(-1) << QByteArray(R"("my\"model\\x\/y\n")")
        << QByteArray() << QByteArray() << qsizetype(1);
    QTest::newRow("unicode escapes")
        << QByteArray(R"({"model":"mod\u00e8le-\u65e5\u672c-\ud83d\ude00"})")
        << QStringLiteral(u"mod\u00e8le-\u65e5\u672c-\U0001F600") << false << -1 << qint64(-1)
        << qint64(-1) << QByteArray(R"("mod\u00e8le-\u65e5\u672c-\ud83d\ude00")") << QByteArray()
        << QByteArray() << qsizetype(1);
    QTest::newRow("raw utf-8")
        << QStringLiteral(u"{\"model\":\"mod\u00e8le-\u65e5\u672c\"}").toUtf8()
        << QStringLiteral(u"mod\u00e8le-\u65e5\u672c") << false << -1 << qint64(-1) << qint64(-1)
        << QStringLiteral(u"\"mod\u00e8le-\u65e5\u672c\"").toUtf8() << QByteArray() << QByteArray()
        << qsizetype(1);
    QTest::newRow("escaped key") << QByteArray(R"({"mod\u0065l":"x"})") << QStringLiteral("x")
                                 << false << -1 << qint64(-1) << qint64(-1) << QByteArray(R"("x")")
                                 << QByteArray() << QByteArray() << qsizetype(1);
    QTest::newRow("nested model ignored")
        << QByteArray(R"({"messages":[{"model":"evil","stream":"x"}],"model":"good"})")
        << QStringLiteral("good") << false << -1 << qint64(-1) << qint64(-1)
        << QByteArray(R"("good")") << QByteArray() << QByteArray() << qsizetype(1);
    QTest::newRow("nulls") << QByteArray(R"({"model":"m","stream":null,"stream_options":null,)"
                                         R"("max_tokens":null,"max_completion_tokens":null})")
                           << QStringLiteral("m") << false << -1 << qint64(-1) << qint64(-1)
                           << QByteArray(R"("m")") << QByteArray("null") << QByteArray()
                           << qsizetype(1);
    QTest::newRow("empty stream_options")
        << QByteArray(R"({"model":"m","stream":true,"stream_options":{ }})") << QStringLiteral("m")
        << true << -1 << qint64(-1) << qint64(-1) << QByteArray(R"("m")") << QByteArray("{ }")
        << QByteArray() << qsizetype(1);
    QTest::newRow("stream_options with other members")
        << QByteArray(R"({"model":"m","stream_options":{"foo":1,"include_usage":null,)"
                      R"("bar":[1,{"x":"}"}]},"stream":true})")
        << QStringLiteral("m") << true << -1 << qint64(-1) << qint64(-1) << QByteArray(R"("m")")
        << QByteArray(R"({"foo":1,"include_usage":null,"bar":[1,{"x":"}"}]})") << QByteArray("null")
        << qsizetype(1);
    QTest::newRow("stream false") << QByteArray(R"({"stream":false,"model":"m","max_tokens":0})")
                                  << QStringLiteral("m") << false << -1 << qint64(0) << qint64(-1)
                                  << QByteArray(R"("m")") << QByteArray() << QByteArray()
                                  << qsizetype(1);
}

void TestChatRequestView::fields()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, model);
    QFETCH(bool, stream);
    QFETCH(int, includeUsage);
    QFETCH(qint64, maxTokens);
    QFETCH(qint64, maxCompletionTokens);
    QFETCH(QByteArray, modelToken);
    QFETCH(QByteArray, streamOptions);
    QFETCH(QByteArray, includeUsageToken);
    QFETCH(qsizetype, objectStart);

    ensureJsonPadding(body);
    QString error;
    const auto view = ChatRequestView::parse(body, &error);
    QVERIFY2(view, qPrintable(error));
    QCOMPARE(view->model, model);
    QCOMPARE(view->stream, stream);
    QCOMPARE(orMinusOne(view->includeUsage), includeUsage);
    QCOMPARE(orMinusOne(view->maxTokens), maxTokens);
    QCOMPARE(orMinusOne(view->maxCompletionTokens), maxCompletionTokens);
    QCOMPARE(bytesAt(body, view->modelToken), modelToken);
    QCOMPARE(bytesAt(body, view->streamOptions), streamOptions);
    QCOMPARE(bytesAt(body, view->includeUsageToken), includeUsageToken);
    QCOMPARE(view->objectStart, objectStart);
    QCOMPARE(body.at(objectStart - 1), '{');
}

void TestChatRequestView::fieldsFromAnUnpaddedBody()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, model);
    QFETCH(QByteArray, modelToken);
    QFETCH(QByteArray, streamOptions);

    // No spare capacity at all: the view parses a padded copy, the offsets stay the body's.
    const QByteArray raw = QByteArray::fromRawData(body.constData(), body.size());
    const auto view = ChatRequestView::parse(raw, nullptr);
    QVERIFY(view);
    QCOMPARE(view->model, model);
    QCOMPARE(bytesAt(raw, view->modelToken), modelToken);
    QCOMPARE(bytesAt(raw, view->streamOptions), streamOptions);
}

void TestChatRequestView::errors_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("message");

    const QString notJson = QStringLiteral("The request body is not valid JSON");
    QTest::newRow("empty") << QByteArray() << notJson;
    QTest::newRow("not json") << QByteArray("model=gpt-4o") << notJson;
    QTest::newRow("truncated") << QByteArray(R"({"model":"a")") << notJson;
    QTest::newRow("trailing comma") << QByteArray(R"({"model":"a",})") << notJson;
    QTest::newRow("bad escape") << QByteArray(R"({"model":"\ud800"})") << notJson;
    QTest::newRow("bad utf-8") << QByteArray("{\"model\":\"\xff\"}") << notJson;
    QTest::newRow("two documents")
        << QByteArray(R"({"model":"a"} {})")
        << QStringLiteral("The request body is not valid JSON: there is more after the "
                          "top-level object.");
    QTest::newRow("array") << QByteArray("[1,2]")
                           << QStringLiteral("The request body must be a JSON object, not an "
                                             "array.");
    QTest::newRow("string") << QByteArray(R"("gpt-4o")")
                            << QStringLiteral("The request body must be a JSON object, not a "
                                              "string.");
    QTest::newRow("no model") << QByteArray(R"({"messages":[]})")
                              << QStringLiteral("Missing required parameter: 'model'.");
    QTest::newRow("model number")
        << QByteArray(R"({"model":42})")
        << QStringLiteral("Invalid type for 'model': expected a string, but got a number "
                          "instead.");
    QTest::newRow("model null")
        << QByteArray(R"({"model":null})")
        << QStringLiteral("Invalid type for 'model': expected a string, but got null instead.");
    QTest::newRow("stream string")
        << QByteArray(R"({"model":"a","stream":"yes"})")
        << QStringLiteral("Invalid type for 'stream': expected a boolean, but got a string "
                          "instead.");
    QTest::newRow("stream number")
        << QByteArray(R"({"model":"a","stream":1})")
        << QStringLiteral("Invalid type for 'stream': expected a boolean, but got a number "
                          "instead.");
    QTest::newRow("duplicate model")
        << QByteArray(R"({"model":"a","model":"b"})")
        << QStringLiteral("Duplicate parameter 'model' in the request body.");
    QTest::newRow("duplicate escaped model")
        << QByteArray(R"({"model":"a","mod\u0065l":"b"})")
        << QStringLiteral("Duplicate parameter 'model' in the request body.");
    QTest::newRow("duplicate stream")
        << QByteArray(R"({"model":"a","stream":true,"stream":false})")
        << QStringLiteral("Duplicate parameter 'stream' in the request body.");
    QTest::newRow("duplicate max_tokens")
        << QByteArray(R"({"model":"a","max_tokens":1,"max_tokens":100000})")
        << QStringLiteral("Duplicate parameter 'max_tokens' in the request body.");
    QTest::newRow("duplicate include_usage")
        << QByteArray(R"({"model":"a","stream_options":{"include_usage":false,)"
                      R"("include_usage":true}})")
        << QStringLiteral("Duplicate parameter 'stream_options.include_usage' in the request "
                          "body.");
    QTest::newRow("stream_options string")
        << QByteArray(R"({"model":"a","stream_options":"x"})")
        << QStringLiteral("Invalid type for 'stream_options': expected an object, but got a "
                          "string instead.");
    QTest::newRow("include_usage string")
        << QByteArray(R"({"model":"a","stream_options":{"include_usage":"yes"}})")
        << QStringLiteral("Invalid type for 'stream_options.include_usage': expected a boolean, "
                          "but got a string instead.");
    QTest::newRow("max_tokens string")
        << QByteArray(R"({"model":"a","max_tokens":"10"})")
        << QStringLiteral("Invalid value for 'max_tokens': expected a non-negative integer.");
    QTest::newRow("max_tokens negative")
        << QByteArray(R"({"model":"a","max_tokens":-1})")
        << QStringLiteral("Invalid value for 'max_tokens': expected a non-negative integer.");
    QTest::newRow("max_completion_tokens fraction")
        << QByteArray(R"({"model":"a","max_completion_tokens":1.5})")
        << QStringLiteral("Invalid value for 'max_completion_tokens': expected a non-negative "
                          "integer.");
}

void TestChatRequestView::errors()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, message);

    ensureJsonPadding(body);
    QString error;
    QVERIFY(!ChatRequestView::parse(body, &error));
    QVERIFY2(error.startsWith(message), qPrintable(error));
}

void TestChatRequestView::largeBody()
{
    // The fields sit after ~100 KB of messages whose text mentions them.
    QByteArray body = R"({"messages":[)";
    for (int i = 0; i < 100; ++i) {
        body += i ? "," : "";
        body += R"({"role":"user","content":")" + QByteArray(1000, 'x') +
                R"( \"model\":\"fake\", \"stream\":false"})";
    }
    body += R"(],"stream":true,"model":"claude-sonnet-5","max_tokens":64000})";
    ensureJsonPadding(body);
    const auto view = ChatRequestView::parse(body, nullptr);
    QVERIFY(view);
    QCOMPARE(view->model, QStringLiteral("claude-sonnet-5"));
    QVERIFY(view->stream);
    QCOMPARE(orMinusOne(view->maxTokens), qint64(64000));
    QCOMPARE(bytesAt(body, view->modelToken), QByteArray(R"("claude-sonnet-5")"));
}

QTEST_GUILESS_MAIN(TestChatRequestView)
#include "tst_chatrequestview.moc"
