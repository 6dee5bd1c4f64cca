// BudgetModel over a real gateway: rows follow the budgets made, changed and deleted through the
// admin API and the spending of real requests, stay stable by budget id, and pass
// QAbstractItemModelTester.
#include "budgets/budgetmodel.h"
#include "gatewayconsole.h"
#include "gatewayfixture.h"
#include "requestbodies.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QJsonObject status(const QString &id, qint64 spentMicros)
{
    return {{u"id"_s, id},
            {u"name"_s, id},
            {u"layer"_s, u"account"_s},
            {u"subject"_s, u"acme"_s},
            {u"period"_s, u"monthly"_s},
            {u"enforcement"_s, u"hard"_s},
            {u"alertPercents"_s, QJsonArray{80, 100}},
            {u"limitMicros"_s, 10'000'000},
            {u"spentMicros"_s, spentMicros},
            {u"reservedMicros"_s, 0}};
}

QStringList ids(const BudgetModel &model)
{
    QStringList list;
    for (int row = 0; row < model.rowCount(); ++row)
        list += model.index(row, 0).data(BudgetModel::IdRole).toString();
    return list;
}

} // namespace

class tst_BudgetModel : public QObject
{
    Q_OBJECT

    GatewayFixture m_fixture;
    std::unique_ptr<GatewayConsole> m_console;

