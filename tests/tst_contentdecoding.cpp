#include "protocol/contentdecoding.h"
#include "protocol/paddedjson.h"
#include "zlibdeflate.h"

#include <QTest>

#include <sys/resource.h>
#include <zlib.h>

Q_DECLARE_METATYPE(DecodeError)

namespace {

const QByteArray json =
    R"({"model":"claude-sonnet-5","max_tokens":1024,"messages":[{"role":"user","content":"Hello"}]})";

// `gzip -n -9` of `json`, as a client's library would send it.
const QByteArray gzipCliJson = QByteArray::fromHex(
    "1f8b08000000000002030d8b410a80300c04ff92b3828a5efa02ff2022c52e1e4c13685a10c4bf9be30c332f"
    "654d600a74726c09bda9086abf5047393e47d51b6214c6619addc02c5e70de5e2acaf0af198ac7a74a855417"
    "2b9895befdfb0160c8d3045c000000");
// `gzip -n` of {"a":1} and of {"b":2}.
const QByteArray gzipA =
    QByteArray::fromHex("1f8b0800000000000003ab564a54b232ac0500afac1b5607000000");
const QByteArray gzipB =
    QByteArray::fromHex("1f8b0800000000000003ab564a52b232aa0500bc85963a07000000");

// `size` zero bytes compressed without ever holding them: a decompression bomb.
QByteArray zeroBomb(qint64 size, int windowBits)
{
    z_stream stream{};
    if (deflateInit2(&stream, 1, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    const QByteArray zeros(1 << 20, '\0');
    QByteArray out;
    char buffer[1 << 16];
    for (qint64 left = size; left >= 0;) {
        const qint64 piece = qMin<qint64>(left, zeros.size());
        stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(zeros.constData()));
        stream.avail_in = uInt(piece);
        left -= piece;
        const int flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
        int status;
        do {
            stream.next_out = reinterpret_cast<Bytef *>(buffer);
            stream.avail_out = sizeof buffer;
            status = deflate(&stream, flush);
            out.append(buffer, qsizetype(sizeof buffer - stream.avail_out));
        } while (stream.avail_out == 0);
        if (flush == Z_FINISH) {
            deflateEnd(&stream);
            return status == Z_STREAM_END ? out : QByteArray();
        }
    }
    return {};
}

qint64 peakRssKiB()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

} // namespace

class TestContentDecoding : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void decode_data();
    void decode();
    void errors_data();
    void errors();
    void largeBodyGrowsTheBuffer_data();
    void largeBodyGrowsTheBuffer();
    void decompressionBombIsStoppedWhileInflating_data();
    void decompressionBombIsStoppedWhileInflating();
    void identityIsNotCopiedWhenPadded();
};

void TestContentDecoding::decode_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("encoding");
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<QByteArray>("expected");

    const qint64 big = 1 << 20;
    QTest::newRow("no encoding") << json << QByteArray() << big << json;
    QTest::newRow("identity") << json << QByteArray("identity") << big << json;
    QTest::newRow("Identity, spaces") << json << QByteArray(" Identity ") << big << json;
    QTest::newRow("identity at the limit")
        << json << QByteArray("identity") << qint64(json.size()) << json;
    QTest::newRow("gzip from the gzip tool") << gzipCliJson << QByteArray("gzip") << big << json;
    QTest::newRow("x-gzip") << gzipCliJson << QByteArray("x-gzip") << big << json;
    QTest::newRow("GZIP, tab") << gzipCliJson << QByteArray("\tGZIP") << big << json;
    QTest::newRow("gzip at the limit")
        << gzipCliJson << QByteArray("gzip") << qint64(json.size()) << json;
    QTest::newRow("gzip, two members")
        << gzipA + gzipB << QByteArray("gzip") << big << QByteArray(R"({"a":1}{"b":2})");
    QTest::newRow("gzip, empty content")
        << zlibDeflate({}, 31) << QByteArray("gzip") << big << QByteArray();
    QTest::newRow("deflate, zlib-wrapped")
        << zlibDeflate(json, 15) << QByteArray("deflate") << big << json;
    QTest::newRow("deflate, raw") << zlibDeflate(json, -15) << QByteArray("Deflate") << big << json;
    QTest::newRow("deflate, raw, at the limit")
        << zlibDeflate(json, -15) << QByteArray("deflate") << qint64(json.size()) << json;
    const QByteArray binary("\x00\x01\xff{}", 5);
    QTest::newRow("binary content")
        << zlibDeflate(binary, 31) << QByteArray("gzip") << big << binary;
}

