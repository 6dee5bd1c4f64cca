#include "protocol/bodysplice.h"
#include "protocol/messagesrequestview.h"
#include "protocol/modelrewrite.h"
#include "protocol/paddedjson.h"
#include "protocol/responsesrequestview.h"

#include <QTest>

class TestModelRewrite : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void apply_data();
    void apply();
    void sameModelSharesTheBody();
    void addToCombinesWithOtherEdits();
    void rangeOutsideTheBodyIsRefused();
};

void TestModelRewrite::apply_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("upstreamModel");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("rename") << QByteArray(R"({"model":"sonnet","max_tokens":10})")
                            << QStringLiteral("claude-sonnet-5-20260101")
                            << QByteArray(
                                   R"({"model":"claude-sonnet-5-20260101","max_tokens":10})");
    QTest::newRow("shorter, whitespace kept")
        << QByteArray("{ \"input\" : [] ,\n \"model\" :  \"a-very-long-alias\"  }\n")
        << QStringLiteral("o3") << QByteArray("{ \"input\" : [] ,\n \"model\" :  \"o3\"  }\n");
    QTest::newRow("needs escaping")
        << QByteArray(R"({"model":"x"})") << QStringLiteral("we\"ird\\name")
        << QByteArray(R"({"model":"we\"ird\\name"})");
    QTest::newRow("unicode") << QByteArray(R"({"model":"x"})") << QStringLiteral(u"mod\u00e8le")
                             << QStringLiteral(u"{\"model\":\"mod\u00e8le\"}").toUtf8();
    QTest::newRow("escaped spelling of the same name")
        << QByteArray(R"({"model":"gpt\u002d4o\/\u00e8"})") << QStringLiteral(u"gpt-4o/\u00e8")
        << QByteArray(R"({"model":"gpt\u002d4o\/\u00e8"})");
    QTest::newRow("escaped spelling of another name")
        << QByteArray(R"({"model":"gpt\u002d4o"})") << QStringLiteral("gpt-4")
        << QByteArray(R"({"model":"gpt-4"})");
    QTest::newRow("text mentioning model untouched")
        << QByteArray(R"({"input":"\"model\":\"a\"","model":"a"})") << QStringLiteral("b")
        << QByteArray(R"({"input":"\"model\":\"a\"","model":"b"})");
    QTest::newRow("same") << QByteArray(R"({"model":"claude-opus-4-8"})")
                          << QStringLiteral("claude-opus-4-8")
                          << QByteArray(R"({"model":"claude-opus-4-8"})");
}

void TestModelRewrite::apply()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, upstreamModel);
    QFETCH(QByteArray, expected);

    ensureJsonPadding(body);
    QString error;
    const auto view = ResponsesRequestView::parse(body, &error);
    QVERIFY2(view, qPrintable(error));
    const QByteArray rewritten = ModelRewrite::apply(body, view->modelToken, upstreamModel);
    QCOMPARE(rewritten, expected);

    // The result names the upstream model to any reader.
    const auto reread = MessagesRequestView::parse(rewritten, &error);
    QVERIFY2(reread, qPrintable(error));
    QCOMPARE(reread->model, upstreamModel);
}

void TestModelRewrite::sameModelSharesTheBody()
{
    QByteArray body = R"({"model":"claude-haiku-4-5","messages":[],"max_tokens":5})";
    ensureJsonPadding(body);
    const auto view = MessagesRequestView::parse(body, nullptr);
    QVERIFY(view);
    const QByteArray same = ModelRewrite::apply(body, view->modelToken, view->model);
    QCOMPARE(same.constData(), body.constData()); // not a copy
    QByteArray escaped = R"({"model":"claude\u002dhaiku","messages":[]})";
    ensureJsonPadding(escaped);
    const auto escapedView = MessagesRequestView::parse(escaped, nullptr);
    QVERIFY(escapedView);
    QCOMPARE(ModelRewrite::apply(escaped, escapedView->modelToken, u"claude-haiku").constData(),
             escaped.constData());
    const QByteArray renamed = ModelRewrite::apply(body, view->modelToken, u"claude-haiku-4-6");
    QVERIFY(renamed.constData() != body.constData());
}

void TestModelRewrite::addToCombinesWithOtherEdits()
{
    const QByteArray body = R"({"model":"a","stream":true})";
    BodySplice splice;
    ModelRewrite::addTo(splice, body, {9, 3}, u"bb");
    splice.insert(1, QByteArrayLiteral("\"x\":1,"));
    QCOMPARE(splice.apply(body), QByteArray(R"({"x":1,"model":"bb","stream":true})"));

    BodySplice untouched;
    ModelRewrite::addTo(untouched, body, {9, 3}, u"a");
    QVERIFY(untouched.isEmpty());
}

void TestModelRewrite::rangeOutsideTheBodyIsRefused()
{
    const QByteArray body = R"({"model":"a"})";
    QVERIFY(ModelRewrite::apply(body, {10, 20}, u"b").isNull());
}

QTEST_GUILESS_MAIN(TestModelRewrite)
#include "tst_modelrewrite.moc"
