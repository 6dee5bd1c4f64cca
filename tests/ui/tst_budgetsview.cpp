// The Budgets view over a real gateway: a limit dragged on a gauge and a limit changed in the
// form both reach the gateway (audited with actor "console") and the gateway enforces them on
// real requests; budgets made and deleted through the view; how many typical calls still fit;
// screenshots of the page at several levels and of the form.
#include "budgets/budgetcard.h"
#include "budgets/budgetform.h"
#include "budgets/budgetgauge.h"
#include "budgets/budgetmodel.h"
#include "budgets/budgetsview.h"
#include "common/consolelanguage.h"
#include "common/consolestyle.h"
#include "gatewayconsole.h"
#include "gatewayfixture.h"
#include "requestbodies.h"
#include "screenshot.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace {

QByteArray smallChat(const QString &model)
{
    return RequestBodies::chat(model, u"hello"_s, false, {{u"max_tokens"_s, 16}});
}

} // namespace

class tst_BudgetsView : public QObject
{
    Q_OBJECT

    GatewayFixture m_fixture;
    std::unique_ptr<GatewayConsole> m_console;
    std::unique_ptr<BudgetsView> m_view;

    QString createBudget(const QJsonObject &definition)
    {
        const auto response = m_fixture.admin("POST", "/admin/v1/budgets", definition);
        if (!response || response->status != 201) {
            qWarning() << "budget not made:" << (response ? response->body : QByteArray());
            return {};
        }
        return GatewayFixture::json(*response).value(u"id"_s).toString();
    }
    QJsonObject budget(const QString &id)
    {
        return GatewayFixture::json(*m_fixture.admin("GET", "/admin/v1/budgets/" + id.toLatin1()));
    }
    void deleteBudget(const QString &id)
    {
        m_fixture.admin("DELETE", "/admin/v1/budgets/" + id.toLatin1());
    }
    int send(const QByteArray &body)
    {
        const auto response = m_fixture.call("POST", "/openai/v1/chat/completions", body);
        return response ? response->status : 0;
    }
    // The audit rows of one budget, oldest first.
    QList<QVariantMap> audit(const QString &id)
    {
        return m_fixture.ledger().query(u"SELECT actor, action, old_value, new_value FROM "
                                        "admin_audit WHERE target = ? ORDER BY at_ms, rowid"_s,
                                        {id});
    }
    static QJsonObject jsonOf(const QVariant &text)
    {
        return QJsonDocument::fromJson(text.toString().toUtf8()).object();
    }

private Q_SLOTS:
    // Each test starts without budgets, also after one that failed halfway.
    void cleanup()
    {
        const auto list = m_fixture.admin("GET", "/admin/v1/budgets");
        QVERIFY(list);
        for (const QJsonValue &budget : QJsonDocument::fromJson(list->body).array())
            deleteBudget(budget.toObject().value(u"id"_s).toString());
        QTRY_COMPARE(m_view->model()->rowCount(), 0);
    }

    void initTestCase()
    {
        ConsoleLanguage::install(*qApp, u"en"_s); // English plural forms
        ConsoleStyle::apply(*qApp);
        QString error;
        QVERIFY2(m_fixture.start(&error), qPrintable(error));
        m_console = std::make_unique<GatewayConsole>(m_fixture.gateway());
        m_view = std::make_unique<BudgetsView>(m_console.get());
        QSignalSpy read(m_view.get(), &BudgetsView::typicalCallsRead);
        m_view->resize(1280, 800);
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
        QTRY_VERIFY(!read.isEmpty());
        QCOMPARE(m_view->model()->rowCount(), 0);
        QVERIFY(m_view->findChild<QLabel *>(u"emptyState"_s)->isVisible());
        QVERIFY(m_view->typicalCallText().contains(u"nothing to estimate from"_s));
        Screenshot::save(m_view.get(), u"budgets-empty"_s);
    }

