#include "protocol/apierrorbody.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

class TestApiErrorBody : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void openAI_data();
    void openAI();
    void anthropic_data();
    void anthropic();
};

void TestApiErrorBody::openAI_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<QByteArray>("code");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("with code")
        << QByteArray("The model 'x' does not exist") << QByteArray("invalid_request_error")
        << QByteArray("model_not_found")
        << QByteArray(R"({"error":{"message":"The model 'x' does not exist",)"
                      R"("type":"invalid_request_error","param":null,"code":"model_not_found"}})");
    QTest::newRow("no code") << QByteArray("bad") << QByteArray("server_error") << QByteArray()
                             << QByteArray(R"({"error":{"message":"bad","type":"server_error",)"
                                           R"("param":null,"code":null}})");
    QTest::newRow("escaped message")
        << QByteArray("budget \"team\" exceeded:\n$5.00 \xE2\x82\xAC")
        << QByteArray("insufficient_quota") << QByteArray("insufficient_quota")
        << QByteArray(
               R"({"error":{"message":"budget \"team\" exceeded:\n$5.00 )"
               "\xE2\x82\xAC"
               R"(","type":"insufficient_quota","param":null,"code":"insufficient_quota"}})");
}

void TestApiErrorBody::openAI()
{
    QFETCH(QByteArray, message);
    QFETCH(QByteArray, type);
    QFETCH(QByteArray, code);
    QFETCH(QByteArray, expected);

    const QByteArray body = OpenAIError::body(message, type, code);
    QCOMPARE(body, expected);
    const QJsonObject error = QJsonDocument::fromJson(body).object().value(u"error").toObject();
    QCOMPARE(error.value(u"message").toString(), QString::fromUtf8(message));
    QVERIFY(error.value(u"param").isNull());
    QCOMPARE(error.value(u"code").isNull(), code.isEmpty());
}

void TestApiErrorBody::anthropic_data()
{
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QByteArray>("requestId");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("with request id")
        << QByteArray("rate_limit_error") << QByteArray("slow down") << QByteArray("req_01")
        << QByteArray(
               R"({"type":"error","error":{"type":"rate_limit_error","message":"slow down"},)"
               R"("request_id":"req_01"})");
    QTest::newRow("no request id")
        << QByteArray("api_error") << QByteArray("a \"quoted\"\tmessage") << QByteArray()
        << QByteArray(R"({"type":"error","error":{"type":"api_error",)"
                      R"("message":"a \"quoted\"\tmessage"},"request_id":null})");
}

void TestApiErrorBody::anthropic()
{
    QFETCH(QByteArray, type);
    QFETCH(QByteArray, message);
    QFETCH(QByteArray, requestId);
    QFETCH(QByteArray, expected);

    const QByteArray body = AnthropicError::body(type, message, requestId);
    QCOMPARE(body, expected);
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    QCOMPARE(object.value(u"type").toString(), QStringLiteral("error"));
    QCOMPARE(object.value(u"error").toObject().value(u"message").toString(),
             QString::fromUtf8(message));
}

QTEST_GUILESS_MAIN(TestApiErrorBody)
#include "tst_apierrorbody.moc"