void TestContentDecoding::decode()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, encoding);
    QFETCH(qint64, limit);
    QFETCH(QByteArray, expected);

    QVERIFY(!body.isEmpty() || encoding.isEmpty());
    DecodeError why = DecodeError::Unsupported;
    const std::optional<QByteArray> decoded = ContentDecoding::decode(body, encoding, limit, &why);
    QVERIFY2(decoded, QByteArray::number(int(why)).constData());
    QCOMPARE(why, DecodeError::None);
    QCOMPARE(*decoded, expected);
    // simdjson can read it in place.
    QCOMPARE(PaddedJson(*decoded).data(), decoded->constData());
}

void TestContentDecoding::errors_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("encoding");
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<DecodeError>("expected");

    const qint64 big = 1 << 20;
    const QByteArray gzipped = zlibDeflate(json, 31);
    for (const char *encoding : {"br", "zstd", "compress", "gzip, deflate", "gzip,gzip",
                                 "identity, gzip", "gzip;q=1", "gzip2", "*"}) {
        QTest::newRow(encoding) << gzipped << QByteArray(encoding) << big
                                << DecodeError::Unsupported;
    }
    QTest::newRow("identity over the limit")
        << json << QByteArray("identity") << qint64(json.size() - 1) << DecodeError::TooLarge;
    QTest::newRow("no encoding over the limit")
        << json << QByteArray() << qint64(0) << DecodeError::TooLarge;
    QTest::newRow("gzip one byte over the limit")
        << gzipCliJson << QByteArray("gzip") << qint64(json.size() - 1) << DecodeError::TooLarge;
    QTest::newRow("deflate one byte over the limit")
        << zlibDeflate(json, 15) << QByteArray("deflate") << qint64(json.size() - 1)
        << DecodeError::TooLarge;
    QTest::newRow("raw deflate one byte over the limit")
        << zlibDeflate(json, -15) << QByteArray("deflate") << qint64(json.size() - 1)
        << DecodeError::TooLarge;
    QTest::newRow("negative limit")
        << gzipCliJson << QByteArray("gzip") << qint64(-1) << DecodeError::TooLarge;
    QTest::newRow("plain JSON labelled gzip")
        << json << QByteArray("gzip") << big << DecodeError::Corrupt;
    QTest::newRow("plain JSON labelled deflate")
        << json << QByteArray("deflate") << big << DecodeError::Corrupt;
    QTest::newRow("empty body labelled gzip")
        << QByteArray() << QByteArray("gzip") << big << DecodeError::Corrupt;
    QTest::newRow("gzip truncated")
        << gzipCliJson.chopped(9) << QByteArray("gzip") << big << DecodeError::Corrupt;
    QTest::newRow("gzip without its trailer")
        << gzipCliJson.chopped(8) << QByteArray("gzip") << big << DecodeError::Corrupt;
    QByteArray badCrc = gzipCliJson;
    badCrc[badCrc.size() - 8] = char(badCrc.at(badCrc.size() - 8) ^ 0x55);
    QTest::newRow("gzip with a wrong CRC")
        << badCrc << QByteArray("gzip") << big << DecodeError::Corrupt;
    QByteArray flipped = gzipCliJson;
    flipped[20] = char(flipped.at(20) ^ 0xff);
    QTest::newRow("gzip with a flipped byte")
        << flipped << QByteArray("gzip") << big << DecodeError::Corrupt;
    QTest::newRow("gzip followed by garbage")
        << gzipCliJson + "garbage" << QByteArray("gzip") << big << DecodeError::Corrupt;
    QTest::newRow("zlib data labelled gzip")
        << zlibDeflate(json, 15) << QByteArray("gzip") << big << DecodeError::Corrupt;
    QTest::newRow("gzip data labelled deflate")
        << gzipCliJson << QByteArray("deflate") << big << DecodeError::Corrupt;
    QTest::newRow("deflate truncated")
        << zlibDeflate(json, 15).chopped(6) << QByteArray("deflate") << big << DecodeError::Corrupt;
}

