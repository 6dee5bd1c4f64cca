#include "protocol/bodyinflater.h"
#include "zlibdeflate.h"

#include <QTest>

namespace {

QByteArray text(qsizetype size)
{
    QByteArray bytes;
    for (int i = 0; bytes.size() < size; ++i)
        bytes += "data: {\"delta\":\"token " + QByteArray::number(i) + "\"}\n\n";
    bytes.truncate(size);
    return bytes;
}

// Decodes `encoded` fed `step` bytes at a time; *ok is false on a decoding error.
QByteArray inflateInSteps(QByteArrayView encoding, const QByteArray &encoded, qsizetype step,
                          bool *ok, bool *finished)
{
    auto inflater = BodyInflater::forEncoding(encoding);
    QByteArray decoded;
    QByteArray piece;
    *ok = true;
    for (qsizetype at = 0; at < encoded.size(); at += step) {
        if (!inflater->inflate(QByteArrayView(encoded).sliced(at, qMin(step, encoded.size() - at)),
                               &piece)) {
            *ok = false;
            break;
        }
        decoded += piece;
    }
    *finished = inflater->finished();
    return decoded;
}

} // namespace

class TestBodyInflater : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void identityNeedsNone();
    void decodes_data();
    void decodes();
    void unsupported();
    void corrupt();
    void truncated();
};

void TestBodyInflater::identityNeedsNone()
{
    QVERIFY(!BodyInflater::forEncoding(""));
    QVERIFY(!BodyInflater::forEncoding(" identity "));
    QVERIFY(BodyInflater::forEncoding("GZIP")->supported());
}

void TestBodyInflater::decodes_data()
{
    QTest::addColumn<QByteArray>("encoding");
    QTest::addColumn<QByteArray>("encoded");
    QTest::addColumn<QByteArray>("plain");

    // Large enough that one piece decodes to more than one output step (64 KiB).
    const QByteArray large = text(300'000);
    QTest::newRow("gzip") << QByteArray("gzip") << zlibDeflate(large, 31) << large;
    QTest::newRow("x-gzip") << QByteArray("x-gzip") << zlibDeflate(large, 31) << large;
    QTest::newRow("deflate, zlib-wrapped")
        << QByteArray("deflate") << zlibDeflate(large, 15) << large;
    QTest::newRow("deflate, raw") << QByteArray("deflate") << zlibDeflate(large, -15) << large;
    const QByteArray a = text(1000);
    const QByteArray b = text(777);
    QTest::newRow("gzip, two members")
        << QByteArray("gzip") << zlibDeflate(a, 31) + zlibDeflate(b, 31) << a + b;
}

void TestBodyInflater::decodes()
{
    QFETCH(QByteArray, encoding);
    QFETCH(QByteArray, encoded);
    QFETCH(QByteArray, plain);
    for (const qsizetype step : {encoded.size(), qsizetype(1), qsizetype(7), qsizetype(4096)}) {
        bool ok = false;
        bool finished = false;
        const QByteArray decoded = inflateInSteps(encoding, encoded, step, &ok, &finished);
        QVERIFY(ok);
        QVERIFY(finished);
        QVERIFY2(decoded == plain, QByteArray::number(step).constData());
    }
}

void TestBodyInflater::unsupported()
{
    auto inflater = BodyInflater::forEncoding("br");
    QVERIFY(inflater);
    QVERIFY(!inflater->supported());
    QByteArray out;
    QVERIFY(!inflater->inflate("anything", &out));
}

void TestBodyInflater::corrupt()
{
    bool ok = true;
    bool finished = false;
    inflateInSteps("gzip", "definitely not gzip", 4, &ok, &finished);
    QVERIFY(!ok);
    // A second deflate stream after the first is not deflate.
    const QByteArray twice = zlibDeflate("x", 15) + zlibDeflate("y", 15);
    inflateInSteps("deflate", twice, twice.size(), &ok, &finished);
    QVERIFY(!ok);
}

void TestBodyInflater::truncated()
{
    const QByteArray encoded = zlibDeflate(text(5000), 31);
    bool ok = false;
    bool finished = true;
    inflateInSteps("gzip", encoded.first(encoded.size() - 10), 100, &ok, &finished);
    QVERIFY(ok);
    QVERIFY(!finished);
}

QTEST_GUILESS_MAIN(TestBodyInflater)
#include "tst_bodyinflater.moc"