    QString createBudget(const QJsonObject &definition)
    {
        const auto response = m_fixture.admin("POST", "/admin/v1/budgets", definition);
        if (!response || response->status != 201)
            return {};
        return GatewayFixture::json(*response).value(u"id"_s).toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_fixture.start(&error), qPrintable(error));
        m_console = std::make_unique<GatewayConsole>(m_fixture.gateway());
    }

    void followsTheGatewaysBudgets()
    {
        BudgetModel model(m_console.get());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), int(BudgetModel::ColumnCount));

        const QString team = createBudget({{u"name"_s, u"team cap"_s},
                                           {u"layer"_s, u"account"_s},
                                           {u"subject"_s, u"acme"_s},
                                           {u"limitUsd"_s, 5}});
        const QString tokens = createBudget({{u"name"_s, u"ci tokens"_s},
                                             {u"layer"_s, u"key"_s},
                                             {u"subject"_s, u"ci"_s},
                                             {u"limitTokens"_s, 100'000},
                                             {u"period"_s, u"daily"_s}});
        QVERIFY(!team.isEmpty() && !tokens.isEmpty());
        QTRY_COMPARE(ids(model), (QStringList{team, tokens}));
        QCOMPARE(model.index(0, BudgetModel::NameColumn).data().toString(), u"team cap"_s);
        QCOMPARE(model.index(0, BudgetModel::ScopeColumn).data().toString(), u"Account acme"_s);
        QCOMPARE(model.index(0, BudgetModel::LimitColumn).data().toString(), u"$5.00"_s);
        QCOMPARE(model.index(0, BudgetModel::LimitColumn).data(Qt::TextAlignmentRole).toInt(),
                 int(Qt::AlignRight | Qt::AlignVCenter));
        QCOMPARE(model.index(1, BudgetModel::PeriodColumn).data().toString(), u"Daily"_s);
        QCOMPARE(model.index(1, BudgetModel::LimitColumn).data().toString(), u"100.0k"_s);

        // Real requests move the figures in place: no rows come or go.
        QSignalSpy inserted(&model, &BudgetModel::rowsInserted);
        QSignalSpy removed(&model, &BudgetModel::rowsRemoved);
        QSignalSpy reset(&model, &BudgetModel::modelReset);
        QSignalSpy changed(&model, &BudgetModel::dataChanged);
        for (int i = 0; i < 3; ++i) {
            const auto response = m_fixture.call("POST", "/openai/v1/chat/completions",
                                                 RequestBodies::chat(u"fast"_s, u"hello"_s));
            QVERIFY(response);
            QCOMPARE(response->status, 200);
        }
        QTRY_VERIFY(model.figures(0).spentMicros > 0);
        QTRY_VERIFY(model.figures(1).spentTokens > 0);
        const qint64 spent =
            GatewayFixture::json(*m_fixture.admin("GET", "/admin/v1/budgets/" + team.toLatin1()))
                .value(u"spentMicros"_s)
                .toInteger();
        QTRY_COMPARE(model.figures(0).spentMicros, spent);
        QVERIFY(!changed.isEmpty());
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(removed.size(), 0);
        QCOMPARE(reset.size(), 0);

        // A deleted budget's row goes; the others keep their order.
        const QString third = createBudget({{u"name"_s, u"gpt budget"_s},
                                            {u"layer"_s, u"model"_s},
                                            {u"subject"_s, u"fast"_s},
                                            {u"withinAccount"_s, u"acme"_s},
                                            {u"limitUsd"_s, 1}});
        QTRY_COMPARE(ids(model), (QStringList{team, tokens, third}));
        QCOMPARE(model.index(2, BudgetModel::ScopeColumn).data().toString(),
                 u"Model fast in account acme"_s);
        QVERIFY(m_fixture.admin("DELETE", "/admin/v1/budgets/" + tokens.toLatin1()));
        QTRY_COMPARE(ids(model), (QStringList{team, third}));
        QCOMPARE(removed.size(), 1);
        QCOMPARE(removed.at(0).at(1).toInt(), 1);
        QCOMPARE(reset.size(), 0);
        for (const QString &id : {team, third})
            m_fixture.admin("DELETE", "/admin/v1/budgets/" + id.toLatin1());
        QTRY_COMPARE(model.rowCount(), 0);
    }

    void rowsStayStableById()
    {
        BudgetModel model(m_console.get());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_COMPARE(model.rowCount(), 0); // the gateway has no budgets now
        model.setBudgets({status(u"a"_s, 0), status(u"b"_s, 0), status(u"c"_s, 0)});
        QCOMPARE(ids(model), (QStringList{u"a"_s, u"b"_s, u"c"_s}));

        QSignalSpy inserted(&model, &BudgetModel::rowsInserted);
        QSignalSpy removed(&model, &BudgetModel::rowsRemoved);
        QSignalSpy changed(&model, &BudgetModel::dataChanged);
        // The same state again: nothing to tell.
        model.setBudgets({status(u"a"_s, 0), status(u"b"_s, 0), status(u"c"_s, 0)});
        QCOMPARE(changed.size(), 0);

        // c spends, b goes, d comes: one removal, one change, one insertion.
        model.setBudgets({status(u"a"_s, 0), status(u"c"_s, 8'500'000), status(u"d"_s, 0)});
        QCOMPARE(ids(model), (QStringList{u"a"_s, u"c"_s, u"d"_s}));
        QCOMPARE(removed.size(), 1);
        QCOMPARE(removed.at(0).at(1).toInt(), 1);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 2);
        QCOMPARE(model.index(1, BudgetModel::UsedColumn).data().toString(), u"85%"_s);
        QCOMPARE(model.index(1, BudgetModel::UsedColumn).data(BudgetModel::LevelRole).toInt(),
                 int(BudgetFigures::Level::Warning));

        // An answer to an edit updates its row; an unknown budget is added.
        model.upsert(status(u"a"_s, 10'000'000));
        QCOMPARE(model.rowOf(u"a"_s), 0);
        QCOMPARE(model.index(0, BudgetModel::UsedColumn).data().toString(), u"100% · denying"_s);
        model.upsert(status(u"e"_s, 0));
        QCOMPARE(ids(model), (QStringList{u"a"_s, u"c"_s, u"d"_s, u"e"_s}));
        model.setBudgets({});
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(tst_BudgetModel)
#include "tst_budgetmodel.moc"