void TestContentDecoding::errors()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, encoding);
    QFETCH(qint64, limit);
    QFETCH(DecodeError, expected);

    DecodeError why = DecodeError::None;
    QVERIFY(!ContentDecoding::decode(body, encoding, limit, &why));
    QCOMPARE(why, expected);
    QVERIFY(!ContentDecoding::decode(body, encoding, limit, nullptr));
}

void TestContentDecoding::largeBodyGrowsTheBuffer_data()
{
    QTest::addColumn<QByteArray>("encoding");
    QTest::addColumn<int>("windowBits");

    QTest::newRow("gzip") << QByteArray("gzip") << 31;
    QTest::newRow("deflate") << QByteArray("deflate") << 15;
    QTest::newRow("raw deflate") << QByteArray("deflate") << -15;
}

void TestContentDecoding::largeBodyGrowsTheBuffer()
{
    QFETCH(QByteArray, encoding);
    QFETCH(int, windowBits);

    // ~3 MB of highly compressible messages: the decoded size is hundreds of times the body's.
    QByteArray large = R"({"model":"m","messages":[)";
    for (int i = 0; i < 3000; ++i) {
        large += i ? "," : "";
        large += R"({"role":"user","content":")" + QByteArray(1000, 'a' + i % 26) + R"("})";
    }
    large += "]}";
    const QByteArray body = zlibDeflate(large, windowBits);
    QVERIFY(body.size() * 100 < large.size());

    DecodeError why;
    std::optional<QByteArray> decoded = ContentDecoding::decode(body, encoding, large.size(), &why);
    QVERIFY(decoded);
    QVERIFY(*decoded == large);
    QCOMPARE(PaddedJson(*decoded).data(), decoded->constData());

    QVERIFY(!ContentDecoding::decode(body, encoding, large.size() - 1, &why));
    QCOMPARE(why, DecodeError::TooLarge);
}

void TestContentDecoding::decompressionBombIsStoppedWhileInflating_data()
{
    QTest::addColumn<QByteArray>("encoding");
    QTest::addColumn<int>("windowBits");

    QTest::newRow("gzip") << QByteArray("gzip") << 31;
    QTest::newRow("deflate") << QByteArray("deflate") << 15;
    QTest::newRow("raw deflate") << QByteArray("deflate") << -15;
}

void TestContentDecoding::decompressionBombIsStoppedWhileInflating()
{
    QFETCH(QByteArray, encoding);
    QFETCH(int, windowBits);

    // 256 MiB of zeros in about a megabyte: inflated whole, the peak memory would jump by
    // 256 MiB.
    const qint64 bombSize = qint64(256) << 20;
    const QByteArray bomb = zeroBomb(bombSize, windowBits);
    QVERIFY(!bomb.isEmpty());
    QVERIFY(bomb.size() < (2 << 20));

    const qint64 before = peakRssKiB();
    DecodeError why;
    QVERIFY(!ContentDecoding::decode(bomb, encoding, 4 << 20, &why));
    QCOMPARE(why, DecodeError::TooLarge);
    const qint64 grownKiB = peakRssKiB() - before;
    QVERIFY2(grownKiB < 64 * 1024, QByteArray::number(grownKiB).constData());
}

void TestContentDecoding::identityIsNotCopiedWhenPadded()
{
    QByteArray body = json;
    ensureJsonPadding(body);
    const std::optional<QByteArray> decoded = ContentDecoding::decode(body, {}, 1 << 20, nullptr);
    QVERIFY(decoded);
    QCOMPARE(decoded->constData(), body.constData());

    // Without room, the result gets it.
    const QByteArray unpadded = QByteArray::fromRawData(json.constData(), json.size());
    const std::optional<QByteArray> copy =
        ContentDecoding::decode(unpadded, "identity", 1 << 20, nullptr);
    QVERIFY(copy);
    QCOMPARE(*copy, json);
    QCOMPARE(PaddedJson(*copy).data(), copy->constData());
}

QTEST_GUILESS_MAIN(TestContentDecoding)
#include "tst_contentdecoding.moc"
