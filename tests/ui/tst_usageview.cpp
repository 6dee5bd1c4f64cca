// The Usage page on a running gateway with real traffic: the chart's stacked series add up to
// the ledger's totals for every range, stacked by model and by provider; the totals header, the
// top flows, keys and models match the ledger; an unpriced model is shown as unpriced, never as
// $0; new traffic is followed; an empty range says so. QAbstractItemModelTester watches the
// ranking models. Saves screenshots.
#include "common/consolestyle.h"
#include "common/displaytext.h"
#include "common/figurecard.h"
#include "gatewayconsole.h"
#include "gatewayfixture.h"
#include "requestbodies.h"
#include "screenshot.h"
#include "usage/usagechart.h"
#include "usage/usagerankingmodel.h"
#include "usage/usageview.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QLabel>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

constexpr int kWaitMs = 15'000;
using Range = UsageView::Range;
using Stack = UsageView::Stack;

int rowOf(const UsageRankingModel *model, const QString &key)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->key(row) == key)
            return row;
    }
    return -1;
}

} // namespace

class TestUsageView : public QObject
{
    Q_OBJECT

    GatewayFixture m_fixture;
    std::unique_ptr<GatewayConsole> m_console;
    std::unique_ptr<UsageView> m_view;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> m_testers;
    int m_sent = 0;

    bool send(const QString &model, const QByteArray &bearer = {}, bool anthropic = false)
    {
        const auto response =
            anthropic
                ? m_fixture.call("POST", "/anthropic/v1/messages",
                                 RequestBodies::message(model, u"plan the migration"_s, 256),
                                 bearer)
                : m_fixture.call("POST", "/openai/v1/chat/completions",
                                 RequestBodies::chat(model, u"explain this stack trace"_s), bearer);
        if (!response)
            return false;
        ++m_sent;
        return !m_fixture.ledgerRow(*response).isEmpty();
    }
    QByteArray mintForFlow(const QString &flow, const QString &principal)
    {
        const auto opened = m_fixture.admin("POST", "/admin/v1/executions",
                                            {{u"flow"_s, flow}, {u"principal"_s, principal}});
        const QString execution = GatewayFixture::json(*opened).value(u"id"_s).toString();
        const auto minted =
            m_fixture.admin("POST", "/admin/v1/credentials",
                            {{u"execution"_s, execution}, {u"principal"_s, principal}});
        return GatewayFixture::json(*minted).value(u"token"_s).toString().toLatin1();
    }
    // The ledger's totals, grouped by a column or not at all.
    QList<QVariantMap> ledger(const QString &groupBy = {})
    {
        const QString key = groupBy.isEmpty() ? u"NULL"_s : groupBy;
        return m_fixture.ledger().query(
            u"SELECT %1 AS k, COUNT(*) AS requests, COALESCE(SUM(total_tokens), 0) AS tokens, "
            "COALESCE(SUM(cost_micros), 0) AS cost, COUNT(*) - COUNT(cost_micros) AS unpriced "
            "FROM usage%2"_s.arg(key, groupBy.isEmpty() ? QString() : u" GROUP BY "_s + key));
    }
    void waitForUpdate()
    {
        QSignalSpy updated(m_view.get(), &UsageView::updated);
        m_view->refresh();
        QVERIFY(updated.wait(kWaitMs));
    }

private Q_SLOTS:
    void initTestCase()
    {
        ConsoleStyle::apply(*qApp);
        QString error;
        QVERIFY2(m_fixture.start(&error), qPrintable(error));
        m_console = std::make_unique<GatewayConsole>(m_fixture.gateway());
        m_view = std::make_unique<UsageView>(m_console.get());
        for (QAbstractItemModel *model : std::initializer_list<QAbstractItemModel *>{
                 m_view->topModels(), m_view->topFlows(), m_view->topKeys()})
            m_testers.push_back(std::make_unique<QAbstractItemModelTester>(
                model, QAbstractItemModelTester::FailureReportingMode::QtTest));
        m_view->resize(1280, 800);
    }

    void cleanupTestCase()
    {
        m_testers.clear();
        m_view.reset();
        m_console.reset();
    }

