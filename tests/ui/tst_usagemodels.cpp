// The usage view's values and models without a gateway: cost text that never says $0 for
// unpriced requests, chart series with every bucket of the window and the smaller keys folded
// into "other", the top-N ranking (QAbstractItemModelTester on it), and the stacked chart
// drawing exactly the series' values.
#include "common/consolestyle.h"
#include "usage/usagechart.h"
#include "usage/usagerankingmodel.h"
#include "usage/usageseries.h"
#include "usage/usagetotals.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCategoryAxis>
#include <QChart>
#include <QDateTime>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kMinute = 60'000;
constexpr qint64 kT0 = 29'833'333 * kMinute; // a minute boundary in 2026

QJsonObject group(const QString &key, qint64 bucketStartMs, qint64 requests, qint64 costMicros,
                  qint64 unpriced, qint64 tokens)
{
    QJsonObject object{{u"key"_s, key},
                       {u"requests"_s, requests},
                       {u"errors"_s, 0},
                       {u"promptTokens"_s, tokens / 2},
                       {u"completionTokens"_s, tokens - tokens / 2},
                       {u"totalTokens"_s, tokens},
                       {u"costMicros"_s, costMicros},
                       {u"pricedRequests"_s, requests - unpriced},
                       {u"unpricedRequests"_s, unpriced}};
    if (bucketStartMs >= 0)
        object.insert(u"bucketStartMs"_s, bucketStartMs);
    return object;
}

QJsonObject summary(const QJsonArray &groups)
{
    UsageTotals totals;
    for (const QJsonValue &value : groups)
        totals.add(UsageTotals::fromJson(value.toObject()));
    QJsonObject json{{u"requests"_s, totals.requests},
                     {u"totalTokens"_s, totals.totalTokens},
                     {u"costMicros"_s, totals.costMicros},
                     {u"pricedRequests"_s, totals.pricedRequests},
                     {u"unpricedRequests"_s, totals.unpricedRequests}};
    return {{u"groups"_s, groups}, {u"totals"_s, json}, {u"truncated"_s, false}};
}

} // namespace

