// Budgets on a controlled clock: every layer checked and reserved at once, settled at the real
// cost, released on every path, calendar periods in a time zone, thresholds, unpriced models.
#include "budget/budgetbook.h"
#include "budget/moneytext.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

Budget budget(Budget::Layer layer, const QString &subject, std::optional<qint64> micros,
              std::optional<qint64> tokens = std::nullopt,
              BudgetPeriod period = BudgetPeriod::Monthly, bool hard = true)
{
    Budget b;
    b.layer = layer;
    b.subject = subject;
    b.limitMicros = micros;
    b.limitTokens = tokens;
    b.period = period;
    b.hard = hard;
    return b;
}

BudgetCharge charge(const QString &flow = u"nightly"_s, const QString &execution = {})
{
    return BudgetCharge{u"acme"_s, {},        u"ci"_s,          flow,
                        execution, u"fast"_s, u"gpt-4o-mini"_s, u"openai"_s};
}

} // namespace

class tst_BudgetBook : public QObject
{
    Q_OBJECT

    qint64 m_now = 0;
    QList<StoreStatement> m_stored;
    QList<BudgetAlert> m_alerts;
    QList<QVariantList> m_spending; // what the fake ledger answers for a budget's period

    std::unique_ptr<BudgetBook> book(const QTimeZone &zone = QTimeZone::utc())
    {
        auto b = std::make_unique<BudgetBook>(
            [this](StoreStatement s) { m_stored.append(std::move(s)); },
            [this](const StoreStatement &) { return std::optional(m_spending); },
            [this] { return m_now; }, zone);
        b->setAlertSink([this](const BudgetAlert &alert) { m_alerts.append(alert); });
        return b;
    }
    static Budget put(BudgetBook &book, Budget b)
    {
        QString error;
        const auto stored = book.put(b, &error);
        if (!stored)
            qFatal("put failed: %s", qPrintable(error));
        return *stored;
    }

private Q_SLOTS:
    void init()
    {
        m_now = QDateTime(QDate(2026, 11, 24), QTime(12, 0), QTimeZone::utc()).toMSecsSinceEpoch();
        m_stored.clear();
        m_alerts.clear();
        m_spending.clear();
    }

    void admitsExactlyWhatFitsAndReleasesEverything()
    {
        auto b = book();
        const Budget flow = put(*b, budget(Budget::Layer::Flow, u"nightly"_s, 1000));
        QList<quint64> tickets;
        for (int i = 0; i < 10; ++i) {
            const auto admission = b->reserve(charge(), {300, 10});
            if (admission.allowed)
                tickets.append(admission.ticket);
        }
        QCOMPARE(tickets.size(), 3); // 3 x 300 <= 1000 < 4 x 300
        QCOMPARE(b->openReservations(), 3);
        b->settle(tickets.at(0), 250, 9);  // cheaper than reserved
        b->settle(tickets.at(1), 420, 14); // an overrun is charged in full
        b->release(tickets.at(2));         // never reached the provider
        b->settle(tickets.at(2), 999, 99); // a second end of the same ticket changes nothing
        QCOMPARE(b->openReservations(), 0);
        const QJsonObject status = b->status(flow);
        QCOMPARE(status.value(u"spentMicros"_s).toInteger(), 670);
        QCOMPARE(status.value(u"reservedMicros"_s).toInteger(), 0);
        QCOMPARE(status.value(u"spentTokens"_s).toInteger(), 23);
        QCOMPARE(status.value(u"remainingMicros"_s).toInteger(), 330);
        QVERIFY(b->reserve(charge(), {330, 1}).allowed);
        QVERIFY(!b->reserve(charge(), {1, 1}).allowed);
    }

