#include "protocol/chatrequestrewrite.h"
#include "protocol/chatrequestview.h"
#include "protocol/paddedjson.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

namespace {

QJsonObject parseObject(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        qWarning("not a JSON object: %s (%s)", json.constData(), qPrintable(error.errorString()));
    return document.object();
}

QByteArray rewrite(QByteArray body, const QString &upstreamModel, bool includeUsage)
{
    ensureJsonPadding(body);
    QString error;
    const auto view = ChatRequestView::parse(body, &error);
    if (!view) {
        qWarning("%s", qPrintable(error));
        return {};
    }
    return ChatRequestRewrite::forUpstream(body, *view, upstreamModel, includeUsage);
}

} // namespace

class TestChatRequestRewrite : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void forUpstream_data();
    void forUpstream();
    void unchangedBodyIsShared();
    void largeBody();
};

void TestChatRequestRewrite::forUpstream_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("upstreamModel");
    QTest::addColumn<bool>("includeUsage");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("rename") << QByteArray(R"({"model":"gpt","messages":[]})")
                            << QStringLiteral("gpt-4o-2024-08-06") << false
                            << QByteArray(R"({"model":"gpt-4o-2024-08-06","messages":[]})");
    QTest::newRow("same model") << QByteArray(R"({"model":"gpt","messages":[]})")
                                << QStringLiteral("gpt") << true
                                << QByteArray(R"({"model":"gpt","messages":[]})");
    QTest::newRow("stream_options absent")
        << QByteArray(R"({"model":"a","stream":true})") << QStringLiteral("a") << true
        << QByteArray(R"({"stream_options":{"include_usage":true},"model":"a","stream":true})");
    QTest::newRow("include_usage false")
        << QByteArray(
               R"({"model":"a","stream":true,"stream_options":{"include_usage":false,"x":1}})")
        << QStringLiteral("a") << true
        << QByteArray(
               R"({"model":"a","stream":true,"stream_options":{"include_usage":true,"x":1}})");
    QTest::newRow("include_usage null")
        << QByteArray(
               R"({"model":"a","stream":true,"stream_options":{"x":1,"include_usage":null}})")
        << QStringLiteral("a") << true
        << QByteArray(
               R"({"model":"a","stream":true,"stream_options":{"x":1,"include_usage":true}})");
    QTest::newRow("other members, include_usage absent")
        << QByteArray(
               R"({"model":"a","stream_options":{"continuous_usage_stats":true},"stream":true})")
        << QStringLiteral("a") << true
        << QByteArray(R"({"model":"a","stream_options":{"include_usage":true,)"
                      R"("continuous_usage_stats":true},"stream":true})");
    QTest::newRow("empty stream_options")
        << QByteArray(R"({"model":"a","stream":true,"stream_options":{ }})") << QStringLiteral("a")
        << true
        << QByteArray(R"({"model":"a","stream":true,"stream_options":{"include_usage":true }})");
    QTest::newRow("stream_options null")
        << QByteArray(R"({"model":"a","stream":true,"stream_options":null})") << QStringLiteral("a")
        << true
        << QByteArray(R"({"model":"a","stream":true,"stream_options":{"include_usage":true}})");
    QTest::newRow("already true")
        << QByteArray(R"({"model":"a","stream":true,"stream_options":{"include_usage":true}})")
        << QStringLiteral("a") << true
        << QByteArray(R"({"model":"a","stream":true,"stream_options":{"include_usage":true}})");
    QTest::newRow("not streaming: no stream_options")
        << QByteArray(R"({"model":"a","stream":false})") << QStringLiteral("b") << true
        << QByteArray(R"({"model":"b","stream":false})");
    QTest::newRow("usage not asked")
        << QByteArray(R"({"model":"a","stream":true})") << QStringLiteral("a") << false
        << QByteArray(R"({"model":"a","stream":true})");
    QTest::newRow("model with escapes")
        << QByteArray(R"({"model":"a\u0022b","stream":true})") << QStringLiteral("my\"model\\\n")
        << false << QByteArray(R"({"model":"my\"model\\\n","stream":true})");
    QTest::newRow("escaped model already upstream")
        << QByteArray(R"({"model":"a\u0022b"})") << QStringLiteral("a\"b") << false
        << QByteArray(R"({"model":"a\u0022b"})");
    QTest::newRow("unicode model")
        << QByteArray(R"({"model":"x","stream":true})") << QStringLiteral(u"mod\u00e8le-\u65e5")
        << false << QStringLiteral(u"{\"model\":\"mod\u00e8le-\u65e5\",\"stream\":true}").toUtf8();
    QTest::newRow("whitespace kept")
        << QByteArray("{ \n  \"model\" : \"a\" ,\n  \"stream\" : true\n}\n") << QStringLiteral("b")
        << true
        << QByteArray("{\"stream_options\":{\"include_usage\":true}, \n  \"model\" : \"b\" ,\n"
                      "  \"stream\" : true\n}\n");
    QTest::newRow("both edits")
        << QByteArray(R"({"stream":true,"model":"alias","stream_options":{"include_usage":false}})")
        << QStringLiteral("upstream") << true
        << QByteArray(
               R"({"stream":true,"model":"upstream","stream_options":{"include_usage":true}})");
}