class TestUsageModels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { ConsoleStyle::apply(*qApp); }

    void costText_data()
    {
        QTest::addColumn<qint64>("requests");
        QTest::addColumn<qint64>("costMicros");
        QTest::addColumn<qint64>("unpriced");
        QTest::addColumn<QString>("text");
        QTest::newRow("priced") << 3LL << 1'200'000LL << 0LL << u"$1.20"_s;
        QTest::newRow("mixed") << 5LL << 1'200'000LL << 3LL << u"$1.20 + 3 unpriced"_s;
        QTest::newRow("all unpriced") << 3LL << 0LL << 3LL << u"3 unpriced"_s;
        QTest::newRow("priced at zero") << 2LL << 0LL << 0LL << u"$0.00"_s;
        QTest::newRow("nothing") << 0LL << 0LL << 0LL << u"–"_s;
    }

    void costText()
    {
        QFETCH(qint64, requests);
        QFETCH(qint64, costMicros);
        QFETCH(qint64, unpriced);
        QFETCH(QString, text);
        UsageTotals totals;
        totals.requests = requests;
        totals.costMicros = costMicros;
        totals.unpricedRequests = unpriced;
        totals.pricedRequests = requests - unpriced;
        QCOMPARE(totals.costText(), text);
    }

    void seriesFillsEveryBucketAndFolds()
    {
        // Five keys over a 10-minute window; the chart keeps three lines: two and "other".
        const QJsonArray groups{group(u"big"_s, kT0, 2, 900, 0, 100),
                                group(u"big"_s, kT0 + 4 * kMinute, 1, 100, 0, 50),
                                group(u"mid"_s, kT0 + kMinute, 1, 500, 0, 10),
                                group(u"small"_s, kT0 + kMinute, 1, 20, 0, 5),
                                group(u"mystery"_s, kT0 + 9 * kMinute, 4, 0, 4, 4000),
                                group(u"tiny"_s, kT0 + 9 * kMinute, 1, 1, 0, 1)};
        const UsageSeries series =
            UsageSeries::fromSummary(summary(groups), kT0 + 30'000, kT0 + 10 * kMinute, kMinute, 3);
        QCOMPARE(series.bucketStarts.size(), 10);
        QCOMPARE(series.bucketStarts.first(), kT0);
        QCOMPARE(series.lines.size(), 3);
        QCOMPARE(series.lines.at(0).key, u"big"_s);
        QCOMPARE(series.lines.at(0).costMicros, (QList<qint64>{900, 0, 0, 0, 100, 0, 0, 0, 0, 0}));
        QCOMPARE(series.lines.at(1).key, u"mid"_s);
        QVERIFY(series.lines.at(2).other);
        QCOMPARE(series.lines.at(2).totals.requests, 1 + 4 + 1);
        QCOMPARE(series.lines.at(2).totals.unpricedRequests, 4);
        QCOMPARE(series.lines.at(2).tokens.at(9), 4001);
        qint64 cost = 0;
        qint64 tokens = 0;
        for (const UsageSeries::Line &line : series.lines) {
            for (qsizetype b = 0; b < series.bucketStarts.size(); ++b) {
                cost += line.costMicros.at(b);
                tokens += line.tokens.at(b);
            }
        }
        QCOMPARE(cost, series.totals.costMicros);
        QCOMPARE(tokens, series.totals.totalTokens);
    }

    void chartDrawsTheSeries()
    {
        const QJsonArray groups{group(u"fast"_s, kT0, 2, 1'250, 0, 300),
                                group(u"mystery"_s, kT0, 3, 0, 3, 30'000),
                                group(u"fast"_s, kT0 + 2 * kMinute, 1, 625, 0, 150)};
        const UsageSeries series =
            UsageSeries::fromSummary(summary(groups), kT0, kT0 + 3 * kMinute, kMinute, 8);
        UsageChart spend(UsageChart::Metric::Spend);
        UsageChart tokens(UsageChart::Metric::Tokens);
        spend.setSeries(UsageSeries(), u"HH:mm"_s, kMinute); // an empty range first, as in the view
        spend.setSeries(series, u"HH:mm"_s, kMinute);
        tokens.setSeries(series, u"HH:mm"_s, kMinute);
        // The time axis is labelled at every round minute of the window, its ends included.
        auto *time = qobject_cast<QCategoryAxis *>(spend.chart()->axes(Qt::Horizontal).value(0));
        QVERIFY(time);
        QCOMPARE(time->categoriesLabels().size(), 4);
        QCOMPARE(time->categoriesLabels().first(),
                 QDateTime::fromMSecsSinceEpoch(kT0).toString(u"HH:mm"_s));
        QCOMPARE(spend.chart()->series().size(), 2);
        for (qsizetype line = 0; line < series.lines.size(); ++line) {
            for (qsizetype b = 0; b < 3; ++b) {
                QCOMPARE(qRound64(spend.value(line, b) * 1e6),
                         series.lines.at(line).costMicros.at(b));
                QCOMPARE(qRound64(tokens.value(line, b)), series.lines.at(line).tokens.at(b));
            }
        }
        // The unpriced model has no spend to draw: hidden in the spend chart, shown in tokens.
        QCOMPARE(series.lines.at(1).key, u"mystery"_s);
        QVERIFY(!spend.chart()->series().at(1)->isVisible());
        QVERIFY(tokens.chart()->series().at(1)->isVisible());
    }

    void rankingOrdersBySpend()
    {
        UsageRankingModel model(u"Model"_s, u"(no model)"_s);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QJsonArray groups{
            group(u"cheap"_s, -1, 10, 100, 0, 1000), group(u"mystery"_s, -1, 4, 0, 4, 9000),
            group(u"dear"_s, -1, 1, 1'200'000, 0, 10), group(QString(), -1, 2, 0, 2, 0)};
        for (int i = 0; i < 12; ++i)
            groups.append(group(u"m%1"_s.arg(i), -1, 1, 1, 0, 1));
        model.setGroups(groups);
        QCOMPARE(model.rowCount(), UsageRankingModel::kLimit);
        QCOMPARE(model.key(0), u"dear"_s);
        QCOMPARE(model.key(1), u"cheap"_s);
        QCOMPARE(model.index(0, UsageRankingModel::Cost).data().toString(), u"$1.20"_s);
        model.setGroups({group(u"mystery"_s, -1, 4, 0, 4, 9000), group(QString(), -1, 2, 0, 2, 0)});
        QCOMPARE(model.index(0, UsageRankingModel::Name).data().toString(), u"mystery"_s);
        QCOMPARE(model.index(0, UsageRankingModel::Cost).data().toString(), u"4 unpriced"_s);
        QCOMPARE(model.index(0, UsageRankingModel::Tokens).data().toString(), u"9,000"_s);
        QCOMPARE(model.index(1, UsageRankingModel::Name).data().toString(), u"(no model)"_s);
        QCOMPARE(model.index(0, UsageRankingModel::Cost)
                     .data(Qt::TextAlignmentRole)
                     .value<Qt::Alignment>(),
                 Qt::AlignRight | Qt::AlignVCenter);
    }
};

QTEST_MAIN(TestUsageModels)
#include "tst_usagemodels.moc"
