#include "protocol/bodysplice.h"

#include <QTest>

namespace {

struct Edit
{
    qsizetype offset;
    qsizetype length;
    QByteArray replacement;
};

} // namespace

using Edits = QList<Edit>;
Q_DECLARE_METATYPE(Edits)

class TestBodySplice : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void apply_data();
    void apply();
    void largeBodyKeepsUntouchedBytes();
};

void TestBodySplice::apply_data()
{
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<Edits>("edits");
    QTest::addColumn<QByteArray>("expected"); // null: the edits are refused

    const QByteArray source("0123456789");
    QTest::newRow("no edit") << source << Edits{} << source;
    QTest::newRow("replace") << source << Edits{{2, 3, "abc"}} << QByteArray("01abc56789");
    QTest::newRow("grow") << source << Edits{{2, 1, "[long]"}} << QByteArray("01[long]3456789");
    QTest::newRow("shrink") << source << Edits{{2, 6, "-"}} << QByteArray("01-89");
    QTest::newRow("delete") << source << Edits{{0, 5, ""}} << QByteArray("56789");
    QTest::newRow("insert at start") << source << Edits{{0, 0, ">"}} << QByteArray(">0123456789");
    QTest::newRow("insert at end") << source << Edits{{10, 0, "<"}} << QByteArray("0123456789<");
    QTest::newRow("replace all") << source << Edits{{0, 10, "x"}} << QByteArray("x");
    QTest::newRow("edits out of order")
        << source << Edits{{8, 1, "E"}, {1, 0, "I"}, {4, 2, "R"}} << QByteArray("0I123R67E9");
    QTest::newRow("adjacent edits")
        << source << Edits{{2, 2, "a"}, {4, 2, "b"}} << QByteArray("01ab6789");
    QTest::newRow("insert before a replacement at the same offset")
        << source << Edits{{3, 2, "R"}, {3, 0, "I"}} << QByteArray("012IR56789");
    QTest::newRow("insertions at one offset keep their order")
        << source << Edits{{5, 0, "a"}, {5, 0, "b"}} << QByteArray("01234ab56789");
    QTest::newRow("empty source") << QByteArray() << Edits{{0, 0, "{}"}} << QByteArray("{}");
    QTest::newRow("overlap") << source << Edits{{2, 4, "a"}, {5, 1, "b"}} << QByteArray();
    QTest::newRow("insertion inside a replacement")
        << source << Edits{{2, 4, "a"}, {4, 0, "b"}} << QByteArray();
    QTest::newRow("past the end") << source << Edits{{8, 3, "a"}} << QByteArray();
    QTest::newRow("negative offset") << source << Edits{{-1, 1, "a"}} << QByteArray();
    QTest::newRow("negative length") << source << Edits{{3, -1, "a"}} << QByteArray();
}

void TestBodySplice::apply()
{
    QFETCH(QByteArray, source);
    QFETCH(Edits, edits);
    QFETCH(QByteArray, expected);

    BodySplice splice;
    for (const Edit &edit : edits)
        splice.replace(edit.offset, edit.length, edit.replacement);
    QCOMPARE(splice.isEmpty(), edits.isEmpty());
    const QByteArray result = splice.apply(source);
    QCOMPARE(result, expected);
    QCOMPARE(result.isNull(), expected.isNull());
}

void TestBodySplice::largeBodyKeepsUntouchedBytes()
{
    QByteArray body;
    for (int i = 0; body.size() < 77 * 1024; ++i)
        body += "line " + QByteArray::number(i) + " \xC3\xA9\\\"\n";
    const qsizetype middle = body.size() / 2;

    BodySplice splice;
    splice.insert(1, "INSERTED");
    splice.replace(middle, 4, "MIDDLE");
    const QByteArray result = splice.apply(body);

    QCOMPARE(result.size(), body.size() + 8 + 2);
    QCOMPARE(result.first(1), body.first(1));
    QCOMPARE(result.sliced(1, 8), QByteArray("INSERTED"));
    QCOMPARE(result.sliced(9, middle - 1), body.sliced(1, middle - 1));
    QCOMPARE(result.sliced(middle + 8, 6), QByteArray("MIDDLE"));
    QCOMPARE(result.sliced(middle + 14), body.sliced(middle + 4));
}

QTEST_GUILESS_MAIN(TestBodySplice)
#include "tst_bodysplice.moc"
