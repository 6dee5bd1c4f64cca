// BudgetGauge and BudgetFigures: threshold colours, denial marking, token budgets, the limit
// handle dragged with the mouse (value shown while dragging, snapped) and moved with the keys.
#include "budgets/budgetfigures.h"
#include "budgets/budgetgauge.h"
#include "common/consolestyle.h"

#include <QApplication>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QJsonObject status(qint64 limitMicros, qint64 spentMicros, qint64 reservedMicros = 0,
                   bool hard = true, const QJsonArray &alerts = {80, 100})
{
    return {{u"id"_s, u"bu_1"_s},
            {u"name"_s, u"team cap"_s},
            {u"layer"_s, u"account"_s},
            {u"subject"_s, u"acme"_s},
            {u"period"_s, u"monthly"_s},
            {u"enforcement"_s, hard ? u"hard"_s : u"soft"_s},
            {u"alertPercents"_s, alerts},
            {u"limitMicros"_s, limitMicros},
            {u"limitTokens"_s, QJsonValue()},
            {u"spentMicros"_s, spentMicros},
            {u"reservedMicros"_s, reservedMicros},
            {u"spentTokens"_s, 0},
            {u"reservedTokens"_s, 0},
            {u"periodEnd"_s, u"2026-12-01T00:00:00Z"_s},
            {u"usage"_s, QJsonArray{QJsonObject{{u"instance"_s, QJsonValue()},
                                                {u"spentMicros"_s, spentMicros},
                                                {u"reservedMicros"_s, reservedMicros},
                                                {u"spentTokens"_s, 0},
                                                {u"reservedTokens"_s, 0}}}}};
}

QJsonObject tokenStatus(qint64 limitTokens, qint64 spentTokens)
{
    QJsonObject json = status(0, 0);
    json.insert(u"limitMicros"_s, QJsonValue());
    json.insert(u"limitTokens"_s, limitTokens);
    json.insert(u"spentTokens"_s, spentTokens);
    json.insert(u"usage"_s, QJsonArray{QJsonObject{{u"spentTokens"_s, spentTokens}}});
    return json;
}

// The colour the bar is painted in where the spending is.
QColor spentColour(BudgetGauge &gauge)
{
    const QImage image = gauge.grab().toImage();
    const QRect bar = gauge.barRect();
    return image.pixelColor(bar.left() + 10, bar.center().y());
}

} // namespace

