// The console's settings: ConsoleSettings round-trips each value and applies only what is set to
// a Configuration; the Settings page starts from the running gateway, writes only what the
// operator changed, marks what applies at the next start, and refuses an invalid redaction
// pattern or database URL with a message. QSettings lives in a temporary directory.
#include "common/consolestyle.h"
#include "config/configuration.h"
#include "gatewayconsole.h"
#include "gatewayfixture.h"
#include "screenshot.h"
#include "settings/consolesettings.h"
#include "settings/redactionpatternmodel.h"
#include "settings/settingsview.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

template<typename T> T *child(QWidget *parent, const char *name)
{
    return parent->findChild<T *>(QString::fromLatin1(name));
}

// Configuration's fields this page touches, as text, to compare before and after.
QStringList fields(const Configuration &c)
{
    QStringList patterns;
    for (const RedactionPattern &p : c.events.redactionPatterns)
        patterns += p.name + u'=' + p.regex;
    return {c.listenHost,
            QString::number(c.listenPort),
            c.dataDir,
            c.database.isPostgres() ? c.database.displayText() : u"embedded"_s,
            QString::number(c.events.retentionDays),
            QString::number(c.events.maxStoredBytes),
            c.events.captureFullBodies ? u"capture"_s : u"previews"_s,
            patterns.join(u';')};
}

} // namespace

using Change = std::function<void(ConsoleSettings &)>;
using Expect = std::function<void(Configuration &)>;
Q_DECLARE_METATYPE(Change)
Q_DECLARE_METATYPE(Expect)

class tst_SettingsView : public QObject
{
    Q_OBJECT

