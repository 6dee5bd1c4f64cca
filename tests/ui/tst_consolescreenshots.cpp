// The whole console over a gateway with real traffic, in English and in German: every page is
// saved as a screenshot (test artifacts), and in German no text on screen may be left in the
// English it was written in.
#include "access/accessview.h"
#include "budgets/budgetmodel.h"
#include "budgets/budgetsview.h"
#include "common/consolelanguage.h"
#include "common/consolestyle.h"
#include "gateway.h"
#include "gatewayconsole.h"
#include "gatewayfixture.h"
#include "live/liverequestmodel.h"
#include "live/liveview.h"
#include "requestbodies.h"
#include "screenshot.h"
#include "sessions/sessionsview.h"
#include "shell/consolepages.h"
#include "shell/mainwindow.h"
#include "testenv.h"
#include "usage/usageview.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QApplication>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

namespace {

// English source texts the German file translates into something else.
QSet<QString> translatedSources()
{
    QFile file(TestEnv::sourceDir() + u"/translations/gatehouse_de.ts"_s);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QSet<QString> sources;
    QXmlStreamReader xml(&file);
    QString source;
    while (!xml.atEnd()) {
        if (!xml.readNextStartElement())
            continue;
        if (xml.name() == u"source") {
            source = xml.readElementText();
        } else if (xml.name() == u"translation") {
            const bool unfinished = xml.attributes().value(u"type"_s) == u"unfinished";
            const QString translation = xml.readElementText();
            if (!unfinished && !translation.isEmpty() && translation != source)
                sources.insert(source);
        }
    }
    return sources;
}

// Every text the operator sees in a page: labels, buttons and column headers.
QStringList visibleTexts(QWidget *root)
{
    QStringList texts;
    for (const QLabel *label : root->findChildren<QLabel *>()) {
        if (label->isVisible())
            texts << label->text();
    }
    for (const QAbstractButton *button : root->findChildren<QAbstractButton *>()) {
        if (button->isVisible())
            texts << button->text();
    }
    for (const QAbstractItemView *view : root->findChildren<QAbstractItemView *>()) {
        if (!view->isVisible() || !view->model())
            continue;
        for (int column = 0; column < view->model()->columnCount(); ++column)
            texts << view->model()->headerData(column, Qt::Horizontal).toString();
    }
    texts.removeAll(QString());
    return texts;
}

} // namespace

class tst_ConsoleScreenshots : public QObject
{
    Q_OBJECT

    GatewayFixture m_fixture;
    std::unique_ptr<GatewayConsole> m_console;
    QByteArray m_claudeToken;
    QString m_claudeSession;

    QByteArray mint(const QJsonObject &request)
    {
        const auto response = m_fixture.admin("POST", "/admin/v1/credentials", request);
        return response && response->status == 201
                   ? GatewayFixture::json(*response).value(u"token"_s).toString().toLatin1()
                   : QByteArray();
    }
    int chat(const QString &model, const QByteArray &bearer = {})
    {
        const auto response = m_fixture.call(
            "POST", "/openai/v1/chat/completions",
            RequestBodies::chat(model, u"summarise the diff"_s, false, {{u"max_tokens"_s, 64}}),
            bearer);
        return response ? response->status : 0;
    }
    int claude(const QString &model, const QByteArray &agent = {})
    {
        QByteArray headers = "x-claude-code-session-id: 5f0c6f6e-1111-4222-8333-944445555666\r\n";
        if (!agent.isEmpty())
            headers += "x-claude-code-agent-id: " + agent + "\r\n";
        const auto response = m_fixture.call(
            "POST", "/anthropic/v1/messages",
            RequestBodies::message(model, u"refactor the parser"_s, 64), m_claudeToken, headers);
        if (response && response->status == 200 && m_claudeSession.isEmpty())
            m_claudeSession = m_fixture.ledgerRow(*response).value(u"runtime_session"_s).toString();
        return response ? response->status : 0;
    }
    // A mix an operator sees on a normal day: fine calls, an unpriced model, a refused
    // caller, a provider that is down, a budget that says no, and a Claude Code session.
    void traffic()
    {
        for (int i = 0; i < 3; ++i)
            QCOMPARE(chat(u"fast"_s), 200);
        QCOMPARE(chat(u"mystery"_s), 200);
        QCOMPARE(chat(u"fast"_s, "not-a-key"), 401);
        QCOMPARE(chat(u"down-model"_s), 502);
        QCOMPARE(chat(u"gpt-4.1"_s), 402);
        QCOMPARE(claude(u"claude-sonnet-4-5"_s), 200);
        QCOMPARE(claude(u"claude-haiku-4-5"_s, "agent-7"), 200);
    }
    QJsonObject budget(const QJsonObject &definition)
    {
        const auto response = m_fixture.admin("POST", "/admin/v1/budgets", definition);
        return response && response->status == 201 ? GatewayFixture::json(*response)
                                                   : QJsonObject();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings(u"Gatehouse"_s, u"Gatehouse"_s).clear();
        ConsoleStyle::apply(*qApp);
        QString error;
        QVERIFY2(m_fixture.start(&error), qPrintable(error));
        m_console = std::make_unique<GatewayConsole>(m_fixture.gateway());
        m_claudeToken = mint({{u"principal"_s, u"claude-code"_s}});
        QVERIFY(!m_claudeToken.isEmpty());
        QVERIFY(!budget({{u"name"_s, u"Team acme"_s},
                         {u"layer"_s, u"account"_s},
                         {u"subject"_s, u"acme"_s},
                         {u"period"_s, u"monthly"_s},
                         {u"allowUnpriced"_s, true},
                         {u"limitUsd"_s, 0.01}})
                     .isEmpty());
        QVERIFY(!budget({{u"name"_s, u"Fast per day"_s},
                         {u"layer"_s, u"model"_s},
                         {u"subject"_s, u"fast"_s},
                         {u"period"_s, u"daily"_s},
                         {u"limitUsd"_s, 0.0004},
                         {u"alertPercents"_s, QJsonArray{25, 80}}})
                     .isEmpty());
        QVERIFY(!budget({{u"name"_s, u"GPT-4.1 trial"_s},
                         {u"layer"_s, u"model"_s},
                         {u"subject"_s, u"gpt-4.1"_s},
                         {u"period"_s, u"none"_s},
                         {u"limitUsd"_s, 0.000001}})
                     .isEmpty());
        QVERIFY(!budget({{u"name"_s, u"CI key tokens"_s},
                         {u"layer"_s, u"key"_s},
                         {u"subject"_s, u"ci"_s},
                         {u"period"_s, u"weekly"_s},
                         {u"limitTokens"_s, 2000}})
                     .isEmpty());
        traffic();
    }