    void aLimitDraggedOnTheGaugeIsEnforced()
    {
        const QString id = createBudget({{u"name"_s, u"ci tokens today"_s},
                                         {u"layer"_s, u"key"_s},
                                         {u"subject"_s, u"ci"_s},
                                         {u"limitTokens"_s, 10'000},
                                         {u"period"_s, u"daily"_s}});
        QVERIFY(!id.isEmpty());
        QTRY_VERIFY(m_view->card(id));
        QVERIFY(!m_view->findChild<QLabel *>(u"emptyState"_s)->isVisible());
        BudgetGauge *gauge = m_view->card(id)->gauge();
        QCOMPARE(gauge->figures().limitTokens.value_or(-1), qint64(10'000));

        QCOMPARE(send(smallChat(u"fast"_s)), 200);
        QTRY_VERIFY(gauge->figures().spentTokens > 0 && gauge->figures().reservedTokens == 0);
        const qint64 spent = gauge->figures().spentTokens;
        // What the gateway reserves for the next call: the body over 3, plus max_tokens.
        const qint64 estimate = (smallChat(u"fast"_s).size() + 2) / 3 + 16;
        QVERIFY(spent + estimate <= 10'000); // the old limit admits the next call

        const int y = gauge->barRect().center().y();
        QTest::mousePress(gauge, Qt::LeftButton, {}, QPoint(gauge->handleX(), y));
        QVERIFY(gauge->isDragging());
        QTest::mouseMove(gauge, QPoint(gauge->xOf(5'000), y));
        // The value follows the handle, to within a pixel, on the grid of tens.
        QVERIFY(gauge->pendingLimit());
        QVERIFY(std::abs(*gauge->pendingLimit() - 5'000) <= 20);
        QVERIFY2(gauge->pendingText().startsWith(QLocale().toString(*gauge->pendingLimit())),
                 qPrintable(gauge->pendingText()));
        QTest::mouseMove(gauge, QPoint(gauge->xOf(spent), y));
        QVERIFY(gauge->pendingLimit());
        const qint64 limit = *gauge->pendingLimit();
        QVERIFY2(limit < spent + estimate, qPrintable(QString::number(limit)));
        QVERIFY(gauge->pendingText().contains(QLocale().toString(limit)));
        QCOMPARE(budget(id).value(u"limitTokens"_s).toInteger(), 10'000); // not yet applied
        QTest::mouseRelease(gauge, Qt::LeftButton, {}, QPoint(gauge->xOf(spent), y));

        QTRY_COMPARE(budget(id).value(u"limitTokens"_s).toInteger(), limit);
        QTRY_VERIFY(!gauge->pendingLimit());
        QCOMPARE(gauge->figures().limitTokens.value_or(-1), limit);
        QVERIFY(m_view->card(id)->error().isEmpty());

        const auto denied =
            m_fixture.call("POST", "/openai/v1/chat/completions", smallChat(u"fast"_s));
        QVERIFY(denied);
        QCOMPARE(denied->status, 402);
        QCOMPARE(GatewayFixture::json(*denied).value(u"error"_s).toObject().value(u"code"_s),
                 u"budget_exceeded"_s);

        QTRY_VERIFY(audit(id).size() >= 2);
        const QVariantMap edit = audit(id).last();
        QCOMPARE(edit.value(u"actor"_s).toString(), u"console"_s);
        QCOMPARE(edit.value(u"action"_s).toString(), u"budget.update"_s);
        QCOMPARE(jsonOf(edit.value(u"old_value"_s)).value(u"limitTokens"_s).toInteger(), 10'000);
        QCOMPARE(jsonOf(edit.value(u"new_value"_s)).value(u"limitTokens"_s).toInteger(), limit);

        deleteBudget(id);
        QTRY_VERIFY(!m_view->card(id));
    }

    void aLimitChangedInTheFormIsEnforced()
    {
        const QString id = createBudget({{u"name"_s, u"acme monthly"_s},
                                         {u"layer"_s, u"account"_s},
                                         {u"subject"_s, u"acme"_s},
                                         {u"limitMicros"_s, 1}});
        QVERIFY(!id.isEmpty());
        QCOMPARE(send(smallChat(u"fast"_s)), 402); // the old limit refuses
        QTRY_VERIFY(m_view->card(id));

        QTest::mouseClick(m_view->card(id)->editButton(), Qt::LeftButton);
        QPointer<BudgetForm> form = m_view->findChild<BudgetForm *>();
        QVERIFY(form);
        QVERIFY(form->isVisible());
        QVERIFY(!form->isNew());
        auto *limit = form->findChild<QLineEdit *>(u"limitUsd"_s);
        auto *alerts = form->findChild<QLineEdit *>(u"alerts"_s);
        QCOMPARE(limit->text(), u"0.000001"_s);
        QCOMPARE(form->findChild<QComboBox *>(u"layer"_s)->currentData().toString(), u"account"_s);
        QCOMPARE(form->findChild<QComboBox *>(u"subject"_s)->currentText(), u"acme"_s);
        QCOMPARE(alerts->text(), u"80, 100"_s);
        // The subjects the gateway knows, for each layer.
        QTRY_VERIFY(form->subjectsFor(u"key"_s).contains(u"ci"_s));
        QTRY_VERIFY(form->subjectsFor(u"model"_s).contains(u"fast"_s));
        QVERIFY(form->subjectsFor(u"model"_s).contains(u"gpt-4o-mini"_s));
        QVERIFY(!form->subjectsFor(u"model"_s).contains(u"gpt-*"_s));
        QTRY_VERIFY(form->subjectsFor(u"provider"_s).contains(u"simulator"_s));
        QTRY_VERIFY(form->subjectsFor(u"account"_s).contains(u"acme"_s));
        QVERIFY(form->subjectsFor(u"flow"_s).startsWith(u"*"_s));

        // The gateway's validation message is shown in the form, which stays open.
        limit->setText(u"5.00"_s);
        alerts->setText(u"0"_s);
        QTest::mouseClick(form->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save),
                          Qt::LeftButton);
        QTRY_VERIFY2(form->errorText().contains(u"alertPercents are whole percentages"_s),
                     qPrintable(form->errorText()));
        QVERIFY(form->isVisible());
        Screenshot::save(form, u"budget-form-error"_s);
        QCOMPARE(budget(id).value(u"limitMicros"_s).toInteger(), 1);

        alerts->setText(u"50, 100"_s);
        QTest::mouseClick(form->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save),
                          Qt::LeftButton);
        QTRY_VERIFY(!form); // closed and gone
        const QJsonObject saved = budget(id);
        QCOMPARE(saved.value(u"limitMicros"_s).toInteger(), 5'000'000);
        QCOMPARE(saved.value(u"alertPercents"_s).toArray(), (QJsonArray{50, 100}));
        QCOMPARE(saved.value(u"name"_s).toString(), u"acme monthly"_s);
        QTRY_COMPARE(m_view->card(id)->gauge()->figures().limitMicros.value_or(-1),
                     qint64(5'000'000));

        QCOMPARE(send(smallChat(u"fast"_s)), 200); // the new limit admits it

        QTRY_VERIFY(audit(id).size() >= 2);
        const QVariantMap edit = audit(id).last();
        QCOMPARE(edit.value(u"actor"_s).toString(), u"console"_s);
        QCOMPARE(edit.value(u"action"_s).toString(), u"budget.update"_s);
        QCOMPARE(jsonOf(edit.value(u"new_value"_s)).value(u"limitMicros"_s).toInteger(), 5'000'000);
        deleteBudget(id);
        QTRY_VERIFY(!m_view->card(id));
    }

    void theFormReadsDollarAmountsExactly_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("micros"); // -1: not an amount
        QTest::newRow("dollars") << u"25"_s << qint64(25'000'000);
        QTest::newRow("cents") << u"12.50"_s << qint64(12'500'000);
        QTest::newRow("micro-dollars, with a sign") << u"$0.000125"_s << qint64(125);
        QTest::newRow("a decimal comma") << u"3,5"_s << qint64(3'500'000);
        QTest::newRow("seven decimals") << u"1.2345678"_s << qint64(-1);
        QTest::newRow("negative") << u"-1"_s << qint64(-1);
        QTest::newRow("words") << u"ten"_s << qint64(-1);
    }

    void theFormReadsDollarAmountsExactly()
    {
        QFETCH(QString, text);
        QFETCH(qint64, micros);
        QCOMPARE(BudgetForm::parseDollars(text).value_or(-1), micros);
    }

    void budgetsAreMadeAndDeletedThroughTheView()
    {
        auto *create = m_view->findChild<QPushButton *>(u"newBudget"_s);
        QTest::mouseClick(create, Qt::LeftButton);
        QPointer<BudgetForm> form = m_view->findChild<BudgetForm *>();
        QVERIFY(form && form->isNew());
        form->findChild<QLineEdit *>(u"name"_s)->setText(u"nightly runs"_s);
        auto *layer = form->findChild<QComboBox *>(u"layer"_s);
        layer->setCurrentIndex(layer->findData(u"execution"_s));
        auto *subject = form->findChild<QComboBox *>(u"subject"_s);
        subject->setCurrentIndex(subject->findData(u"*"_s));
        form->findChild<QLineEdit *>(u"limitUsd"_s)->setText(u"2"_s);
        auto *period = form->findChild<QComboBox *>(u"period"_s);
        period->setCurrentIndex(period->findData(u"none"_s));
        form->findChild<QRadioButton *>(u"soft"_s)->setChecked(true);
        QString error;
        const auto definition = form->definition(&error);
        QVERIFY2(definition, qPrintable(error));
        QCOMPARE(definition->value(u"subject"_s).toString(), u"*"_s);
        QCOMPARE(definition->value(u"limitMicros"_s).toInteger(), 2'000'000);
        QTest::mouseClick(form->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save),
                          Qt::LeftButton);
        QTRY_VERIFY(!form);

        QTRY_COMPARE(m_view->model()->rowCount(), 1);
        const BudgetFigures made = m_view->model()->figures(0);
        QCOMPARE(made.scopeText(), u"Each flow run"_s);
        QCOMPARE(made.period, u"none"_s);
        QVERIFY(!made.hard);
        QCOMPARE(budget(made.id).value(u"enforcement"_s).toString(), u"soft"_s);
        QTRY_VERIFY(!audit(made.id).isEmpty());
        QCOMPARE(audit(made.id).first().value(u"action"_s).toString(), u"budget.create"_s);
        QCOMPARE(audit(made.id).first().value(u"actor"_s).toString(), u"console"_s);

        QTest::mouseClick(m_view->card(made.id)->deleteButton(), Qt::LeftButton);
        auto *confirm = m_view->findChild<QMessageBox *>();
        QVERIFY(confirm);
        QPushButton *remove = nullptr;
        for (QAbstractButton *button : confirm->buttons()) {
            if (confirm->buttonRole(button) == QMessageBox::DestructiveRole)
                remove = qobject_cast<QPushButton *>(button);
        }
        QVERIFY(remove);
        QTest::mouseClick(remove, Qt::LeftButton);
        QTRY_COMPARE(m_view->model()->rowCount(), 0);
        QCOMPARE(budget(made.id).value(u"error"_s).toObject().value(u"code"_s).toString(),
                 u"budget_not_found"_s);
        QTRY_COMPARE(audit(made.id).last().value(u"action"_s).toString(), u"budget.delete"_s);
        QVERIFY(m_view->findChild<QLabel *>(u"emptyState"_s)->isVisible());
    }

    void typicalCallsThatStillFit()
    {
        const auto unpriced = m_fixture.call("POST", "/openai/v1/chat/completions",
                                             RequestBodies::chat(u"mystery"_s, u"hello"_s));
        QVERIFY(unpriced && unpriced->status == 200);
        QVERIFY(!m_fixture.ledgerRow(*unpriced).isEmpty()); // written: the next read counts it
        const QString id = createBudget({{u"name"_s, u"acme"_s},
                                         {u"layer"_s, u"account"_s},
                                         {u"subject"_s, u"acme"_s},
                                         {u"limitUsd"_s, 1},
                                         {u"allowUnpriced"_s, true}});
        const QString other = createBudget({{u"name"_s, u"opus"_s},
                                            {u"layer"_s, u"model"_s},
                                            {u"subject"_s, u"claude-opus-4-8"_s},
                                            {u"limitUsd"_s, 1}});
        QTRY_VERIFY(m_view->card(id) && m_view->card(other));
        m_view->refreshTypicalCalls();
        QComboBox *picker = m_view->modelPicker();
        QTRY_VERIFY(picker->findText(u"mystery"_s) >= 0);
        picker->setCurrentIndex(picker->findText(u"fast"_s));
        const QVariantMap fast = m_fixture.ledger()
                                     .query(u"SELECT count(*) AS calls, sum(cost_micros) AS cost "
                                            "FROM usage WHERE model_alias = 'fast' AND "
                                            "outcome = 'ok'"_s)
                                     .value(0);
        const qint64 calls = fast.value(u"calls"_s).toLongLong();
        const qint64 each = (fast.value(u"cost"_s).toLongLong() + calls - 1) / calls;
        const BudgetFigures &acme = m_view->card(id)->gauge()->figures();
        const qint64 fits = acme.remaining() / each;
        QVERIFY(fits > 100);
        QTRY_COMPARE(m_view->card(id)->fitText(),
                     u"≈ %1 more calls of fast fit."_s.arg(QLocale().toString(fits)));
        QVERIFY2(m_view->typicalCallText().contains(u"A typical call of fast costs $"_s),
                 qPrintable(m_view->typicalCallText()));
        QCOMPARE(m_view->card(other)->fitText(),
                 u"Calls of fast do not count against this budget."_s);

        picker->setCurrentIndex(picker->findText(u"mystery"_s));
        QVERIFY2(m_view->typicalCallText().contains(u"mystery is unpriced"_s),
                 qPrintable(m_view->typicalCallText()));
        QCOMPARE(m_view->card(id)->fitText(), u"Cannot be estimated: mystery is unpriced."_s);

        // An alias with no calls in the window: nothing to estimate from.
        const int idle = picker->findText(u"impatient-model"_s);
        QVERIFY(idle >= 0);
        picker->setCurrentIndex(idle);
        QVERIFY(m_view->typicalCallText().contains(u"nothing to estimate from"_s));
        QVERIFY(m_view->card(id)->fitText().isEmpty());
        deleteBudget(id);
        deleteBudget(other);
        QTRY_COMPARE(m_view->model()->rowCount(), 0);
    }

    void screenshotsAtSeveralLevels()
    {
        // Real spending: large answers of expensive models through the simulated provider.
        for (int i = 0; i < 7; ++i)
            QCOMPARE(send(RequestBodies::chat(u"claude-opus-4-8"_s,
                                              u"[[sim tokens=34000 tps=0]] draft the report"_s)),
                     200);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(send(RequestBodies::chat(u"gpt-4o"_s,
                                              u"[[sim tokens=80000 tps=0]] summarise the logs"_s)),
                     200);
        const QString team = createBudget({{u"name"_s, u"Team acme"_s},
                                           {u"layer"_s, u"account"_s},
                                           {u"subject"_s, u"acme"_s},
                                           {u"limitUsd"_s, 25}});
        const QString opus = createBudget({{u"name"_s, u"Opus per day"_s},
                                           {u"layer"_s, u"model"_s},
                                           {u"subject"_s, u"claude-opus-4-8"_s},
                                           {u"limitUsd"_s, 7},
                                           {u"period"_s, u"daily"_s}});
        const QString trial = createBudget({{u"name"_s, u"GPT-4o trial"_s},
                                            {u"layer"_s, u"model"_s},
                                            {u"subject"_s, u"gpt-4o"_s},
                                            {u"limitUsd"_s, 2},
                                            {u"period"_s, u"none"_s}});
        const QString tokens = createBudget({{u"name"_s, u"CI key tokens"_s},
                                             {u"layer"_s, u"key"_s},
                                             {u"subject"_s, u"ci"_s},
                                             {u"limitTokens"_s, 1'000'000},
                                             {u"period"_s, u"weekly"_s}});
        const QString runs = createBudget({{u"name"_s, u"Each nightly run"_s},
                                           {u"layer"_s, u"execution"_s},
                                           {u"subject"_s, u"nightly"_s},
                                           {u"limitUsd"_s, 0.5},
                                           {u"enforcement"_s, u"soft"_s}});
        for (const QString &id : {team, opus, trial, tokens, runs})
            QVERIFY(!id.isEmpty());
        // The trial is spent: the gateway refuses the next call.
        const auto refused = m_fixture.call("POST", "/openai/v1/chat/completions",
                                            RequestBodies::chat(u"gpt-4o"_s, u"one more"_s));
        QVERIFY(refused);
        QCOMPARE(refused->status, 402);
        // Its ledger row written means every call before it is written too (one queue).
        QVERIFY(!m_fixture.ledgerRow(*refused).isEmpty());
        QTRY_COMPARE(m_view->model()->rowCount(), 5);

        const auto level = [&](const QString &id) {
            return int(m_view->card(id)->gauge()->figures().level());
        };
        QTRY_COMPARE(level(team), int(BudgetFigures::Level::Ok));
        QTRY_COMPARE(level(opus), int(BudgetFigures::Level::Warning));
        QTRY_COMPARE(level(trial), int(BudgetFigures::Level::Failure));
        QVERIFY(m_view->card(trial)->gauge()->figures().denying());
        QVERIFY(m_view->card(tokens)->gauge()->figures().tokens());
        QVERIFY(!m_view->card(runs)->gauge()->figures().hard);
        // The bars' colours, as painted.
        const auto colour = [&](const QString &id) {
            BudgetGauge *gauge = m_view->card(id)->gauge();
            return gauge->grab().toImage().pixelColor(gauge->barRect().left() + 10,
                                                      gauge->barRect().center().y());
        };
        QCOMPARE(colour(team), ConsoleStyle::ok());
        QCOMPARE(colour(opus), ConsoleStyle::warning());
        QCOMPARE(colour(trial), ConsoleStyle::failure());

        m_view->refreshTypicalCalls();
        QTRY_VERIFY(m_view->modelPicker()->findText(u"claude-opus-4-8"_s) >= 0);
        m_view->modelPicker()->setCurrentIndex(
            m_view->modelPicker()->findText(u"claude-opus-4-8"_s));
        QVERIFY(m_view->card(opus)->fitText().contains(u"claude-opus-4-8"_s));
        m_view->card(team)->gauge()->setFocus();
        Screenshot::save(m_view.get(), u"budgets-levels"_s);

        // Dragging the limit down past the warning threshold turns the bar amber at once.
        BudgetGauge *gauge = m_view->card(team)->gauge();
        const int y = gauge->barRect().center().y();
        const qint64 spent = gauge->figures().spentMicros;
        QVERIFY(spent * 100 / 25'000'000 < 80);
        QTest::mousePress(gauge, Qt::LeftButton, {}, QPoint(gauge->handleX(), y));
        QTest::mouseMove(gauge, QPoint(gauge->xOf(spent * 100 / 85), y));
        QVERIFY(gauge->pendingLimit());
        QCOMPARE(colour(team), ConsoleStyle::warning());
        QVERIFY2(gauge->pendingText().endsWith(u"% used"_s), qPrintable(gauge->pendingText()));
        Screenshot::save(m_view.get(), u"budgets-dragging"_s);
        // Escape drops the drag: nothing is sent.
        QTest::keyClick(gauge, Qt::Key_Escape);
        QVERIFY(!gauge->pendingLimit());
        QTest::mouseRelease(gauge, Qt::LeftButton, {}, QPoint(gauge->xOf(spent * 100 / 85), y));
        QCOMPARE(colour(team), ConsoleStyle::ok());
        QCOMPARE(budget(team).value(u"limitMicros"_s).toInteger(), 25'000'000);

        // The form, as an operator fills it in for a new budget.
        BudgetForm *form = m_view->openForm();
        form->findChild<QLineEdit *>(u"name"_s)->setText(u"Sonnet for the docs flow"_s);
        auto *layer = form->findChild<QComboBox *>(u"layer"_s);
        layer->setCurrentIndex(layer->findData(u"model"_s));
        QTRY_VERIFY(form->subjectsFor(u"model"_s).contains(u"fast"_s));
        form->findChild<QComboBox *>(u"subject"_s)->setEditText(u"claude-sonnet-5"_s);
        form->findChild<QComboBox *>(u"withinAccount"_s)->setEditText(u"acme"_s);
        form->findChild<QLineEdit *>(u"limitUsd"_s)->setText(u"15.00"_s);
        auto *period = form->findChild<QComboBox *>(u"period"_s);
        period->setCurrentIndex(period->findData(u"weekly"_s));
        Screenshot::save(form, u"budget-form"_s);
        form->reject();
    }
};

QTEST_MAIN(tst_BudgetsView)
#include "tst_budgetsview.moc"