    QTemporaryDir m_settingsDir;
    GatewayFixture m_fixture;
    std::unique_ptr<GatewayConsole> m_console;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_settingsDir.isValid());
        for (const QSettings::Format format : {QSettings::NativeFormat, QSettings::IniFormat})
            QSettings::setPath(format, QSettings::UserScope, m_settingsDir.path());
        ConsoleStyle::apply(*qApp);
        m_fixture.configuration().events.retentionDays = 30;
        m_fixture.configuration().events.redactionPatterns = {{u"ticket"_s, u"TICKET-[0-9]{6}"_s}};
        QString error;
        QVERIFY2(m_fixture.start(&error), qPrintable(error));
        m_console = std::make_unique<GatewayConsole>(m_fixture.gateway());
    }
    void cleanupTestCase() { m_console.reset(); }
    void init() { QSettings(u"Gatehouse"_s, u"Gatehouse"_s).clear(); }

    void storesInTheTemporaryLocation()
    {
        ConsoleSettings settings;
        settings.setRetentionDays(3);
        settings.sync();
        const QString file = QSettings(u"Gatehouse"_s, u"Gatehouse"_s).fileName();
        QVERIFY2(file.startsWith(m_settingsDir.path()), qPrintable(file));
        QVERIFY(QFile::exists(file));
    }

    void nothingSetChangesNothing()
    {
        Configuration configuration;
        configuration.dataDir = u"/srv/gatehouse"_s;
        configuration.events.redactionPatterns = {{u"x"_s, u"x+"_s}};
        const QStringList before = fields(configuration);
        ConsoleSettings().applyTo(&configuration);
        QCOMPARE(fields(configuration), before);
        QCOMPARE(ConsoleSettings().language(), QString());
    }

    void roundTrip_data()
    {
        QTest::addColumn<Change>("change");
        QTest::addColumn<Expect>("expect");
        QTest::newRow("listen host")
            << Change([](ConsoleSettings &s) { s.setListenHost(u"0.0.0.0"_s); })
            << Expect([](Configuration &c) { c.listenHost = u"0.0.0.0"_s; });
        QTest::newRow("listen port") << Change([](ConsoleSettings &s) { s.setListenPort(9100); })
                                     << Expect([](Configuration &c) { c.listenPort = 9100; });
        QTest::newRow("port 0 picks a free one")
            << Change([](ConsoleSettings &s) { s.setListenPort(0); })
            << Expect([](Configuration &c) { c.listenPort = 0; });
        QTest::newRow("data directory")
            << Change([](ConsoleSettings &s) { s.setDataDir(u"/var/lib/gh"_s); })
            << Expect([](Configuration &c) { c.dataDir = u"/var/lib/gh"_s; });
        QTest::newRow("team database") << Change([](ConsoleSettings &s) {
            s.setDatabase(u"postgresql://gh@db:5433/ledger"_s);
        }) << Expect([](Configuration &c) {
            c.database = *DatabaseLocation::parse(u"postgresql://gh@db:5433/ledger"_s, nullptr);
        });
        QTest::newRow("retention days")
            << Change([](ConsoleSettings &s) { s.setRetentionDays(7); })
            << Expect([](Configuration &c) { c.events.retentionDays = 7; });
        QTest::newRow("retention size")
            << Change([](ConsoleSettings &s) { s.setMaxStoredBytes(qint64(5) << 30); })
            << Expect([](Configuration &c) { c.events.maxStoredBytes = qint64(5) << 30; });
        QTest::newRow("full bodies on")
            << Change([](ConsoleSettings &s) { s.setCaptureFullBodies(true); })
            << Expect([](Configuration &c) { c.events.captureFullBodies = true; });
        QTest::newRow("patterns replace the file's") << Change([](ConsoleSettings &s) {
            s.setRedactionPatterns({{u"ticket"_s, u"TCK-\\d+"_s}, {u"host"_s, u"db\\d\\.corp"_s}});
        }) << Expect([](Configuration &c) {
            c.events.redactionPatterns = {{u"ticket"_s, u"TCK-\\d+"_s},
                                          {u"host"_s, u"db\\d\\.corp"_s}};
        });
        QTest::newRow("no patterns is a choice")
            << Change([](ConsoleSettings &s) { s.setRedactionPatterns({}); })
            << Expect([](Configuration &c) { c.events.redactionPatterns.clear(); });
    }
    void roundTrip()
    {
        QFETCH(Change, change);
        QFETCH(Expect, expect);
        {
            ConsoleSettings writer;
            change(writer);
            writer.sync();
        }
        Configuration configuration;
        configuration.dataDir = u"/srv/gatehouse"_s;
        configuration.events.redactionPatterns = {{u"file"_s, u"from-the-file-\\d"_s}};
        Configuration expected = configuration;
        expect(expected);
        ConsoleSettings().applyTo(&configuration); // a new instance reads what was stored
        QCOMPARE(fields(configuration), fields(expected));
    }

    void valuesOutOfRangeAreIgnored()
    {
        QSettings raw(u"Gatehouse"_s, u"Gatehouse"_s);
        raw.setValue(u"listen/port"_s, 70000);
        raw.setValue(u"events/retentionDays"_s, 0);
        raw.setValue(u"events/maxStoredBytes"_s, 1000);
        raw.sync();
        Configuration configuration;
        const QStringList before = fields(configuration);
        ConsoleSettings().applyTo(&configuration);
        QCOMPARE(fields(configuration), before);
    }

    // Nothing saved: the file's database; Embedded saved: the data directory's SQLite file even
    // when the file names a team database.
    void embeddedSavedOverridesTheFilesTeamDatabase()
    {
        const DatabaseLocation team = *DatabaseLocation::parse(u"postgresql://file@db/f"_s, nullptr);
        Configuration configuration;
        configuration.database = team;
        ConsoleSettings().applyTo(&configuration);
        QCOMPARE(configuration.database, team);

        ConsoleSettings settings;
        settings.setDatabase(ConsoleSettings::kEmbeddedDatabase);
        settings.sync();
        ConsoleSettings().applyTo(&configuration);
        QVERIFY(!configuration.database.isSet());

        settings.setDatabase(QString()); // back to the file's
        settings.sync();
        configuration.database = team;
        ConsoleSettings().applyTo(&configuration);
        QCOMPARE(configuration.database, team);
    }

    void anInvalidDatabaseIsIgnoredWithAWarning()
    {
        ConsoleSettings settings;
        settings.setDatabase(u"mysql://gh:hunter2@db/ledger"_s);
        Configuration configuration;
        configuration.database = *DatabaseLocation::parse(u"postgresql://file@db/f"_s, nullptr);
        const DatabaseLocation fromTheFile = configuration.database;
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(u"^gatehouse: ignoring the database saved in "
                                                "Settings: expected postgresql://"_s));
        settings.applyTo(&configuration);
        QCOMPARE(configuration.database, fromTheFile);
    }

    void language()
    {
        ConsoleSettings settings;
        settings.setLanguage(u"de"_s);
        QCOMPARE(ConsoleSettings().language(), u"de"_s);
        settings.setLanguage(QString());
        QCOMPARE(ConsoleSettings().language(), QString());
        QVERIFY(!QSettings(u"Gatehouse"_s, u"Gatehouse"_s).contains(u"console/language"_s));
    }

    void patternModelChecksEachPattern()
    {
        RedactionPatternModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPatterns({{u"ticket"_s, u"TICKET-[0-9]{6}"_s}});
        QVERIFY(model.allValid());
        const int row = model.addPattern();
        QCOMPARE(row, 1);
        QCOMPARE(model.patterns().at(1).name, u"secret-2"_s);
        QVERIFY(!model.problem(1).isEmpty()); // no regex yet
        const QModelIndex regex = model.index(1, RedactionPatternModel::Regex);
        QVERIFY(model.setData(regex, u"(unclosed"_s));
        QVERIFY2(model.problem(1).contains(u"position"_s), qPrintable(model.problem(1)));
        QCOMPARE(model.data(model.index(1, RedactionPatternModel::Problem)).toString(),
                 model.problem(1));
        QVERIFY(!model.allValid());
        QVERIFY(model.setData(regex, u"x*"_s));
        QVERIFY(model.problem(1).contains(u"empty"_s));
        QVERIFY(model.setData(regex, u"sk-corp-[a-z0-9]{20}"_s));
        QVERIFY(model.problem(1).isEmpty());
        QVERIFY(model.setData(model.index(1, RedactionPatternModel::Name), u"bad name"_s));
        QVERIFY(!model.problem(1).isEmpty());
        QVERIFY(!model.setData(model.index(1, RedactionPatternModel::Problem), u"x"_s));
        QVERIFY(
            !(model.flags(model.index(1, RedactionPatternModel::Problem)) & Qt::ItemIsEditable));
        model.removePattern(1);
        QCOMPARE(model.rowCount(), 1);
        QVERIFY(model.allValid());
    }

    void startsFromTheRunningGateway()
    {
        SettingsView view(m_console.get());
        QAbstractItemModelTester tester(view.redactionPatterns(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const Configuration &running = m_console->configuration();
        QCOMPARE(child<QLineEdit>(&view, "listenHost")->text(), running.listenHost);
        QCOMPARE(child<QSpinBox>(&view, "listenPort")->value(), int(running.listenPort));
        QCOMPARE(child<QLineEdit>(&view, "dataDir")->text(),
                 QDir::toNativeSeparators(running.dataDir));
        QCOMPARE(child<QSpinBox>(&view, "retentionDays")->value(), 30);
        QCOMPARE(view.redactionPatterns()->patterns().size(), 1);
        QCOMPARE(view.redactionPatterns()->patterns().first().name, u"ticket"_s);
        QVERIFY(!view.hasUnsavedChanges());
        QVERIFY(!child<QPushButton>(&view, "saveSettings")->isEnabled());
        for (QLabel *label : view.findChildren<QLabel *>()) {
            if (label->text() == u"applies at next start")
                QVERIFY(label->isHidden());
        }
    }

    void savesWhatTheOperatorChanged()
    {
        SettingsView view(m_console.get());
        child<QSpinBox>(&view, "listenPort")->setValue(9191);
        child<QSpinBox>(&view, "retentionDays")->setValue(7);
        child<QSpinBox>(&view, "maxStoredMiB")->setValue(512);
        child<QCheckBox>(&view, "captureFullBodies")->setChecked(true);
        auto *language = child<QComboBox>(&view, "language");
        language->setCurrentIndex(language->findData(u"de"_s));
        const int row = view.redactionPatterns()->addPattern();
        view.redactionPatterns()->setData(
            view.redactionPatterns()->index(row, RedactionPatternModel::Regex),
            u"corp-[0-9a-f]{32}"_s);
        QVERIFY(view.hasUnsavedChanges());
        int hints = 0;
        for (QLabel *label : view.findChildren<QLabel *>())
            hints += label->text() == u"applies at next start" && !label->isHidden();
        QCOMPARE(hints, 5); // port, retention, patterns, capture, language

        auto *save = child<QPushButton>(&view, "saveSettings");
        QVERIFY(save->isEnabled());
        QSignalSpy saved(&view, &SettingsView::saved);
        QTest::mouseClick(save, Qt::LeftButton);
        QCOMPARE(saved.size(), 1);
        QVERIFY(!view.hasUnsavedChanges());
        QVERIFY(child<QLabel>(&view, "settingsStatus")->text().contains(u"Restart"_s));

        const ConsoleSettings stored;
        QCOMPARE(stored.listenPort(), std::optional<quint16>(9191));
        QCOMPARE(stored.retentionDays(), std::optional<int>(7));
        QCOMPARE(stored.maxStoredBytes(), std::optional<qint64>(qint64(512) << 20));
        QCOMPARE(stored.captureFullBodies(), std::optional<bool>(true));
        QCOMPARE(stored.language(), u"de"_s);
        QCOMPARE(stored.redactionPatterns()->size(), 2);
        QCOMPARE(stored.redactionPatterns()->at(1).regex, u"corp-[0-9a-f]{32}"_s);
        // Untouched: still the configuration's to decide.
        QVERIFY(!stored.listenHost());
        QVERIFY(!stored.dataDir());

        Configuration next;
        next.dataDir = u"/from/the/file"_s;
        stored.applyTo(&next);
        QCOMPARE(next.listenPort, quint16(9191));
        QCOMPARE(next.events.retentionDays, 7);
        QCOMPARE(next.events.maxStoredBytes, qint64(512) << 20);
        QVERIFY(next.events.captureFullBodies);
        QCOMPARE(next.events.redactionPatterns.size(), 2);
        QCOMPARE(next.dataDir, u"/from/the/file"_s);
        QCOMPARE(next.listenHost, Configuration().listenHost);

        // A new page shows what is saved, still marked for the next start.
        SettingsView again(m_console.get());
        QCOMPARE(child<QSpinBox>(&again, "listenPort")->value(), 9191);
        QVERIFY(!again.hasUnsavedChanges());
    }

    void refusesAnInvalidPattern_data()
    {
        QTest::addColumn<QString>("regex");
        QTest::addColumn<QString>("reason");
        QTest::newRow("does not compile") << u"(unclosed"_s << u"position"_s;
        QTest::newRow("matches empty text") << u"[a-z]*"_s << u"empty text"_s;
    }
    void refusesAnInvalidPattern()
    {
        QFETCH(QString, regex);
        QFETCH(QString, reason);
        SettingsView view(m_console.get());
        const int row = view.redactionPatterns()->addPattern();
        view.redactionPatterns()->setData(
            view.redactionPatterns()->index(row, RedactionPatternModel::Regex), regex);
        auto *message = child<QLabel>(&view, "patternMessage");
        QVERIFY(!message->isHidden());
        QVERIFY2(message->text().contains(view.redactionPatterns()->patterns().at(row).name) &&
                     message->text().contains(reason),
                 qPrintable(message->text()));
        QVERIFY(!child<QPushButton>(&view, "saveSettings")->isEnabled());
        QVERIFY(!view.save());
        QVERIFY(!ConsoleSettings().redactionPatterns());

        // Fixed, it saves.
        view.redactionPatterns()->setData(
            view.redactionPatterns()->index(row, RedactionPatternModel::Regex), u"tok_[0-9]+"_s);
        QVERIFY(message->isHidden());
        QVERIFY(view.save());
        QCOMPARE(ConsoleSettings().redactionPatterns()->size(), 2);
    }

    void refusesAnInvalidAddress()
    {
        SettingsView view(m_console.get());
        child<QLineEdit>(&view, "listenHost")->setText(u"not an address"_s);
        QVERIFY(!view.save());
        child<QLineEdit>(&view, "dataDir")->setText(u"relative/dir"_s);
        QVERIFY(!child<QPushButton>(&view, "saveSettings")->isEnabled());
        child<QLineEdit>(&view, "listenHost")->setText(u"::1"_s);
        child<QLineEdit>(&view, "dataDir")->setText(m_settingsDir.filePath(u"data"_s));
        QVERIFY(view.save());
        QCOMPARE(ConsoleSettings().listenHost(), std::optional<QString>(u"::1"_s));
        QCOMPARE(ConsoleSettings().dataDir().value_or(QString()),
                 m_settingsDir.filePath(u"data"_s));
    }

    void savesATeamDatabase()
    {
        SettingsView view(m_console.get());
        auto *kind = child<QComboBox>(&view, "databaseKind");
        auto *url = child<QLineEdit>(&view, "databaseUrl");
        auto *password = child<QLineEdit>(&view, "databasePassword");
        QCOMPARE(kind->currentIndex(), 0); // embedded, as the gateway runs
        QVERIFY(!url->isEnabled());
        QCOMPARE(password->echoMode(), QLineEdit::Password);

        kind->setCurrentIndex(1);
        QVERIFY(url->isEnabled() && password->isEnabled());
        url->setText(u"postgresql://gatehouse@db.example:5433/team?sslmode=require"_s);
        password->setText(u"s3cret"_s);
        QVERIFY(child<QLabel>(&view, "databaseMessage")->isHidden());
        int hints = 0;
        for (QLabel *label : view.findChildren<QLabel *>())
            hints += label->text() == u"applies at next start" && !label->isHidden();
        QCOMPARE(hints, 1);
        QVERIFY(view.save());

        const QString stored = ConsoleSettings().database();
        QVERIFY2(stored.contains(u"s3cret"_s), qPrintable(stored)); // the gateway needs it
        // ... so only the owner may read the file that holds it.
        QCOMPARE(QFile::permissions(QSettings().fileName()) & 0x0077, QFileDevice::Permissions());
        Configuration next;
        ConsoleSettings().applyTo(&next);
        QCOMPARE(
            next.database,
            *DatabaseLocation::parse(
                u"postgresql://gatehouse:s3cret@db.example:5433/team?sslmode=require"_s, nullptr));
        QVERIFY(child<QLabel>(&view, "settingsStatus")->text().contains(u"Restart"_s));

        // The password is never on screen in clear, also when it was typed into the URL.
        url->setText(u"postgresql://gatehouse:typed-in-url@db.example:5433/team"_s);
        password->clear();
        QVERIFY(view.save());
        QCOMPARE(url->text(), u"postgresql://gatehouse@db.example:5433/team"_s);
        QCOMPARE(password->text(), u"typed-in-url"_s);
        SettingsView again(m_console.get());
        QCOMPARE(child<QComboBox>(&again, "databaseKind")->currentIndex(), 1);
        QCOMPARE(child<QLineEdit>(&again, "databaseUrl")->text(),
                 u"postgresql://gatehouse@db.example:5433/team"_s);
        QCOMPARE(child<QLineEdit>(&again, "databasePassword")->echoMode(), QLineEdit::Password);
        QVERIFY(!again.hasUnsavedChanges());
        for (QLabel *label : again.findChildren<QLabel *>())
            QVERIFY2(!label->text().contains(u"typed-in-url"_s), qPrintable(label->text()));

        // Embedded again: saved as a choice, which wins over a team database in the file too.
        child<QComboBox>(&again, "databaseKind")->setCurrentIndex(0);
        QVERIFY(again.save());
        QCOMPARE(ConsoleSettings().database(), ConsoleSettings::kEmbeddedDatabase);
        Configuration embedded;
        embedded.database = *DatabaseLocation::parse(u"postgresql://file@db/f"_s, nullptr);
        ConsoleSettings().applyTo(&embedded);
        QVERIFY(!embedded.database.isSet());
        SettingsView shown(m_console.get());
        QCOMPARE(child<QComboBox>(&shown, "databaseKind")->currentIndex(), 0);
        QVERIFY(child<QLineEdit>(&shown, "databaseUrl")->text().isEmpty());
        QVERIFY(!shown.hasUnsavedChanges());
    }

    void refusesAnInvalidDatabaseUrl_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("reason");
        QTest::newRow("empty") << QString() << u"Enter the database's URL"_s;
        QTest::newRow("not PostgreSQL") << u"mysql://gh:pw@db/ledger"_s << u"expected postgresql"_s;
        QTest::newRow("no database") << u"postgresql://gh:pw@db"_s << u"name one database"_s;
        QTest::newRow("no host") << u"postgresql:///ledger"_s << u"no host"_s;
    }
    void refusesAnInvalidDatabaseUrl()
    {
        QFETCH(QString, url);
        QFETCH(QString, reason);
        SettingsView view(m_console.get());
        child<QComboBox>(&view, "databaseKind")->setCurrentIndex(1);
        child<QLineEdit>(&view, "databaseUrl")->setText(url);
        auto *message = child<QLabel>(&view, "databaseMessage");
        QVERIFY(!message->isHidden());
        QVERIFY2(message->text().contains(reason), qPrintable(message->text()));
        QVERIFY2(!message->text().contains(u":pw"_s), qPrintable(message->text()));
        QVERIFY(!child<QPushButton>(&view, "saveSettings")->isEnabled());
        QVERIFY(!view.save());
        QVERIFY(!QSettings(u"Gatehouse"_s, u"Gatehouse"_s).contains(u"storage/database"_s));
    }

    void revertRestoresWhatIsSaved()
    {
        SettingsView view(m_console.get());
        child<QSpinBox>(&view, "retentionDays")->setValue(90);
        QVERIFY(view.hasUnsavedChanges());
        QTest::mouseClick(child<QPushButton>(&view, "revertSettings"), Qt::LeftButton);
        QCOMPARE(child<QSpinBox>(&view, "retentionDays")->value(), 30);
        QVERIFY(!view.hasUnsavedChanges());
        QVERIFY(!ConsoleSettings().retentionDays());
    }

    void screenshot()
    {
        ConsoleSettings stored;
        stored.setRedactionPatterns({{u"ticket"_s, u"TICKET-[0-9]{6}"_s},
                                     {u"internal-host"_s, u"[a-z0-9-]+\\.corp\\.example"_s},
                                     {u"customer-id"_s, u"CUST-(?<secret>[0-9]{8})"_s}});
        stored.sync();
        SettingsView view(m_console.get());
        view.resize(1280, 800);
        child<QCheckBox>(&view, "captureFullBodies")->setChecked(true);
        child<QSpinBox>(&view, "retentionDays")->setValue(14);
        child<QComboBox>(&view, "databaseKind")->setCurrentIndex(1);
        child<QLineEdit>(&view, "databaseUrl")
            ->setText(u"postgresql://gatehouse@db.example:5432/gatehouse?sslmode=require"_s);
        const int row = view.redactionPatterns()->addPattern();
        view.redactionPatterns()->setData(
            view.redactionPatterns()->index(row, RedactionPatternModel::Regex), u"(build-"_s);
        Screenshot::save(&view, u"settings-page"_s);
    }
};

QTEST_MAIN(tst_SettingsView)
#include "tst_settingsview.moc"
