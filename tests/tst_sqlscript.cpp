#include "ledger/sqlscript.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestSqlScript : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void statements_data();
    void statements();
};

void TestSqlScript::statements_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("two statements")
        << u"CREATE TABLE a (x INTEGER);\nCREATE INDEX i ON a (x);"_s
        << QStringList{u"CREATE TABLE a (x INTEGER)"_s, u"CREATE INDEX i ON a (x)"_s};
    QTest::newRow("no trailing semicolon") << u"SELECT 1"_s << QStringList{u"SELECT 1"_s};
    QTest::newRow("line comments dropped")
        << u"-- header; with a semicolon\nSELECT 1; -- trailing\n"_s << QStringList{u"SELECT 1"_s};
    QTest::newRow("block comment dropped")
        << u"/* a; b */ SELECT 2;"_s << QStringList{u"SELECT 2"_s};
    QTest::newRow("semicolon in a string")
        << u"INSERT INTO t VALUES ('a;b', 'it''s');SELECT 3"_s
        << QStringList{u"INSERT INTO t VALUES ('a;b', 'it''s')"_s, u"SELECT 3"_s};
    QTest::newRow("semicolon in an identifier")
        << u"CREATE TABLE \"odd;name\" (x);"_s << QStringList{u"CREATE TABLE \"odd;name\" (x)"_s};
    QTest::newRow("only comments") << u"-- nothing\n/* here */\n;;"_s << QStringList{};
}

void TestSqlScript::statements()
{
    QFETCH(QString, script);
    QFETCH(QStringList, expected);
    QCOMPARE(SqlScript::statements(script), expected);
}

QTEST_GUILESS_MAIN(TestSqlScript)
#include "tst_sqlscript.moc"
