// The console's window: status bar figures, kill switch, alert banner, restored state.
#include "common/consolestyle.h"
#include "gateway.h"
#include "gatewayconsole.h"
#include "gatewayfixture.h"
#include "requestbodies.h"
#include "shell/killswitchaction.h"
#include "shell/mainwindow.h"

#include <QApplication>
#include <QLabel>
#include <QListWidget>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QToolButton>

using namespace Qt::StringLiterals;

class tst_MainWindow : public QObject
{
    Q_OBJECT

    GatewayFixture m_fixture;
    std::unique_ptr<GatewayConsole> m_console;

    static QString labelText(const QWidget &window, const char *name)
    {
        const auto *label = window.findChild<QLabel *>(QString::fromLatin1(name));
        return label ? label->text() : QString();
    }
    int chat(const QString &model)
    {
        const auto response = m_fixture.call("POST", "/openai/v1/chat/completions",
                                             RequestBodies::chat(model, u"hello"_s));
        return response ? response->status : 0;
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
    }

    void statusBarShowsUrlRateAndSpend()
    {
        MainWindow window(m_console.get());
        window.show();
        QVERIFY(labelText(window, "listeningUrl").contains(m_fixture.gateway()->url()));
        QTRY_VERIFY(labelText(window, "spendToday").contains(u"$"_s));
        for (int i = 0; i < 5; ++i)
            QCOMPARE(chat(u"fast"_s), 200);
        // Five calls within the five-second window: at least 1.0 request per second.
        QTRY_VERIFY_WITH_TIMEOUT(!labelText(window, "requestRate").startsWith(u"0.0"_s), 3000);
        QTRY_VERIFY_WITH_TIMEOUT(labelText(window, "spendToday") != u"$0.00 today"_s, 3000);
        QCOMPARE(chat(u"mystery"_s), 200);
        QTRY_VERIFY_WITH_TIMEOUT(labelText(window, "spendToday").contains(u"unpriced"_s), 3000);
    }

    void killSwitchStopsTrafficAndShowsIt()
    {
        MainWindow window(m_console.get());
        window.show();
        KillSwitchAction *kill = window.killSwitch();
        QVERIFY(!kill->engaged());
        QSignalSpy changed(kill, &KillSwitchAction::stateChanged);
        kill->engage(false);
        QTRY_VERIFY(kill->engaged());
        QVERIFY(kill->isChecked());
        QCOMPARE(kill->text(), u"Resume traffic"_s);
        const auto *resume = window.findChild<QToolButton *>(u"resumeTraffic"_s);
        QVERIFY(resume && resume->isVisible());
        QVERIFY(labelText(window, "listeningUrl").contains(u"Stopped"_s));
        QCOMPARE(chat(u"fast"_s), 403);
        QTest::mouseClick(const_cast<QToolButton *>(resume), Qt::LeftButton);
        QTRY_VERIFY(!kill->engaged());
        QVERIFY(!resume->isVisible());
        QCOMPARE(chat(u"fast"_s), 200);
        QCOMPARE(changed.size(), 2);
    }

    void budgetAlertsShowABanner()
    {
        MainWindow window(m_console.get());
        window.show();
        const auto made = m_fixture.admin("POST", "/admin/v1/budgets",
                                          {{u"name"_s, u"tiny cap"_s},
                                           {u"layer"_s, u"model"_s},
                                           {u"subject"_s, u"fast"_s},
                                           {u"limitMicros"_s, 1}});
        QCOMPARE(made->status, 201);
        const QString id = GatewayFixture::json(*made).value(u"id"_s).toString();
        QCOMPARE(chat(u"fast"_s), 402);
        QTRY_VERIFY(window.findChild<QLabel *>(QString())); // laid out
        QTRY_VERIFY([&] {
            for (const QLabel *label : window.findChildren<QLabel *>()) {
                if (label->isVisible() && label->text().contains(u"tiny cap"_s) &&
                    label->text().contains(u"refusing"_s))
                    return true;
            }
            return false;
        }());
        m_fixture.admin("DELETE", "/admin/v1/budgets/" + id.toLatin1());
    }

    void geometryAndPageComeBack()
    {
        {
            MainWindow window(m_console.get());
            window.addPage(ConsoleIcons::Glyph::Live, u"one"_s, new QWidget);
            window.addPage(ConsoleIcons::Glyph::Usage, u"two"_s, new QWidget);
            window.show();
            window.resize(1111, 777);
            window.showPage(1);
            window.close();
        }
        MainWindow again(m_console.get());
        again.addPage(ConsoleIcons::Glyph::Live, u"one"_s, new QWidget);
        again.addPage(ConsoleIcons::Glyph::Usage, u"two"_s, new QWidget);
        QCOMPARE(again.size(), QSize(1111, 777));
        QCOMPARE(again.findChild<QListWidget *>(u"pages"_s)->currentRow(), 1);
    }

    void cleanupTestCase() { m_console.reset(); }
};

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
