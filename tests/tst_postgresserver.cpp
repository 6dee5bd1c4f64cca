#include "postgresserver.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QUrl>

using namespace Qt::StringLiterals;

// The test PostgreSQL server itself: it starts, serves its database on loopback, keeps its
// data across a restart and refuses connections while stopped.
class TestPostgresServer : public QObject
{
    Q_OBJECT

private:
    static bool connect(const PostgresServer &server, QString *error)
    {
        const QUrl url(server.url());
        bool opened = false;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, u"probe"_s);
            db.setHostName(url.host());
            db.setPort(url.port());
            db.setUserName(url.userName());
            db.setDatabaseName(url.path().mid(1));
            db.setConnectOptions(u"connect_timeout=2"_s);
            opened = db.open();
            if (!opened)
                *error = db.lastError().text();
            else {
                QSqlQuery query(db);
                query.exec(u"CREATE TABLE IF NOT EXISTS kept (n INTEGER)"_s);
                query.exec(u"INSERT INTO kept VALUES (1)"_s);
            }
        }
        QSqlDatabase::removeDatabase(u"probe"_s);
        return opened;
    }

private Q_SLOTS:
    void startsStopsAndRestarts()
    {
        PostgresServer server;
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        QVERIFY(server.port() > 0);
        QCOMPARE(server.url(),
                 u"postgresql://gatehouse@127.0.0.1:%1/gatehouse"_s.arg(server.port()));
        QVERIFY2(connect(server, &error), qPrintable(error));

        QVERIFY2(server.stop(&error), qPrintable(error));
        QVERIFY(!server.isRunning());
        QVERIFY(!connect(server, &error));

        QVERIFY2(server.restart(&error), qPrintable(error));
        QVERIFY2(connect(server, &error), qPrintable(error));
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, u"count"_s);
        db.setHostName(u"127.0.0.1"_s);
        db.setPort(server.port());
        db.setUserName(server.user());
        db.setDatabaseName(server.database());
        QVERIFY(db.open());
        QSqlQuery rows(db);
        QVERIFY(rows.exec(u"SELECT COUNT(*) FROM kept"_s) && rows.next());
        QCOMPARE(rows.value(0).toInt(), 2); // the row from before the restart is still there
    }
};

QTEST_GUILESS_MAIN(TestPostgresServer)
#include "tst_postgresserver.moc"