    void emptyRangeSaysSo()
    {
        QSignalSpy updated(m_view.get(), &UsageView::updated);
        m_view->show(); // the first look reads the ledger
        QVERIFY(updated.wait(kWaitMs));
        QVERIFY(m_view->series().totals.isEmpty());
        bool shown = false;
        for (const QLabel *label : m_view->findChildren<QLabel *>())
            shown = shown || (label->isVisible() && label->text().contains(u"No traffic"_s));
        QVERIFY(shown);
        QVERIFY(!m_view->findChild<UsageChart *>(u"spendChart"_s)->isVisible());
        Screenshot::save(m_view.get(), u"usage-empty"_s);
    }

    void realTraffic()
    {
        const QByteArray nightly = mintForFlow(u"nightly-review"_s, u"codex"_s);
        const QByteArray docs = mintForFlow(u"docs-sync"_s, u"claude-code"_s);
        const auto alice = m_fixture.admin(
            "POST", "/admin/v1/keys", {{u"name"_s, u"alice-laptop"_s}, {u"account"_s, u"acme"_s}});
        const QByteArray aliceKey =
            GatewayFixture::json(*alice).value(u"key"_s).toString().toLatin1();
        QVERIFY(!nightly.isEmpty() && !docs.isEmpty() && !aliceKey.isEmpty());
        for (int i = 0; i < 6; ++i) {
            QVERIFY(send(u"fast"_s));
            QVERIFY(send(u"gpt-4o"_s, nightly));
            QVERIFY(send(u"claude-sonnet-4-5"_s, docs, true));
            QVERIFY(send(u"claude-haiku-4-5"_s, aliceKey, true));
        }
        for (int i = 0; i < 3; ++i) {
            QVERIFY(send(u"mystery"_s, nightly));
            QVERIFY(send(u"impatient-model"_s, aliceKey));
        }
        QVERIFY(send(u"down-model"_s)); // a failed call
        QCOMPARE(ledger().value(0).value(u"requests"_s).toInt(), m_sent);
    }

    void chartAddsUpToTheLedger_data()
    {
        QTest::addColumn<Range>("range");
        QTest::addColumn<Stack>("stack");
        QTest::addColumn<qint64>("bucketMs");
        QTest::addColumn<QString>("column");
        const qint64 minute = 60'000;
        QTest::newRow("1 h by model")
            << Range::LastHour << Stack::Model << minute << u"model_alias"_s;
        QTest::newRow("24 h by model")
            << Range::LastDay << Stack::Model << 60 * minute << u"model_alias"_s;
        QTest::newRow("7 d by provider")
            << Range::LastWeek << Stack::Provider << 60 * minute << u"provider"_s;
        QTest::newRow("30 d by provider")
            << Range::LastMonth << Stack::Provider << 24 * 60 * minute << u"provider"_s;
    }

    void chartAddsUpToTheLedger()
    {
        QFETCH(Range, range);
        QFETCH(Stack, stack);
        QFETCH(qint64, bucketMs);
        QFETCH(QString, column);
        QSignalSpy updated(m_view.get(), &UsageView::updated);
        m_view->setRange(range);
        m_view->setStack(stack);
        QTRY_VERIFY_WITH_TIMEOUT(!updated.isEmpty() && m_view->range() == range &&
                                     m_view->series().totals.requests == m_sent,
                                 kWaitMs);
        waitForUpdate(); // the answer for both switches, whichever came first
        const UsageSeries &series = m_view->series();
        QCOMPARE(series.bucketMs, bucketMs);
        const qint64 window = range == Range::LastHour   ? 3'600'000
                              : range == Range::LastDay  ? 86'400'000
                              : range == Range::LastWeek ? 7 * 86'400'000LL
                                                         : 30 * 86'400'000LL;
        QVERIFY(series.bucketStarts.size() == window / bucketMs ||
                series.bucketStarts.size() == window / bucketMs + 1);

        const QVariantMap all = ledger().value(0);
        QCOMPARE(series.totals.requests, all.value(u"requests"_s).toLongLong());
        QCOMPARE(series.totals.totalTokens, all.value(u"tokens"_s).toLongLong());
        QCOMPARE(series.totals.costMicros, all.value(u"cost"_s).toLongLong());
        QCOMPARE(series.totals.unpricedRequests, all.value(u"unpriced"_s).toLongLong());

        // What the charts draw adds up to the ledger, bucket by bucket and line by line.
        const auto *spend = m_view->findChild<UsageChart *>(u"spendChart"_s);
        const auto *tokens = m_view->findChild<UsageChart *>(u"tokenChart"_s);
        QHash<QString, QVariantMap> byKey;
        for (const QVariantMap &row : ledger(column))
            byKey.insert(row.value(u"k"_s).toString(), row);
        QCOMPARE(series.lines.size(), byKey.size());
        qint64 drawnCost = 0;
        qint64 drawnTokens = 0;
        for (qsizetype line = 0; line < series.lines.size(); ++line) {
            qint64 lineCost = 0;
            qint64 lineTokens = 0;
            for (qsizetype b = 0; b < series.bucketStarts.size(); ++b) {
                lineCost += qRound64(spend->value(line, b) * 1e6);
                lineTokens += qRound64(tokens->value(line, b));
            }
            const QVariantMap expected = byKey.value(series.lines.at(line).key);
            QCOMPARE(lineCost, expected.value(u"cost"_s).toLongLong());
            QCOMPARE(lineTokens, expected.value(u"tokens"_s).toLongLong());
            drawnCost += lineCost;
            drawnTokens += lineTokens;
        }
        QCOMPARE(drawnCost, all.value(u"cost"_s).toLongLong());
        QCOMPARE(drawnTokens, all.value(u"tokens"_s).toLongLong());
    }

