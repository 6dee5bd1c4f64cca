#include "ledger/databaselocation.h"

#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

// Where the store lives, from --database or the configuration's "database": parsed, checked,
// and never shown with its password.
class TestDatabaseLocation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // First: it only takes before this process uses SQLite.
    void sqliteConnectionsCarryNoMutex()
    {
        QVERIFY(DatabaseLocation::configureSqliteForThreadOwnedConnections());
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        {
            QSqlDatabase db = DatabaseLocation::sqliteFile(dir.filePath(u"ledger.sqlite"_s))
                                  .addConnection(u"thread-owned"_s);
            QVERIFY(db.open());
            const QVariant handle = db.driver()->handle();
            QCOMPARE(handle.typeName(), "sqlite3*");
            sqlite3 *connection = *static_cast<sqlite3 *const *>(handle.constData());
            // Multi-thread mode: a connection has no mutex (serialised mode gives every one).
            QCOMPARE(sqlite3_db_mutex(connection), nullptr);
            QSqlQuery query(db);
            QVERIFY(query.exec(u"CREATE TABLE t (x INTEGER)"_s));
            QVERIFY(query.exec(u"INSERT INTO t VALUES (42)"_s));
            QVERIFY(query.exec(u"SELECT x FROM t"_s) && query.next());
            QCOMPARE(query.value(0).toInt(), 42);
        }
        QSqlDatabase::removeDatabase(u"thread-owned"_s);
        // SQLite is initialised now: too late, and nothing changes.
        QVERIFY(!DatabaseLocation::configureSqliteForThreadOwnedConnections());
    }

    void parses_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("database");
        QTest::addColumn<QString>("display");

        QTest::newRow("full") << u"postgresql://gh:s3cret@db.internal:6543/ledger"_s
                              << u"db.internal"_s << 6543 << u"gh"_s << u"ledger"_s
                              << u"postgresql://gh@db.internal:6543/ledger"_s;
        QTest::newRow("default port")
            << u"postgresql://gh@127.0.0.1/team"_s << u"127.0.0.1"_s << 5432 << u"gh"_s << u"team"_s
            << u"postgresql://gh@127.0.0.1/team"_s;
        QTest::newRow("postgres scheme, options")
            << u"postgres://gh:pw@h/team?sslmode=require"_s << u"h"_s << 5432 << u"gh"_s
            << u"team"_s << u"postgresql://gh@h/team"_s;
    }

    void parses()
    {
        QFETCH(QString, text);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, user);
        QFETCH(QString, database);
        QFETCH(QString, display);
        QString error;
        const auto location = DatabaseLocation::parse(text, &error);
        QVERIFY2(location, qPrintable(error));
        QVERIFY(location->isPostgres());
        QCOMPARE(location->host(), host);
        QCOMPARE(location->port(), port);
        QCOMPARE(location->user(), user);
        QCOMPARE(location->databaseName(), database);
        QCOMPARE(location->displayText(), display);
        QCOMPARE(location->dialect().driver, u"QPSQL"_s);
    }

    void refuses_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("reason");
        QTest::newRow("a file") << u"/var/lib/ledger.sqlite"_s << u"expected postgresql://"_s;
        QTest::newRow("other scheme") << u"mysql://u:pw@h/db"_s << u"expected postgresql://"_s;
        QTest::newRow("no database") << u"postgresql://u:pw@h/"_s << u"name one database"_s;
        QTest::newRow("no host") << u"postgresql:///db"_s << u"no host"_s;
        QTest::newRow("bad option") << u"postgresql://u:pw@h/db?a;b=1"_s << u"malformed option"_s;
    }

    void refuses()
    {
        QFETCH(QString, text);
        QFETCH(QString, reason);
        QString error;
        QVERIFY(!DatabaseLocation::parse(text, &error));
        QVERIFY2(error.contains(reason), qPrintable(error));
        QVERIFY2(!error.contains(u"pw"_s), qPrintable(error)); // the password never shows
    }

    void defaultIsLedgerFileInTheDataDirectory()
    {
        const DatabaseLocation location;
        QVERIFY(!location.isSet());
        const DatabaseLocation resolved = location.resolved(u"/data"_s);
        QCOMPARE(resolved.kind(), DatabaseLocation::Kind::SQLite);
        QCOMPARE(resolved.file(), u"/data/ledger.sqlite"_s);
        QCOMPARE(resolved.dialect().driver, u"QSQLITE"_s);
    }

    void connectionCarriesTheCredentialsAndATimeout()
    {
        QString error;
        const auto location = DatabaseLocation::parse(
            u"postgresql://gh:s3cret@db:6543/ledger?sslmode=require"_s, &error);
        QVERIFY2(location, qPrintable(error));
        {
            const QSqlDatabase db = location->addConnection(u"location-test"_s);
            QCOMPARE(db.driverName(), u"QPSQL"_s);
            QCOMPARE(db.hostName(), u"db"_s);
            QCOMPARE(db.port(), 6543);
            QCOMPARE(db.userName(), u"gh"_s);
            QCOMPARE(db.password(), u"s3cret"_s);
            QCOMPARE(db.databaseName(), u"ledger"_s);
            QCOMPARE(db.connectOptions(), u"sslmode=require;connect_timeout=5"_s);
        }
        QSqlDatabase::removeDatabase(u"location-test"_s);
    }
};

QTEST_GUILESS_MAIN(TestDatabaseLocation)
#include "tst_databaselocation.moc"
