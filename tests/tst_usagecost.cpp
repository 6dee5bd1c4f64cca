#include "ledger/usagecost.h"

#include <QTest>

#include <limits>

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 none = -1;
constexpr qint64 int64Max = std::numeric_limits<qint64>::max();

std::optional<qint64> part(qint64 micros)
{
    return micros == none ? std::nullopt : std::optional<qint64>(micros);
}
} // namespace

class TestUsageCost : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void compute_data();
    void compute();
    void noPriceIsUnpriced();
};

void TestUsageCost::compute_data()
{
    QTest::addColumn<qint64>("prompt");
    QTest::addColumn<qint64>("cached");
    QTest::addColumn<qint64>("cacheWrite");
    QTest::addColumn<qint64>("completion");
    QTest::addColumn<qint64>("reasoning");
    QTest::addColumn<qint64>("inputPrice");
    QTest::addColumn<qint64>("outputPrice");
    QTest::addColumn<qint64>("cacheReadPrice");
    QTest::addColumn<qint64>("cacheWritePrice");
    QTest::addColumn<qint64>("expected"); // micro-dollars, or none for unpriced

    // 1000 x $2.50 + 500 x $10 per Mtok = $0.0075
    QTest::newRow("input and output") << 1000LL << 0LL << 0LL << 500LL << 0LL << 2'500'000LL
                                      << 10'000'000LL << none << none << 7'500LL;
    // 600 uncached x $2.50 + 400 cached x $1.25
    QTest::newRow("cached input") << 1000LL << 400LL << 0LL << 0LL << 0LL << 2'500'000LL
                                  << 10'000'000LL << 1'250'000LL << none << 2'000LL;
    // 1000 x $3 + 5000 x $0.30 + 4000 x $3.75 + 200 x $15
    QTest::newRow("anthropic cache write and read")
        << 10'000LL << 5'000LL << 4'000LL << 200LL << 0LL << 3'000'000LL << 15'000'000LL
        << 300'000LL << 3'750'000LL << 22'500LL;
    // Reasoning is part of the completion count; it is not billed twice.
    QTest::newRow("reasoning inside output") << 0LL << 0LL << 0LL << 500LL << 300LL << 2'000'000LL
                                             << 8'000'000LL << none << none << 4'000LL;
    QTest::newRow("half rounds up")
        << 1LL << 0LL << 0LL << 0LL << 0LL << 2'500'000LL << 1LL << none << none << 3LL;
    QTest::newRow("exactly half rounds up")
        << 1LL << 0LL << 0LL << 0LL << 0LL << 500'000LL << 1LL << none << none << 1LL;
    QTest::newRow("below half rounds down")
        << 1LL << 0LL << 0LL << 0LL << 0LL << 499'999LL << 1LL << none << none << 0LL;
    // 0.4 + 0.4 micros: rounding each part would give 0, the sum is divided once.
    QTest::newRow("divided once") << 1LL << 0LL << 0LL << 1LL << 0LL << 400'000LL << 400'000LL
                                  << none << none << 1LL;
    // 4e12 x 75e6 and 2e12 x 75e6 overflow 64 bits before the division.
    QTest::newRow("huge counts") << 4'000'000'000'000LL << 0LL << 0LL << 2'000'000'000'000LL << 0LL
                                 << 75'000'000LL << 75'000'000LL << none << none
                                 << 450'000'000'000'000LL;
    QTest::newRow("largest counts and prices") << int64Max << 0LL << 0LL << int64Max << 0LL
                                               << int64Max << int64Max << none << none << none;
    QTest::newRow("zero usage costs zero")
        << 0LL << 0LL << 0LL << 0LL << 0LL << 2'500'000LL << 10'000'000LL << none << none << 0LL;
    QTest::newRow("free model") << 1000LL << 0LL << 0LL << 1000LL << 0LL << 0LL << 0LL << none
                                << none << 0LL;
    QTest::newRow("cached tokens without a cache price")
        << 1000LL << 100LL << 0LL << 10LL << 0LL << 2'500'000LL << 10'000'000LL << none << none
        << none;
    QTest::newRow("cache writes without a write price")
        << 1000LL << 0LL << 100LL << 10LL << 0LL << 3'000'000LL << 15'000'000LL << 300'000LL << none
        << none;
    QTest::newRow("output without an output price")
        << 1000LL << 0LL << 0LL << 10LL << 0LL << 3'000'000LL << none << none << none << none;
    QTest::newRow("missing part unused")
        << 1000LL << 0LL << 0LL << 0LL << 0LL << 3'000'000LL << none << none << none << 3'000LL;
    QTest::newRow("cached above prompt")
        << 100LL << 200LL << 0LL << 0LL << 0LL << 1LL << 1LL << 1LL << 1LL << none;
}

void TestUsageCost::compute()
{
    QFETCH(qint64, prompt);
    QFETCH(qint64, cached);
    QFETCH(qint64, cacheWrite);
    QFETCH(qint64, completion);
    QFETCH(qint64, reasoning);
    QFETCH(qint64, inputPrice);
    QFETCH(qint64, outputPrice);
    QFETCH(qint64, cacheReadPrice);
    QFETCH(qint64, cacheWritePrice);
    QFETCH(qint64, expected);

    TokenUsage usage;
    usage.promptTokens = prompt;
    usage.cachedTokens = cached;
    usage.cacheWriteTokens = cacheWrite;
    usage.completionTokens = completion;
    usage.reasoningTokens = reasoning;
    usage.reported = true;

    Price price;
    price.input = part(inputPrice);
    price.output = part(outputPrice);
    price.cacheRead = part(cacheReadPrice);
    price.cacheWrite = part(cacheWritePrice);
    price.source = u"bundled:2026-11-24"_s;

    const Cost cost = UsageCost::compute(usage, price);
    QCOMPARE(cost.micros.value_or(none), expected);
    QCOMPARE(cost.source, expected == none ? u"unpriced"_s : u"bundled:2026-11-24"_s);
}

void TestUsageCost::noPriceIsUnpriced()
{
    TokenUsage usage;
    usage.promptTokens = 10;
    usage.completionTokens = 10;
    const Cost cost = UsageCost::compute(usage, std::nullopt);
    QVERIFY(!cost.micros);
    QCOMPARE(cost.source, u"unpriced"_s);

    // Even a call that used nothing is unpriced when the model is unknown: never $0.
    const Cost empty = UsageCost::compute(TokenUsage{}, std::nullopt);
    QVERIFY(!empty.micros);
    QCOMPARE(empty.source, u"unpriced"_s);
}

QTEST_GUILESS_MAIN(TestUsageCost)
#include "tst_usagecost.moc"