class tst_BudgetGauge : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { ConsoleStyle::apply(*qApp); }

    void coloursChangeAtThresholds_data()
    {
        QTest::addColumn<qint64>("spent");
        QTest::addColumn<qint64>("reserved");
        QTest::addColumn<bool>("hard");
        QTest::addColumn<int>("level");
        QTest::addColumn<bool>("denying");
        QTest::addColumn<QString>("percent");
        const int ok = int(BudgetFigures::Level::Ok);
        const int warning = int(BudgetFigures::Level::Warning);
        const int failure = int(BudgetFigures::Level::Failure);
        // Limit $10.00, alerts at 80 and 100.
        QTest::newRow("20%") << qint64(2'000'000) << qint64(0) << true << ok << false << u"20%"_s;
        QTest::newRow("just below the first alert")
            << qint64(7'999'999) << qint64(0) << true << ok << false << u"79%"_s;
        QTest::newRow("at the first alert")
            << qint64(8'000'000) << qint64(0) << true << warning << false << u"80%"_s;
        QTest::newRow("reserved fills it: denying")
            << qint64(9'000'000) << qint64(1'000'000) << true << failure << true << u"90%"_s;
        QTest::newRow("soft, same figures: not denying")
            << qint64(9'000'000) << qint64(1'000'000) << false << warning << false << u"90%"_s;
        QTest::newRow("at the limit")
            << qint64(10'000'000) << qint64(0) << true << failure << true << u"100%"_s;
        QTest::newRow("soft, overspent")
            << qint64(12'500'000) << qint64(0) << false << failure << false << u"125%"_s;
    }

    void coloursChangeAtThresholds()
    {
        QFETCH(qint64, spent);
        QFETCH(qint64, reserved);
        QFETCH(bool, hard);
        QFETCH(int, level);
        QFETCH(bool, denying);
        QFETCH(QString, percent);
        const BudgetFigures figures =
            BudgetFigures::fromStatus(status(10'000'000, spent, reserved, hard));
        QCOMPARE(int(figures.level()), level);
        QCOMPARE(figures.denying(), denying);
        QCOMPARE(QString::number(figures.percent()) + u'%', percent);

        BudgetGauge gauge;
        gauge.resize(600, gauge.sizeHint().height());
        gauge.setFigures(figures);
        const QColor expected = level == int(BudgetFigures::Level::Ok) ? ConsoleStyle::ok()
                                : level == int(BudgetFigures::Level::Warning)
                                    ? ConsoleStyle::warning()
                                    : ConsoleStyle::failure();
        QCOMPARE(spentColour(gauge), expected);
        QCOMPARE(gauge.accessibleDescription().contains(u"Refusing requests"_s), denying);
        QVERIFY(gauge.accessibleDescription().contains(percent));
        QCOMPARE(gauge.accessibleName(), u"Budget team cap"_s);
    }

    void aTokenBudgetShowsTokens()
    {
        const BudgetFigures figures = BudgetFigures::fromStatus(tokenStatus(500'000, 420'000));
        QVERIFY(figures.tokens());
        QCOMPARE(figures.limit(), qint64(500'000));
        QCOMPARE(figures.spent(), qint64(420'000));
        QCOMPARE(figures.percent(), 84);
        QCOMPARE(int(figures.level()), int(BudgetFigures::Level::Warning));
        BudgetGauge gauge;
        gauge.resize(600, gauge.sizeHint().height());
        gauge.setFigures(figures);
        const QString description = gauge.accessibleDescription();
        QVERIFY2(description.contains(u"420.0k tokens spent"_s), qPrintable(description));
        QVERIFY2(description.contains(u"limit 500.0k"_s), qPrintable(description));
        QVERIFY(!description.contains(u'$'));
    }

    void theFullestTotalIsShown()
    {
        QJsonObject json = status(1'000'000, 0);
        json.insert(u"layer"_s, u"execution"_s);
        json.insert(u"subject"_s, u"*"_s);
        json.insert(
            u"usage"_s,
            QJsonArray{QJsonObject{{u"instance"_s, u"ex_a"_s}, {u"spentMicros"_s, 200'000}},
                       QJsonObject{{u"instance"_s, u"ex_b"_s},
                                   {u"spentMicros"_s, 700'000},
                                   {u"reservedMicros"_s, 50'000}},
                       QJsonObject{{u"instance"_s, u"ex_c"_s}, {u"spentMicros"_s, 10'000}}});
        const BudgetFigures figures = BudgetFigures::fromStatus(json);
        QCOMPARE(figures.instances, 3);
        QCOMPARE(figures.instance, u"ex_b"_s);
        QCOMPARE(figures.spentMicros, qint64(700'000));
        QCOMPARE(figures.reservedMicros, qint64(50'000));
        QCOMPARE(figures.remaining(), qint64(250'000));
        QCOMPARE(figures.scopeText(), u"Each flow run"_s);
        QVERIFY(!figures.definition.contains(u"usage"_s));
        QVERIFY(!figures.definition.contains(u"spentMicros"_s));
        QCOMPARE(figures.definition.value(u"limitMicros"_s).toInteger(), qint64(1'000'000));
    }

    void limitsSnapToStepsThatSuitTheirSize_data()
    {
        QTest::addColumn<qint64>("value");
        QTest::addColumn<bool>("tokens");
        QTest::addColumn<qint64>("snapped");
        QTest::newRow("cents below $10") << qint64(3'456'789) << false << qint64(3'460'000);
        QTest::newRow("dimes up to $100") << qint64(42'345'678) << false << qint64(42'300'000);
        QTest::newRow("dollars above") << qint64(1'234'567'890) << false << qint64(1'235'000'000);
        QTest::newRow("nothing") << qint64(-5) << false << qint64(0);
        QTest::newRow("tens of tokens") << qint64(4'567) << true << qint64(4'570);
        QTest::newRow("hundreds of tokens") << qint64(45'678) << true << qint64(45'700);
        QTest::newRow("thousands of tokens") << qint64(456'789) << true << qint64(457'000);
    }

    void limitsSnapToStepsThatSuitTheirSize()
    {
        QFETCH(qint64, value);
        QFETCH(bool, tokens);
        QFETCH(qint64, snapped);
        QCOMPARE(BudgetGauge::snap(value, tokens), snapped);
    }

    void draggingShowsTheValueAndAppliesOnRelease()
    {
        BudgetGauge gauge;
        gauge.resize(800, gauge.sizeHint().height());
        gauge.setFigures(BudgetFigures::fromStatus(status(10'000'000, 3'200'000, 400'000)));
        gauge.show();
        QVERIFY(QTest::qWaitForWindowExposed(&gauge));
        QSignalSpy edited(&gauge, &BudgetGauge::limitEdited);
        const int y = gauge.barRect().center().y();
        const int startX = gauge.handleX();
        QCOMPARE(startX, gauge.xOf(10'000'000));

        // A press beside the handle does nothing.
        QTest::mousePress(&gauge, Qt::LeftButton, {}, QPoint(startX - 60, y));
        QVERIFY(!gauge.isDragging());
        QTest::mouseRelease(&gauge, Qt::LeftButton, {}, QPoint(startX - 60, y));
        QCOMPARE(edited.size(), 0);

        QTest::mousePress(&gauge, Qt::LeftButton, {}, QPoint(startX, y));
        QVERIFY(gauge.isDragging());
        const int target = gauge.xOf(6'500'000);
        QTest::mouseMove(&gauge, QPoint(target, y));
        QVERIFY(gauge.pendingLimit());
        const qint64 dragged = *gauge.pendingLimit();
        // Within a pixel of $6.50, on the cent grid.
        QVERIFY2(std::abs(dragged - 6'500'000) < 30'000, qPrintable(QString::number(dragged)));
        QCOMPARE(dragged % 10'000, 0);
        QVERIFY2(gauge.pendingText().startsWith(u'$') && gauge.pendingText().contains(u"% used"_s),
                 qPrintable(gauge.pendingText()));
        QCOMPARE(gauge.handleX(), gauge.xOf(dragged));
        QCOMPARE(edited.size(), 0); // nothing applied while dragging
        QTest::mouseRelease(&gauge, Qt::LeftButton, {}, QPoint(target, y));
        QVERIFY(!gauge.isDragging());
        QCOMPARE(edited.size(), 1);
        QCOMPARE(edited.at(0).at(0).toString(), u"bu_1"_s);
        QCOMPARE(edited.at(0).at(1).toBool(), false);
        QCOMPARE(edited.at(0).at(2).toLongLong(), dragged);
        // Applying: the new limit stays on the gauge until figures carry it.
        QCOMPARE(gauge.pendingLimit().value_or(-1), dragged);
        QVERIFY(gauge.pendingText().isEmpty());
        gauge.setFigures(BudgetFigures::fromStatus(status(10'000'000, 3'300'000)));
        QCOMPARE(gauge.pendingLimit().value_or(-1), dragged);
        gauge.setFigures(BudgetFigures::fromStatus(status(dragged, 3'300'000)));
        QVERIFY(!gauge.pendingLimit());
    }

    void aRefusedEditGoesBack()
    {
        BudgetGauge gauge;
        gauge.resize(800, gauge.sizeHint().height());
        gauge.setFigures(BudgetFigures::fromStatus(status(10'000'000, 0)));
        const int y = gauge.barRect().center().y();
        QTest::mousePress(&gauge, Qt::LeftButton, {}, QPoint(gauge.handleX(), y));
        QTest::mouseRelease(&gauge, Qt::LeftButton, {}, QPoint(gauge.xOf(5'000'000), y));
        QVERIFY(gauge.pendingLimit());
        gauge.applyFailed();
        QVERIFY(!gauge.pendingLimit());
        QCOMPARE(gauge.handleX(), gauge.xOf(10'000'000));
    }

    void keysMoveTheLimit_data()
    {
        QTest::addColumn<QList<int>>("keys");
        QTest::addColumn<bool>("shift");
        QTest::addColumn<qint64>("limit");
        // From $10.00 up, a coarse step is $1 (ten $0.10 snap steps), down $0.10 (ten cents);
        // Shift takes one snap step.
        QTest::newRow("plus") << QList<int>{Qt::Key_Plus} << false << qint64(11'000'000);
        QTest::newRow("right twice")
            << QList<int>{Qt::Key_Right, Qt::Key_Right} << false << qint64(12'000'000);
        QTest::newRow("minus") << QList<int>{Qt::Key_Minus} << false << qint64(9'900'000);
        QTest::newRow("shift up") << QList<int>{Qt::Key_Up} << true << qint64(10'100'000);
        QTest::newRow("shift down") << QList<int>{Qt::Key_Down} << true << qint64(9'990'000);
        QTest::newRow("down, then up")
            << QList<int>{Qt::Key_Down, Qt::Key_Up} << false << qint64(10'000'000);
    }

    void keysMoveTheLimit()
    {
        QFETCH(QList<int>, keys);
        QFETCH(bool, shift);
        QFETCH(qint64, limit);
        BudgetGauge gauge;
        gauge.resize(800, gauge.sizeHint().height());
        gauge.setFigures(BudgetFigures::fromStatus(status(10'000'000, 2'000'000)));
        gauge.show();
        QVERIFY(QTest::qWaitForWindowExposed(&gauge));
        QSignalSpy edited(&gauge, &BudgetGauge::limitEdited);
        for (int key : keys)
            QTest::keyClick(&gauge, Qt::Key(key), shift ? Qt::ShiftModifier : Qt::NoModifier);
        QCOMPARE(gauge.pendingLimit().value_or(10'000'000), limit);
        QTest::keyClick(&gauge, Qt::Key_Return);
        if (limit == 10'000'000) {
            QCOMPARE(edited.size(), 0); // back where it was: nothing to apply
            return;
        }
        QCOMPARE(edited.size(), 1);
        QCOMPARE(edited.at(0).at(2).toLongLong(), limit);
    }

    void typedLimitsApplyAfterAPause()
    {
        BudgetGauge gauge;
        gauge.resize(800, gauge.sizeHint().height());
        gauge.setFigures(BudgetFigures::fromStatus(tokenStatus(50'000, 1'000)));
        gauge.show();
        QVERIFY(QTest::qWaitForWindowExposed(&gauge));
        QSignalSpy edited(&gauge, &BudgetGauge::limitEdited);
        QTest::keyClick(&gauge, Qt::Key_Plus);
        QTest::keyClick(&gauge, Qt::Key_Plus);
        QCOMPARE(edited.size(), 0);
        QTRY_COMPARE(edited.size(), 1);
        QCOMPARE(edited.at(0).at(1).toBool(), true);
        QCOMPARE(edited.at(0).at(2).toLongLong(), qint64(52'000));
        // Escape drops a typed limit that was not applied yet.
        QTest::keyClick(&gauge, Qt::Key_Minus);
        QTest::keyClick(&gauge, Qt::Key_Escape);
        QVERIFY(!gauge.pendingLimit());
        QVERIFY(!edited.wait(1500));
    }
};

QTEST_MAIN(tst_BudgetGauge)
#include "tst_budgetgauge.moc"