void TestChatRequestRewrite::forUpstream()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, upstreamModel);
    QFETCH(bool, includeUsage);
    QFETCH(QByteArray, expected);

    const QByteArray result = rewrite(body, upstreamModel, includeUsage);
    QCOMPARE(result, expected);
    const QJsonObject object = parseObject(result);
    QCOMPARE(object, parseObject(expected));
    QCOMPARE(object.value(QStringLiteral("model")).toString(), upstreamModel);
}

void TestChatRequestRewrite::unchangedBodyIsShared()
{
    QByteArray body(R"({"model":"a","stream":true,"stream_options":{"include_usage":true}})");
    ensureJsonPadding(body);
    const auto view = ChatRequestView::parse(body, nullptr);
    QVERIFY(view);
    const QByteArray result = ChatRequestRewrite::forUpstream(body, *view, u"a", true);
    QCOMPARE(result.constData(), body.constData());
}

void TestChatRequestRewrite::largeBody()
{
    // A Claude-Code-sized body (77 KB) with the fields after the messages.
    QByteArray body = R"({"messages":[)";
    for (int i = 0; body.size() < 77 * 1024; ++i) {
        body += i ? "," : "";
        body += R"({"role":"user","content":"line )" + QByteArray::number(i) +
                R"( with \"quotes\", \u00e9 and a \"model\":\"decoy\" inside"})";
    }
    const QByteArray tail = R"(],"model":"alias","stream":true,"tools":[]})";
    body += tail;
    const qsizetype modelValue = body.size() - tail.size() + qsizetype(strlen(R"(],"model":)"));

    const QByteArray result = rewrite(body, QStringLiteral("provider-model"), true);

    const QByteArray inserted = R"("stream_options":{"include_usage":true},)";
    QCOMPARE(result.first(1), QByteArray("{"));
    QCOMPARE(result.sliced(1, inserted.size()), inserted);
    QCOMPARE(result.sliced(1 + inserted.size(), modelValue - 1), body.sliced(1, modelValue - 1));
    const qsizetype after = 1 + inserted.size() + modelValue - 1;
    QCOMPARE(result.sliced(after, 16), QByteArray(R"("provider-model")"));
    QCOMPARE(result.sliced(after + 16), body.sliced(modelValue + 7));

    QJsonObject expected = parseObject(body);
    expected.insert(QStringLiteral("model"), QStringLiteral("provider-model"));
    expected.insert(QStringLiteral("stream_options"),
                    QJsonObject{{QStringLiteral("include_usage"), true}});
    QCOMPARE(parseObject(result), expected);
}

QTEST_GUILESS_MAIN(TestChatRequestRewrite)
#include "tst_chatrequestrewrite.moc"
