#include "simulator/simulationdirective.h"

#include <QTest>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(std::optional<int>)

// The [[sim ...]] grammar: what is read, what is ignored.
class TestSimulationDirective : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyKey();
    void intKeys_data();
    void intKeys();
    void tokensPerSecond_data();
    void tokensPerSecond();
    void noDirective();
};

void TestSimulationDirective::everyKey()
{
    const SimulationDirective d = SimulationDirective::parse(
        u"Please answer. [[sim status=429 header_delay_ms=10 first_token_ms=20 tps=30 tokens=40 "
        u"cut_after=5 garble_after=6 stall_after=7 stall_ms=80 cached=90 reasoning=100 "
        u"cache_write=110 error_after=12]] Thanks"_s);
    QCOMPARE(d.status, 429);
    QCOMPARE(d.headerDelayMs, 10);
    QCOMPARE(d.firstTokenMs, 20);
    QCOMPARE(d.tokensPerSecond, 30.0);
    QCOMPARE(d.tokens, 40);
    QCOMPARE(d.cutAfter, 5);
    QCOMPARE(d.garbleAfter, 6);
    QCOMPARE(d.stallAfter, 7);
    QCOMPARE(d.stallMs, 80);
    QCOMPARE(d.cached, 90);
    QCOMPARE(d.reasoning, 100);
    QCOMPARE(d.cacheWrite, 110);
    QCOMPARE(d.errorAfter, 12);
}

void TestSimulationDirective::intKeys_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<std::optional<int>>("tokens");
    QTest::addColumn<std::optional<int>>("status");

    const std::optional<int> none;
    QTest::newRow("plain") << u"[[sim tokens=7]]"_s << std::optional(7) << none;
    QTest::newRow("inside text") << u"abc [[sim tokens=7]] def"_s << std::optional(7) << none;
    QTest::newRow("newlines and tabs")
        << u"[[sim\ntokens=7\tstatus=500\n]]"_s << std::optional(7) << std::optional(500);
    QTest::newRow("unknown keys ignored")
        << u"[[sim colour=red tokens=7 x]]"_s << std::optional(7) << none;
    QTest::newRow("later wins") << u"[[sim tokens=7]] [[sim tokens=9]]"_s << std::optional(9)
                                << none;
    QTest::newRow("merged") << u"[[sim tokens=7]] [[sim status=503]]"_s << std::optional(7)
                            << std::optional(503);
    QTest::newRow("not a number") << u"[[sim tokens=seven status=5x0]]"_s << none << none;
    QTest::newRow("negative") << u"[[sim tokens=-3]]"_s << none << none;
    QTest::newRow("explicit plus") << u"[[sim tokens=+3]]"_s << none << none;
    QTest::newRow("empty value") << u"[[sim tokens=]]"_s << none << none;
    QTest::newRow("status out of range")
        << u"[[sim status=200 tokens=1]]"_s << std::optional(1) << none;
    QTest::newRow("status 600") << u"[[sim status=600]]"_s << none << none;
    QTest::newRow("zero") << u"[[sim tokens=0]]"_s << std::optional(0) << none;
    QTest::newRow("unterminated") << u"[[sim tokens=7"_s << none << none;
    QTest::newRow("other keyword") << u"[[simulate tokens=7]]"_s << none << none;
    QTest::newRow("keyword then real")
        << u"[[simx tokens=1]] [[sim tokens=2]]"_s << std::optional(2) << none;
    QTest::newRow("upper-case key") << u"[[sim TOKENS=7]]"_s << none << none;
    QTest::newRow("empty directive") << u"[[sim]]"_s << none << none;
}

void TestSimulationDirective::intKeys()
{
    QFETCH(QString, text);
    QFETCH(std::optional<int>, tokens);
    QFETCH(std::optional<int>, status);
    const SimulationDirective d = SimulationDirective::parse(text);
    QCOMPARE(d.tokens, tokens);
    QCOMPARE(d.status, status);
}

void TestSimulationDirective::tokensPerSecond_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<double>("expected"); // -1: not set

    QTest::newRow("integer") << u"[[sim tps=50]]"_s << 50.0;
    QTest::newRow("fraction") << u"[[sim tps=2.5]]"_s << 2.5;
    QTest::newRow("zero") << u"[[sim tps=0]]"_s << 0.0;
    QTest::newRow("infinity") << u"[[sim tps=inf]]"_s << -1.0;
    QTest::newRow("exponent") << u"[[sim tps=1e3]]"_s << -1.0;
    QTest::newRow("negative") << u"[[sim tps=-4]]"_s << -1.0;
}

void TestSimulationDirective::tokensPerSecond()
{
    QFETCH(QString, text);
    QFETCH(double, expected);
    const SimulationDirective d = SimulationDirective::parse(text);
    if (expected < 0)
        QVERIFY(!d.tokensPerSecond);
    else
        QCOMPARE(d.tokensPerSecond, expected);
}

void TestSimulationDirective::noDirective()
{
    const SimulationDirective d = SimulationDirective::parse(u"status=500 tokens=3 [sim tps=1]"_s);
    QVERIFY(!d.status);
    QVERIFY(!d.tokens);
    QVERIFY(!d.tokensPerSecond);
    QVERIFY(!d.headerDelayMs);
}

QTEST_GUILESS_MAIN(TestSimulationDirective)
#include "tst_simulationdirective.moc"
