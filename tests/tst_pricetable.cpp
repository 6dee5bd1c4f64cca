#include "ledger/pricetable.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 none = -1;

qint64 orNone(const std::optional<qint64> &part)
{
    return part.value_or(none);
}
} // namespace

class TestPriceTable : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bundledTableParses();
    void bundledLookups_data();
    void bundledLookups();
    void dateSuffixFallsBack_data();
    void dateSuffixFallsBack();
    void unknownModelIsUnpriced_data();
    void unknownModelIsUnpriced();
    void overrideWins();
    void parsePrice_data();
    void parsePrice();
    void loadRejectsBadTables_data();
    void loadRejectsBadTables();
    void loadedFileNamesItsSource();
};

void TestPriceTable::bundledTableParses()
{
    PriceTable table;
    QString error;
    QVERIFY2(table.load(PriceTable::bundledFile(), &error), qPrintable(error));
    QVERIFY(!table.asOf().isEmpty());
    QVERIFY(table.listedModels().size() >= 30);
    // A listed model without input or output would price every call as unpriced.
    for (const QString &model : table.listedModels()) {
        const std::optional<Price> price = table.find(model);
        QVERIFY2(price && price->input && price->output, qPrintable(model));
        QCOMPARE(price->source, u"bundled:"_s + table.asOf());
    }
}

void TestPriceTable::bundledLookups_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<qint64>("input");
    QTest::addColumn<qint64>("output");
    QTest::addColumn<qint64>("cacheRead");
    QTest::addColumn<qint64>("cacheWrite");

    QTest::newRow("gpt-4o") << u"gpt-4o"_s << 2'500'000LL << 10'000'000LL << 1'250'000LL << none;
    QTest::newRow("gpt-4.1-nano") << u"gpt-4.1-nano"_s << 100'000LL << 400'000LL << 25'000LL
                                  << none;
    QTest::newRow("gpt-5.4-mini") << u"gpt-5.4-mini"_s << 750'000LL << 4'500'000LL << 75'000LL
                                  << none;
    QTest::newRow("gpt-5.5-pro has no cache part")
        << u"gpt-5.5-pro"_s << 30'000'000LL << 180'000'000LL << none << none;
    QTest::newRow("gpt-6.1-sol") << u"gpt-6.1-sol"_s << 2'000'000LL << 10'000'000LL << 100'000LL
                                 << none;
    QTest::newRow("gpt-6-luna") << u"gpt-6-luna"_s << 100'000LL << 500'000LL << 10'000LL << none;
    QTest::newRow("gpt-5-codex (Codex CLI)")
        << u"gpt-5-codex"_s << 1'250'000LL << 10'000'000LL << 125'000LL << none;
    QTest::newRow("o4-mini") << u"o4-mini"_s << 1'100'000LL << 4'400'000LL << 275'000LL << none;
    QTest::newRow("claude-opus-4-8")
        << u"claude-opus-4-8"_s << 5'000'000LL << 25'000'000LL << 500'000LL << 6'250'000LL;
    QTest::newRow("claude-sonnet-4-5")
        << u"claude-sonnet-4-5"_s << 3'000'000LL << 15'000'000LL << 300'000LL << 3'750'000LL;
    QTest::newRow("claude-haiku-4-5")
        << u"claude-haiku-4-5"_s << 1'000'000LL << 5'000'000LL << 100'000LL << 1'250'000LL;
}

void TestPriceTable::bundledLookups()
{
    QFETCH(QString, model);
    QFETCH(qint64, input);
    QFETCH(qint64, output);
    QFETCH(qint64, cacheRead);
    QFETCH(qint64, cacheWrite);

    const PriceTable table = PriceTable::bundled();
    const std::optional<Price> price = table.find(model);
    QVERIFY(price);
    QCOMPARE(orNone(price->input), input);
    QCOMPARE(orNone(price->output), output);
    QCOMPARE(orNone(price->cacheRead), cacheRead);
    QCOMPARE(orNone(price->cacheWrite), cacheWrite);
    QVERIFY(price->source.startsWith(u"bundled:"));
}

void TestPriceTable::dateSuffixFallsBack_data()
{
    QTest::addColumn<QString>("requested");
    QTest::addColumn<qint64>("input");

    QTest::newRow("anthropic compact date") << u"claude-haiku-4-5-20251001"_s << 1'000'000LL;
    QTest::newRow("anthropic opus 4") << u"claude-opus-4-20250514"_s << 15'000'000LL;
    QTest::newRow("openai iso date") << u"gpt-4.1-2025-04-14"_s << 2'000'000LL;
    QTest::newRow("openai gpt-4o snapshot") << u"gpt-4o-2024-08-06"_s << 2'500'000LL;
    // A snapshot listed under its own name keeps its own price: exact match comes first.
    QTest::newRow("listed snapshot") << u"gpt-4o-2024-05-13"_s << 5'000'000LL;
}

void TestPriceTable::dateSuffixFallsBack()
{
    QFETCH(QString, requested);
    QFETCH(qint64, input);

    const std::optional<Price> price = PriceTable::bundled().find(requested);
    QVERIFY(price);
    QCOMPARE(orNone(price->input), input);
}

