#include "protocol/paddedjson.h"

#include <QTest>

class TestPaddedJson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void ensureReservesWhenShort();
    void ensureKeepsAnArrayWithRoom();
    void ensureAccountsForSpaceInFront();
    void paddedJsonUsesTheArrayInPlace();
    void paddedJsonCopiesWhenShort();
};

void TestPaddedJson::ensureReservesWhenShort()
{
    QByteArray json(R"({"a":1})");
    json.squeeze();
    ensureJsonPadding(json);
    QVERIFY(json.capacity() >= json.size() + JsonPadding);
    QCOMPARE(json, QByteArray(R"({"a":1})"));
}

void TestPaddedJson::ensureKeepsAnArrayWithRoom()
{
    QByteArray json;
    json.reserve(1000);
    json.append(R"({"a":1})");
    const char *before = json.constData();
    ensureJsonPadding(json);
    QCOMPARE(json.constData(), before); // no reallocation
}

void TestPaddedJson::ensureAccountsForSpaceInFront()
{
    // After remove() at the front, Qt 6 keeps the freed bytes before the data: capacity()
    // counts them, though none of them follows the end.
    QByteArray json = QByteArray(150, ' ') + "{}";
    json.squeeze();
    json.remove(0, 150);
    QVERIFY(json.capacity() - json.size() >= JsonPadding);
    QVERIFY(json.data_ptr().freeSpaceAtEnd() < JsonPadding);

    const PaddedJson copied(json);
    QVERIFY(copied.data() != json.constData());

    ensureJsonPadding(json);
    QVERIFY(json.data_ptr().freeSpaceAtEnd() >= JsonPadding);
    const PaddedJson inPlace(json);
    QCOMPARE(inPlace.data(), json.constData());
    QCOMPARE(json, QByteArray("{}"));
}

void TestPaddedJson::paddedJsonUsesTheArrayInPlace()
{
    QByteArray json(R"({"a":1})");
    ensureJsonPadding(json);
    const PaddedJson padded(json);
    QCOMPARE(padded.data(), json.constData());
    QCOMPARE(padded.size(), json.size());
    QVERIFY(padded.capacity() >= json.size() + JsonPadding);
}

void TestPaddedJson::paddedJsonCopiesWhenShort()
{
    static const char text[] = R"({"a":1})";
    const QByteArray json = QByteArray::fromRawData(text, sizeof text - 1);
    const PaddedJson padded(json);
    QVERIFY(padded.data() != json.constData());
    QCOMPARE(QByteArrayView(padded.data(), padded.size()), QByteArrayView(json));
    QVERIFY(padded.capacity() >= json.size() + JsonPadding);
}

QTEST_GUILESS_MAIN(TestPaddedJson)
#include "tst_paddedjson.moc"