    void unpricedIsShownAsUnpriced()
    {
        m_view->setRange(Range::LastDay);
        m_view->setStack(Stack::Model);
        waitForUpdate();
        const QVariantMap mystery = [&] {
            for (const QVariantMap &row : ledger(u"model_alias"_s)) {
                if (row.value(u"k"_s) == u"mystery"_s)
                    return row;
            }
            return QVariantMap();
        }();
        QCOMPARE(mystery.value(u"unpriced"_s).toInt(), 3);
        const UsageRankingModel *models = m_view->topModels();
        const int row = rowOf(models, u"mystery"_s);
        QVERIFY(row >= 0);
        QCOMPARE(models->index(row, UsageRankingModel::Cost).data().toString(), u"3 unpriced"_s);
        QCOMPARE(models->index(row, UsageRankingModel::Requests).data().toString(), u"3"_s);

        const QVariantMap all = ledger().value(0);
        const QList<FigureCard *> cards = m_view->findChildren<FigureCard *>();
        QStringList figures;
        for (const FigureCard *card : cards)
            figures += card->figure() + u" / "_s + card->detail();
        QVERIFY2(figures.contains(DisplayText::money(all.value(u"cost"_s).toLongLong()) +
                                  u" / + 3 unpriced"_s),
                 qPrintable(figures.join(u"; "_s)));
        QVERIFY(figures.contains(u"3 / no price known: not in spend"_s));
        // The unpriced model has no spend line; its tokens are drawn.
        const auto *spend = m_view->findChild<UsageChart *>(u"spendChart"_s);
        const auto *tokens = m_view->findChild<UsageChart *>(u"tokenChart"_s);
        const QList<UsageSeries::Line> &lines = m_view->series().lines;
        qsizetype line = 0;
        while (line < lines.size() && lines.at(line).key != u"mystery"_s)
            ++line;
        QVERIFY(line < lines.size());
        QVERIFY(!spend->chart()->series().at(line)->isVisible());
        QVERIFY(tokens->chart()->series().at(line)->isVisible());
        const QLabel *note = nullptr;
        for (const QLabel *label : m_view->findChildren<QLabel *>()) {
            if (label->text().startsWith(u"Not in spend"_s))
                note = label;
        }
        QVERIFY(note && note->isVisible());
        QCOMPARE(note->text(), u"Not in spend: 3 unpriced (mystery)"_s);
    }