    void everyPage_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QStringList>("pageTitles");
        QTest::newRow("en") << u"en"_s
                            << QStringList{u"Live"_s,    u"Sessions"_s,          u"Usage"_s,
                                           u"Budgets"_s, u"Models and access"_s, u"Settings"_s};
        QTest::newRow("de") << u"de"_s
                            << QStringList{
                                   u"Live"_s,    u"Sitzungen"_s,          u"Nutzung"_s,
                                   u"Budgets"_s, u"Modelle und Zugang"_s, u"Einstellungen"_s};
    }

    void everyPage()
    {
        QFETCH(QString, language);
        QFETCH(QStringList, pageTitles);
        QCOMPARE(ConsoleLanguage::install(*qApp, language), language);
        MainWindow window(m_console.get());
        ConsolePages::addAll(&window, m_console.get());
        window.resize(1280, 800);
        window.show();
        // Every page fits a 1280 x 800 screen in every language.
        QVERIFY2(window.minimumSizeHint().width() <= 1280 &&
                     window.minimumSizeHint().height() <= 800,
                 qPrintable(u"minimum %1 x %2"_s.arg(window.minimumSizeHint().width())
                                .arg(window.minimumSizeHint().height())));
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        const auto *pages = window.findChild<QListWidget *>(u"pages"_s);
        QStringList titles;
        for (int row = 0; row < pages->count(); ++row)
            titles << pages->item(row)->text();
        QCOMPARE(titles, pageTitles);

        // Live shows what happens while it is open.
        window.showPage(ConsolePages::Live);
        auto *live = qobject_cast<LiveView *>(window.page(ConsolePages::Live));
        QVERIFY(live);
        traffic();
        QTRY_VERIFY(live->model()->rowCount() >= 9);
        live->table()->selectRow(0);

        auto *sessions = qobject_cast<SessionsView *>(window.page(ConsolePages::Sessions));
        QSignalSpy sessionsUpdated(sessions, &SessionsView::updated);
        window.showPage(ConsolePages::Sessions);
        QVERIFY(sessionsUpdated.wait(10'000));
        QSignalSpy timeline(sessions, &SessionsView::timelineUpdated);
        sessions->choose(m_claudeSession);
        QVERIFY(timeline.wait(10'000));

        auto *usage = qobject_cast<UsageView *>(window.page(ConsolePages::Usage));
        QSignalSpy usageUpdated(usage, &UsageView::updated);
        window.showPage(ConsolePages::Usage);
        QVERIFY(usageUpdated.wait(10'000));

        auto *budgets = qobject_cast<BudgetsView *>(window.page(ConsolePages::Budgets));
        window.showPage(ConsolePages::Budgets);
        QTRY_COMPARE(budgets->model()->rowCount(), 4);

        auto *access = qobject_cast<AccessView *>(window.page(ConsolePages::Access));
        QSignalSpy accessRefreshed(access, &AccessView::refreshed);
        window.showPage(ConsolePages::Access);
        QVERIFY(accessRefreshed.wait(10'000));

        const QSet<QString> english = translatedSources();
        QVERIFY(english.size() > 100);
        const QStringList names{u"live"_s,    u"sessions"_s, u"usage"_s,
                                u"budgets"_s, u"access"_s,   u"settings"_s};
        for (int page = 0; page < window.pageCount(); ++page) {
            window.showPage(page);
            QCoreApplication::processEvents();
            Screenshot::save(&window, u"window-"_s + names.at(page), language);
            if (language == u"en")
                continue;
            QStringList leftInEnglish;
            for (const QString &text : visibleTexts(&window)) {
                if (english.contains(text))
                    leftInEnglish << text;
            }
            QVERIFY2(leftInEnglish.isEmpty(),
                     qPrintable(names.at(page) + u": "_s + leftInEnglish.join(u" | "_s)));
        }
        window.close();
    }

    void cleanupTestCase()
    {
        ConsoleLanguage::install(*qApp, u"en"_s);
        m_console.reset();
    }
};

QTEST_MAIN(tst_ConsoleScreenshots)
#include "tst_consolescreenshots.moc"
