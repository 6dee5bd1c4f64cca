#include "protocol/jsonescape.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

class TestJsonEscape : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void jsonString_data();
    void jsonString();
    void opensJsonEscape();
};

void TestJsonEscape::jsonString_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("empty") << QString() << QByteArray(R"("")");
    QTest::newRow("plain") << QStringLiteral("gpt-4o") << QByteArray(R"("gpt-4o")");
    QTest::newRow("quote and backslash") << QStringLiteral("a\"b\\c") << QByteArray(R"("a\"b\\c")");
    QTest::newRow("short escapes") << QStringLiteral("\n\r\t\b\f") << QByteArray(R"("\n\r\t\b\f")");
    QTest::newRow("other controls")
        << QString(QChar(1)) + QChar(0x1f) + QChar(0) << QByteArray(R"("\u0001\u001f\u0000")");
    QTest::newRow("slash and del kept") << QStringLiteral("a/b\x7f") << QByteArray("\"a/b\x7f\"");
    QTest::newRow("unicode") << QStringLiteral(u"mod\u00e8le \u65e5 \U0001F600")
                             << QStringLiteral(u"\"mod\u00e8le \u65e5 \U0001F600\"").toUtf8();
    QTest::newRow("escape at both ends") << QStringLiteral("\"x\"") << QByteArray(R"("\"x\"")");
    // Plain text is skipped eight bytes at a time: escapes on either side of a block's edge.
    QTest::newRow("escapes around eight-byte blocks")
        << QStringLiteral("0123456\"\\9abcdef\n0123456789abcdef0123\x1f")
        << QByteArray(R"("0123456\"\\9abcdef\n0123456789abcdef0123\u001f")");
    QTest::newRow("long plain and non-ASCII")
        << QStringLiteral(u"lorem ipsum dolor sit amet, mod\u00e8le \u65e5 consectetur")
        << QStringLiteral(u"\"lorem ipsum dolor sit amet, mod\u00e8le \u65e5 consectetur\"")
               .toUtf8();
}

void TestJsonEscape::jsonString()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, expected);

    QCOMPARE(::jsonString(text), expected);
    QCOMPARE(jsonStringFromUtf8(text.toUtf8()), expected);
    const QJsonDocument document = QJsonDocument::fromJson("[" + expected + "]");
    QCOMPARE(document.array().at(0).toString(), text);
}

// The backslash at the given offset opens an escape unless an odd run of backslashes precedes it.
void TestJsonEscape::opensJsonEscape()
{
    QVERIFY(::opensJsonEscape(R"(\n)", 0));
    QVERIFY(::opensJsonEscape(R"(a\n)", 1));
    QVERIFY(!::opensJsonEscape(R"(\\n)", 1));   // "\\" then "n": the second is escaped
    QVERIFY(::opensJsonEscape(R"(\\\n)", 2)); // "\\", then "\n"
    QVERIFY(!::opensJsonEscape(R"(x\\\\u0070)", 4));
}

QTEST_GUILESS_MAIN(TestJsonEscape)
#include "tst_jsonescape.moc"