    void topFlowsAndKeysMatchTheLedger()
    {
        for (const auto &[model, column] : {std::pair{m_view->topFlows(), u"flow"_s},
                                            std::pair{m_view->topKeys(), u"api_key"_s}}) {
            const QList<QVariantMap> rows = ledger(column);
            QCOMPARE(model->rowCount(), rows.size());
            for (const QVariantMap &expected : rows) {
                const int row = rowOf(model, expected.value(u"k"_s).toString());
                QVERIFY2(row >= 0, qPrintable(expected.value(u"k"_s).toString()));
                const UsageTotals totals = model->totals(row);
                QCOMPARE(totals.requests, expected.value(u"requests"_s).toLongLong());
                QCOMPARE(totals.costMicros, expected.value(u"cost"_s).toLongLong());
                QCOMPARE(totals.totalTokens, expected.value(u"tokens"_s).toLongLong());
            }
        }
        QCOMPARE(
            m_view->topFlows()
                ->index(rowOf(m_view->topFlows(), u"nightly-review"_s), UsageRankingModel::Requests)
                .data()
                .toString(),
            u"9"_s);
        // The most spent comes first.
        const UsageRankingModel *models = m_view->topModels();
        for (int row = 1; row < models->rowCount(); ++row)
            QVERIFY(models->totals(row - 1).costMicros >= models->totals(row).costMicros);
    }

    void followsNewTraffic()
    {
        QSignalSpy updated(m_view.get(), &UsageView::updated);
        QVERIFY(send(u"fast"_s));
        QTRY_COMPARE_WITH_TIMEOUT(m_view->series().totals.requests, qint64(m_sent), kWaitMs);
        QVERIFY(!updated.isEmpty());
    }

    void screenshotsWithADaysHistory()
    {
        // More real traffic, then its start times spread back over the day (a third within the
        // last hour), so that the pictures show what an operator sees after a day's work rather
        // than one burst at the right edge. Only the times change: models, flows, keys, tokens
        // and costs are what the gateway recorded.
        const QByteArray nightly = mintForFlow(u"nightly-review"_s, u"codex"_s);
        const QByteArray docs = mintForFlow(u"docs-sync"_s, u"claude-code"_s);
        for (int i = 0; i < 24; ++i) {
            QVERIFY(send(i % 3 ? u"claude-haiku-4-5"_s : u"claude-sonnet-4-5"_s, docs, true));
            QVERIFY(send(i % 4 ? u"gpt-4o"_s : u"mystery"_s, nightly));
            QVERIFY(send(i % 2 ? u"fast"_s : u"impatient-model"_s));
        }
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"spread"_s);
            db.setDatabaseName(QDir(m_fixture.dataDir()).filePath(u"ledger.sqlite"_s));
            QVERIFY(db.open());
            QSqlQuery query(db);
            QVERIFY(query.exec(u"PRAGMA busy_timeout = 10000"_s));
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            const qint64 hour = 3'600'000;
            const QList<QVariantMap> rows =
                m_fixture.ledger().query(u"SELECT id FROM usage ORDER BY id"_s);
            QVERIFY(db.transaction());
            QVERIFY(query.prepare(u"UPDATE usage SET started_at_ms = ? WHERE id = ?"_s));
            for (qsizetype i = 0; i < rows.size(); ++i) {
                const qint64 spread = (i * 7919) % 1000;         // a fixed scatter in [0, 1000)
                const qint64 ago = i % 3 == 0 ? spread * 59 * 60 // within the last hour
                                              : hour + spread * 19 * hour / 1000;
                query.addBindValue(now - ago);
                query.addBindValue(rows.at(i).value(u"id"_s));
                QVERIFY2(query.exec(), qPrintable(query.lastError().text()));
            }
            QVERIFY(db.commit());
        }
        QSqlDatabase::removeDatabase(u"spread"_s);

        m_view->setRange(Range::LastHour);
        m_view->setStack(Stack::Model);
        waitForUpdate();
        QCOMPARE(m_view->series().totals.requests, qint64(m_sent + 2) / 3);
        Screenshot::save(m_view.get(), u"usage-1h-by-model"_s);
        m_view->setRange(Range::LastDay);
        waitForUpdate();
        QCOMPARE(m_view->series().totals.requests, qint64(m_sent));
        Screenshot::save(m_view.get(), u"usage-24h-by-model"_s);
        m_view->setStack(Stack::Provider);
        waitForUpdate();
        Screenshot::save(m_view.get(), u"usage-24h-by-provider"_s);
    }
};

QTEST_MAIN(TestUsageView)
#include "tst_usageview.moc"