void TestPriceTable::unknownModelIsUnpriced_data()
{
    QTest::addColumn<QString>("model");

    QTest::newRow("empty") << QString();
    QTest::newRow("unknown family") << u"llama-3.3-70b"_s;
    QTest::newRow("prefix of a listed name") << u"claude-opus"_s;
    QTest::newRow("listed name plus a suffix") << u"gpt-4o-experimental"_s;
    QTest::newRow("suffix that is not a date") << u"claude-sonnet-4-5-latest"_s;
    QTest::newRow("short date") << u"gpt-4o-2024-08"_s;
    QTest::newRow("date not at the end") << u"claude-haiku-4-5-20251001-fast"_s;
    QTest::newRow("seven digits") << u"claude-haiku-4-5-2025100"_s;
}

void TestPriceTable::unknownModelIsUnpriced()
{
    QFETCH(QString, model);
    QVERIFY(!PriceTable::bundled().find(model));
}

void TestPriceTable::overrideWins()
{
    Price cheap;
    cheap.input = 1;
    cheap.output = 2;
    Price local;
    local.input = 0;
    local.output = 0;
    local.source = u"config:local"_s;

    const PriceTable table =
        PriceTable::bundled({{u"gpt-4o"_s, cheap}, {u"my-local-model"_s, local}});

    const std::optional<Price> exact = table.find(u"gpt-4o"_s);
    QVERIFY(exact);
    QCOMPARE(orNone(exact->input), 1);
    QCOMPARE(orNone(exact->cacheRead), none); // the override replaces the whole price
    QCOMPARE(exact->source, u"config"_s);

    const std::optional<Price> dated = table.find(u"gpt-4o-2024-11-20"_s);
    QVERIFY(dated);
    QCOMPARE(orNone(dated->input), 1);

    const std::optional<Price> extra = table.find(u"my-local-model"_s);
    QVERIFY(extra);
    QCOMPARE(extra->source, u"config:local"_s);

    const std::optional<Price> untouched = table.find(u"gpt-4o-mini"_s);
    QVERIFY(untouched);
    QCOMPARE(orNone(untouched->input), 150'000);
}

void TestPriceTable::parsePrice_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("input");
    QTest::addColumn<qint64>("cacheRead");

    QTest::newRow("dollars") << QByteArray(R"({"input": 2.5, "output": 10})") << true << 2'500'000LL
                             << none;
    QTest::newRow("fraction of a cent")
        << QByteArray(R"({"input": 0.075, "cacheRead": 0.005})") << true << 75'000LL << 5'000LL;
    QTest::newRow("rounds to the nearest micro")
        << QByteArray(R"({"input": 0.0000016})") << true << 2LL << none;
    QTest::newRow("zero is a price") << QByteArray(R"({"input": 0})") << true << 0LL << none;
    QTest::newRow("all parts optional") << QByteArray("{}") << true << none << none;
    QTest::newRow("negative") << QByteArray(R"({"input": -1})") << false << none << none;
    QTest::newRow("string") << QByteArray(R"({"input": "2.5"})") << false << none << none;
    QTest::newRow("null") << QByteArray(R"({"cacheRead": null})") << false << none << none;
    QTest::newRow("unknown part") << QByteArray(R"({"cache_read": 1})") << false << none << none;
    QTest::newRow("absurdly large") << QByteArray(R"({"output": 1e15})") << false << none << none;
}

void TestPriceTable::parsePrice()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, valid);
    QFETCH(qint64, input);
    QFETCH(qint64, cacheRead);

    QString error;
    const std::optional<Price> price =
        PriceTable::parsePrice(QJsonDocument::fromJson(json).object(), &error);
    QCOMPARE(price.has_value(), valid);
    if (!valid) {
        QVERIFY(!error.isEmpty());
        return;
    }
    QCOMPARE(orNone(price->input), input);
    QCOMPARE(orNone(price->cacheRead), cacheRead);
}

void TestPriceTable::loadRejectsBadTables_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("mentions");

    QTest::newRow("not json") << QByteArray("{") << u"offset"_s;
    QTest::newRow("no date") << QByteArray(R"({"models": {}})") << u"asOf"_s;
    QTest::newRow("models not an object")
        << QByteArray(R"({"asOf": "2026-01-01", "models": []})") << u"models"_s;
    QTest::newRow("model not an object")
        << QByteArray(R"({"asOf": "2026-01-01", "models": {"m1": 3}})") << u"m1"_s;
    QTest::newRow("bad part") << QByteArray(
                                     R"({"asOf": "2026-01-01", "models": {"m2": {"input": -3}}})")
                              << u"m2"_s;
}

void TestPriceTable::loadRejectsBadTables()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, mentions);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"prices.json"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(json);
    file.close();

    PriceTable table = PriceTable::bundled();
    QString error;
    QVERIFY(!table.load(path, &error));
    QVERIFY2(error.contains(mentions), qPrintable(error));
    // A failed load leaves the previous table in place.
    QVERIFY(table.find(u"gpt-4o"_s));
}

void TestPriceTable::loadedFileNamesItsSource()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"team-prices.json"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"asOf": "2026-02-03", "models": {"m": {"input": 1, "output": 2}}})");
    file.close();

    PriceTable table;
    QString error;
    QVERIFY2(table.load(path, &error), qPrintable(error));
    const std::optional<Price> price = table.find(u"m"_s);
    QVERIFY(price);
    QCOMPARE(price->source, u"team-prices.json:2026-02-03"_s);
    QCOMPARE(orNone(price->output), 2'000'000);
    QVERIFY(!table.find(u"gpt-4o"_s)); // the file replaced the listed table
}

QTEST_GUILESS_MAIN(TestPriceTable)
#include "tst_pricetable.moc"