    void everyLayerMustAdmitAndNothingIsReservedOnDenial()
    {
        auto b = book();
        const Budget account = put(*b, budget(Budget::Layer::Account, u"acme"_s, 10'000));
        const Budget model = put(*b, budget(Budget::Layer::Model, u"gpt-4o-mini"_s, 500));
        const Budget other = put(*b, budget(Budget::Layer::Flow, u"other"_s, 1));
        const auto first = b->reserve(charge(), {400, 1});
        QVERIFY(first.allowed);
        const auto denied = b->reserve(charge(), {200, 1});
        QVERIFY(!denied.allowed);
        QCOMPARE(denied.budgetId, model.id);
        QVERIFY2(denied.message.contains(u"model 'gpt-4o-mini'"_s) &&
                     denied.message.contains(u"limit $0.0005"_s) &&
                     denied.message.contains(u"spent $0.00"_s) &&
                     denied.message.contains(u"reserved $0.0004"_s) &&
                     denied.message.contains(u"estimate $0.0002"_s),
                 qPrintable(denied.message));
        // The account was not charged for the refused request.
        QCOMPARE(b->status(account).value(u"reservedMicros"_s).toInteger(), 400);
        QCOMPARE(b->status(other).value(u"reservedMicros"_s).toInteger(), 0);
    }

    void perRunCeilingsAreSeparate()
    {
        auto b = book();
        const Budget ceiling = put(*b, budget(Budget::Layer::Execution, u"nightly"_s, 100));
        QVERIFY(b->reserve(charge(u"nightly"_s, u"ex_1"_s), {100, 1}).allowed);
        QVERIFY(!b->reserve(charge(u"nightly"_s, u"ex_1"_s), {1, 1}).allowed);
        QVERIFY(b->reserve(charge(u"nightly"_s, u"ex_2"_s), {100, 1}).allowed);
        QVERIFY(b->reserve(charge(u"nightly"_s), {1000, 1}).allowed); // not an execution
        QCOMPARE(b->status(ceiling).value(u"usage"_s).toArray().size(), 2);
    }

    void tokenLimits()
    {
        auto b = book();
        put(*b, budget(Budget::Layer::ApiKey, u"ci"_s, std::nullopt, 100));
        const auto a = b->reserve(charge(), {std::nullopt, 60});
        QVERIFY(a.allowed); // unpriced is fine under a token budget
        const auto denied = b->reserve(charge(), {std::nullopt, 41});
        QVERIFY(!denied.allowed);
        QVERIFY2(denied.message.contains(u"limit 100 tokens, spent 0, reserved 60"_s),
                 qPrintable(denied.message));
    }

    void unpricedModelsUnderAHardUsdBudget()
    {
        auto b = book();
        Budget strict = put(*b, budget(Budget::Layer::Account, u"acme"_s, 1'000'000));
        const auto denied = b->reserve(charge(), {std::nullopt, 10});
        QVERIFY(!denied.allowed);
        QVERIFY(denied.message.contains(u"unpriced"_s));
        strict.allowUnpriced = true;
        put(*b, strict);
        const auto allowed = b->reserve(charge(), {std::nullopt, 10});
        QVERIFY(allowed.allowed);
        b->settle(allowed.ticket, std::nullopt, 10);
        QCOMPARE(b->status(strict).value(u"unpricedRequests"_s).toInteger(), 1);
        QCOMPARE(b->status(strict).value(u"spentMicros"_s).toInteger(), 0);
        // A soft budget admits unpriced traffic.
        auto soft = book();
        put(*soft, budget(Budget::Layer::Account, u"acme"_s, 1, std::nullopt, BudgetPeriod::Monthly,
                          false));
        QVERIFY(soft->reserve(charge(), {std::nullopt, 10}).allowed);
    }

    void softBudgetsAdmitAndAlertAtThresholds()
    {
        auto b = book();
        const Budget soft = put(*b, budget(Budget::Layer::Account, u"acme"_s, 1000, std::nullopt,
                                           BudgetPeriod::Daily, false));
        for (qint64 cost : {500, 300, 300, 300}) {
            const auto admission = b->reserve(charge(), {cost, 1});
            QVERIFY(admission.allowed);
            b->settle(admission.ticket, cost, 1);
        }
        QCOMPARE(m_alerts.size(), 2);
        QCOMPARE(m_alerts.at(0).percent, 80);
        QCOMPARE(m_alerts.at(1).percent, 100);
        QCOMPARE(m_alerts.at(1).budgetId, soft.id);
        QVERIFY2(m_alerts.at(1).message.contains(u"has used 110% ($0.0011 of $0.001)"_s),
                 qPrintable(m_alerts.at(1).message));
        QCOMPARE(m_alerts.at(0).kind, u"threshold"_s);
    }

    void hardBudgetAlertsOnceWhenItStartsDenying()
    {
        auto b = book();
        put(*b, budget(Budget::Layer::Account, u"acme"_s, 100));
        b->reserve(charge(), {200, 1});
        b->reserve(charge(), {200, 1});
        QCOMPARE(m_alerts.size(), 1);
        QCOMPARE(m_alerts.first().kind, u"denying"_s);
    }

    // Team mode: the shared totals' snapshot is what status() shows and what thresholds are
    // judged on; a figure that did not move changes nothing, another period's row is ignored.
    void sharedTotalsDriveStatusAndAlertsOnce()
    {
        auto b = book();
        const Budget soft = put(*b, budget(Budget::Layer::Account, u"acme"_s, 1000, std::nullopt,
                                           BudgetPeriod::Daily, false));
        const QList<qint64> starts = b->periodStarts();
        QCOMPARE(starts.size(), 1);
        const auto row = [&](qint64 spent, qint64 reserved, qint64 start) {
            return QVariantList{soft.id, QString(), start, spent, 5, reserved, 0, 1};
        };
        QVERIFY(b->applyShared({row(500, 100, starts.first())}));
        QJsonObject status = b->status(soft);
        QCOMPARE(status.value(u"spentMicros"_s).toInteger(), 500);
        QCOMPARE(status.value(u"reservedMicros"_s).toInteger(), 100);
        QCOMPARE(status.value(u"unpricedRequests"_s).toInteger(), 1);
        QVERIFY(!b->applyShared({row(500, 100, starts.first())}));
        QVERIFY(!b->applyShared({row(9000, 0, starts.first() - 86'400'000)}));
        QVERIFY(m_alerts.isEmpty());
        QVERIFY(b->applyShared({row(850, 0, starts.first())}));
        QVERIFY(b->applyShared({row(900, 0, starts.first())}));
        QCOMPARE(m_alerts.size(), 1);
        QCOMPARE(m_alerts.first().percent, 80);
        QVERIFY(b->applyShared({row(1000, 0, starts.first())}));
        QCOMPARE(m_alerts.size(), 2);
        QCOMPARE(m_alerts.last().percent, 100);
    }

    // Team mode: each layer's hold carries the ledger query that starts a new shared total.
    void holdsCarryTheirTotalsSeedFromTheLedger()
    {
        auto b = book();
        const Budget perRun = put(*b, budget(Budget::Layer::Execution, u"nightly"_s, 5000));
        QString denial;
        const auto holds = b->holdsFor(charge(u"nightly"_s, u"ex_1"_s), {300, 10}, &denial);
        QVERIFY2(holds, qPrintable(denial));
        QCOMPARE(holds->size(), 1);
        const BudgetHold &hold = holds->first();
        QCOMPARE(hold.total.budgetId, perRun.id);
        QCOMPARE(hold.total.instance, u"ex_1"_s);
        QCOMPARE(hold.limitMicros, std::optional<qint64>(5000));
        QCOMPARE(hold.micros, 300);
        QVERIFY2(hold.seed.sql.contains(u"FROM usage"_s) &&
                     hold.seed.sql.contains(u"execution_id = ?"_s),
                 qPrintable(hold.seed.sql));
        QVERIFY(hold.seed.values.contains(u"nightly"_s));
        QCOMPARE(hold.seed.values.last().toString(), u"ex_1"_s);
    }

    void periodsRollOverOnTheCalendarOfTheirTimeZone()
    {
        const QTimeZone berlin("Europe/Berlin");
        auto b = book(berlin);
        const Budget daily = put(
            *b, budget(Budget::Layer::Account, u"acme"_s, 100, std::nullopt, BudgetPeriod::Daily));
        // 23:59:59.999 in Berlin on 24 November.
        m_now = QDateTime(QDate(2026, 11, 24), QTime(23, 59, 59, 999), berlin).toMSecsSinceEpoch();
        const auto late = b->reserve(charge(), {100, 1});
        QVERIFY(late.allowed);
        QVERIFY(!b->reserve(charge(), {1, 1}).allowed);
        QVERIFY(
            b->status(daily).value(u"periodEnd"_s).toString().startsWith(u"2026-11-25T00:00:00"_s));
        m_now += 1; // midnight in Berlin: a new day, a new budget
        const auto fresh = b->reserve(charge(), {100, 1});
        QVERIFY(fresh.allowed);
        // The old period's request settles into the old period, not the new one.
        b->settle(late.ticket, 100, 1);
        QCOMPARE(b->status(daily).value(u"spentMicros"_s).toInteger(), 0);
        QCOMPARE(b->status(daily).value(u"reservedMicros"_s).toInteger(), 100);
        b->settle(fresh.ticket, 40, 1);
        QCOMPARE(b->status(daily).value(u"spentMicros"_s).toInteger(), 40);
        QCOMPARE(b->openReservations(), 0);
    }

    void calendarWindows_data()
    {
        QTest::addColumn<int>("period");
        QTest::addColumn<QDateTime>("now");
        QTest::addColumn<QDateTime>("start");
        QTest::addColumn<QDateTime>("end");
        const QTimeZone berlin("Europe/Berlin");
        QTest::newRow("monthly") << int(BudgetPeriod::Monthly)
                                 << QDateTime(QDate(2026, 2, 14), QTime(10, 0), berlin)
                                 << QDateTime(QDate(2026, 2, 1), QTime(0, 0), berlin)
                                 << QDateTime(QDate(2026, 3, 1), QTime(0, 0), berlin);
        QTest::newRow("weekly from Monday")
            << int(BudgetPeriod::Weekly) << QDateTime(QDate(2026, 11, 29), QTime(23, 0), berlin)
            << QDateTime(QDate(2026, 11, 23), QTime(0, 0), berlin)
            << QDateTime(QDate(2026, 11, 30), QTime(0, 0), berlin);
        QTest::newRow("a 23-hour day (DST starts)")
            << int(BudgetPeriod::Daily) << QDateTime(QDate(2026, 3, 29), QTime(12, 0), berlin)
            << QDateTime(QDate(2026, 3, 29), QTime(0, 0), berlin)
            << QDateTime(QDate(2026, 3, 30), QTime(0, 0), berlin);
    }
    void calendarWindows()
    {
        QFETCH(int, period);
        QFETCH(QDateTime, now);
        QFETCH(QDateTime, start);
        QFETCH(QDateTime, end);
        const PeriodWindow window =
            BudgetPeriods::windowAt(BudgetPeriod(period), now.toMSecsSinceEpoch(), now.timeZone());
        QCOMPARE(window.startMs, start.toMSecsSinceEpoch());
        QCOMPARE(window.endMs, end.toMSecsSinceEpoch());
    }

    void spendingIsReadFromTheLedgerAtStart()
    {
        m_spending = {{QString(), 900, 50, 0}};
        auto b = book();
        const Budget account = put(*b, budget(Budget::Layer::Account, u"acme"_s, 1000));
        QCOMPARE(b->status(account).value(u"spentMicros"_s).toInteger(), 900);
        QVERIFY(!b->reserve(charge(), {101, 1}).allowed);
        QVERIFY(m_alerts.isEmpty() ||
                m_alerts.first().kind == u"denying"_s); // 90%: no re-announce of 80
    }

    void editingALimitAppliesAtOnce()
    {
        auto b = book();
        Budget account = put(*b, budget(Budget::Layer::Account, u"acme"_s, 100));
        const auto held = b->reserve(charge(), {100, 1});
        QVERIFY(!b->reserve(charge(), {50, 1}).allowed);
        account.limitMicros = 150;
        put(*b, account);
        QVERIFY(b->reserve(charge(), {50, 1}).allowed); // the reservation survived the edit
        QCOMPARE(b->status(account).value(u"reservedMicros"_s).toInteger(), 150);
        b->settle(held.ticket, 100, 1);
        QVERIFY(b->remove(account.id));
        QVERIFY(b->reserve(charge(), {1'000'000, 1}).allowed);
    }

    void definitionsRoundTrip()
    {
        QString error;
        const auto parsed = Budget::fromJson(QJsonObject{{u"layer"_s, u"model"_s},
                                                         {u"subject"_s, u"claude-sonnet-4-5"_s},
                                                         {u"withinFlow"_s, u"nightly"_s},
                                                         {u"limitUsd"_s, 12.345678},
                                                         {u"period"_s, u"weekly"_s},
                                                         {u"enforcement"_s, u"soft"_s},
                                                         {u"alertPercents"_s, QJsonArray{100, 50}}},
                                             &error);
        QVERIFY2(parsed, qPrintable(error));
        QCOMPARE(*parsed->limitMicros, 12'345'678);
        QCOMPARE(parsed->alertPercents, (QList<int>{50, 100}));
        const auto again = Budget::fromJson(parsed->toJson(), &error);
        QVERIFY2(again, qPrintable(error));
        QCOMPARE(again->toJson(), parsed->toJson());
        for (const QJsonObject &bad :
             {QJsonObject{{u"layer"_s, u"team"_s}, {u"subject"_s, u"x"_s}, {u"limitUsd"_s, 1}},
              QJsonObject{{u"layer"_s, u"flow"_s}, {u"subject"_s, u"x"_s}},
              QJsonObject{{u"layer"_s, u"provider"_s},
                          {u"subject"_s, u"openai"_s},
                          {u"limitUsd"_s, 1},
                          {u"enforcement"_s, u"soft"_s}},
              QJsonObject{{u"layer"_s, u"flow"_s},
                          {u"subject"_s, u"x"_s},
                          {u"limitUsd"_s, 1},
                          {u"limitMicros"_s, 2}},
              QJsonObject{{u"layer"_s, u"flow"_s}, {u"subject"_s, u"x"_s}, {u"limitUsd"_s, -1}},
              QJsonObject{{u"layer"_s, u"flow"_s},
                          {u"subject"_s, u"x"_s},
                          {u"limitUsd"_s, 1},
                          {u"period"_s, u"hourly"_s}}})
            QVERIFY(!Budget::fromJson(bad, &error));
    }

    void moneyIsShownExactly()
    {
        QCOMPARE(moneyText(0), u"$0.00"_s);
        QCOMPARE(moneyText(4'900'000), u"$4.90"_s);
        QCOMPARE(moneyText(125), u"$0.000125"_s);
        QCOMPARE(moneyText(-1'500'000), u"-$1.50"_s);
    }
};

QTEST_GUILESS_MAIN(tst_BudgetBook)
#include "tst_budgetbook.moc"
