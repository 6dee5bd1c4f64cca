#include "upstream/httpresponseparser.h"

#include <QTest>

namespace {

// What the parser made of a response fed in pieces of `step` bytes (0: all at once).
struct Parsed
{
    int heads = 0;
    int status = 0;
    HttpHeaders headers;
    QByteArray body;
    bool done = false;
    bool error = false;
    QByteArray errorText;
    bool keepAlive = false;
    qsizetype consumed = 0; // bytes used up to Done or Error
};

Parsed parse(const QByteArray &wire, qsizetype step, bool closeAtEnd,
             QByteArrayView method = "POST")
{
    HttpResponseParser parser;
    parser.reset(method);
    Parsed parsed;
    const auto handle = [&](HttpResponseParser::Step result, QByteArrayView piece) {
        switch (result) {
        case HttpResponseParser::Step::Head:
            ++parsed.heads;
            parsed.status = parser.status();
            parsed.headers = parser.takeHeaders();
            break;
        case HttpResponseParser::Step::Body:
            parsed.body += piece;
            break;
        case HttpResponseParser::Step::Done:
            parsed.done = true;
            parsed.keepAlive = parser.keepAlive();
            break;
        case HttpResponseParser::Step::Error:
            parsed.error = true;
            parsed.errorText = parser.error();
            break;
        case HttpResponseParser::Step::NeedMore:
            break;
        }
    };
    qsizetype offset = 0;
    while (!parsed.done && !parsed.error) {
        const qsizetype end = step == 0 ? wire.size() : qMin(wire.size(), offset + step);
        // Every piece is offered until the parser wants more than it holds.
        qsizetype from = offset;
        for (;;) {
            qsizetype used = 0;
            QByteArrayView piece;
            const auto result =
                parser.next(QByteArrayView(wire).sliced(from, end - from), &used, &piece);
            from += used;
            handle(result, piece);
            if (result == HttpResponseParser::Step::NeedMore || parsed.done || parsed.error)
                break;
        }
        parsed.consumed = from;
        if (parsed.done || parsed.error)
            break;
        if (end == wire.size()) {
            if (closeAtEnd)
                handle(parser.endOfInput(), {});
            break;
        }
        offset = end;
    }
    return parsed;
}

} // namespace

class TestHttpResponseParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void framing_data();
    void framing();
    void headers();
    void stopsAtTheResponsesEnd();
    void noBody_data();
    void noBody();
    void rejects_data();
    void rejects();
    void headLimit();
};

void TestHttpResponseParser::framing_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<bool>("closeAtEnd");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("done");
    QTest::addColumn<bool>("keepAlive");

    QTest::newRow("content-length")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello") << false << 200
        << QByteArray("hello") << true << true;
    QTest::newRow("chunked with extensions and trailers")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "5;name=value\r\nhello\r\nA\r\n, world!!!\r\n0\r\nX-Trailer: 1\r\n\r\n")
        << false << 200 << QByteArray("hello, world!!!") << true << true;
    QTest::newRow("chunked, bare line feeds")
        << QByteArray("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n3\nabc\n0\n\n") << false
        << 200 << QByteArray("abc") << true << true;
    QTest::newRow("gzip, chunked: only the last coding frames")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                      "2\r\nab\r\n0\r\n\r\n")
        << false << 200 << QByteArray("ab") << true << true;
    QTest::newRow("until close")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it") << true << 200
        << QByteArray("all of it") << true << false;
    QTest::newRow("connection: close")
        << QByteArray(
               "HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 2\r\n\r\nok")
        << false << 200 << QByteArray("ok") << true << false;
    QTest::newRow("HTTP/1.0 closes") << QByteArray("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")
                                     << false << 200 << QByteArray("ok") << true << false;
    QTest::newRow("HTTP/1.0 keep-alive")
        << QByteArray("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok")
        << false << 200 << QByteArray("ok") << true << true;
    QTest::newRow("interim responses skipped")
        << QByteArray("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                      "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok")
        << false << 201 << QByteArray("ok") << true << true;
    QTest::newRow("cut in a fixed body")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf") << true << 200
        << QByteArray("half") << false << false;
    QTest::newRow("cut in a chunk")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nhalf") << true
        << 200 << QByteArray("half") << false << false;
    QTest::newRow("cut before the last chunk")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n") << true
        << 200 << QByteArray("ok") << false << false;
    QTest::newRow("cut in the headers") << QByteArray("HTTP/1.1 200 OK\r\nContent-Le") << true << 0
                                        << QByteArray() << false << false;
}

void TestHttpResponseParser::framing()
{
    QFETCH(QByteArray, wire);
    QFETCH(bool, closeAtEnd);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(bool, done);
    QFETCH(bool, keepAlive);

    // Whole, byte by byte, and in every split into two pieces: the same result.
    QList<qsizetype> steps{0, 1};
    for (qsizetype split = 2; split < wire.size(); ++split)
        steps.append(split);
    for (const qsizetype step : std::as_const(steps)) {
        const Parsed parsed = parse(wire, step, closeAtEnd);
        const QByteArray context = "step " + QByteArray::number(step);
        QVERIFY2(parsed.heads == (status ? 1 : 0), context.constData());
        QVERIFY2(parsed.status == status, context.constData());
        QVERIFY2(parsed.body == body, context.constData());
        QVERIFY2(parsed.done == done, context.constData());
        QVERIFY2(parsed.error == !done, context.constData());
        if (done)
            QVERIFY2(parsed.keepAlive == keepAlive, context.constData());
    }
}

void TestHttpResponseParser::headers()
{
    const Parsed parsed =
        parse("HTTP/1.1 200 OK\r\nContent-Type:  application/json \r\n"
              "X-Folded: first\r\n  second\r\nX-Empty:\r\nContent-Length: 0\r\n\r\n",
              0, false);
    QVERIFY(parsed.done);
    QCOMPARE(parsed.headers.size(), 4);
    QCOMPARE(headerValue(parsed.headers, "content-type"), QByteArray("application/json"));
    QCOMPARE(parsed.headers.at(0).first, QByteArray("content-type"));
    QCOMPARE(headerValue(parsed.headers, "x-folded"), QByteArray("first second"));
    QVERIFY(!headerValue(parsed.headers, "x-empty").isNull());
    QCOMPARE(headerValue(parsed.headers, "x-empty"), QByteArray());
}

void TestHttpResponseParser::stopsAtTheResponsesEnd()
{
    // Whatever follows the answer is not consumed: the caller sees it and drops the
    // connection rather than read it as the next answer.
    const QByteArray first = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    const Parsed parsed = parse(first + "HTTP/1.1 200 OK\r\n", 0, false);
    QVERIFY(parsed.done);
    QCOMPARE(parsed.body, QByteArray("ok"));
    QCOMPARE(parsed.consumed, first.size());

    // Reset, the parser reads the next response on the same connection.
    HttpResponseParser parser;
    parser.reset("GET");
    qsizetype used = 0;
    QByteArrayView piece;
    QCOMPARE(parser.next(first, &used, &piece), HttpResponseParser::Step::Head);
    QCOMPARE(parser.next(QByteArrayView(first).sliced(used), &used, &piece),
             HttpResponseParser::Step::Body);
    QCOMPARE(parser.next({}, &used, &piece), HttpResponseParser::Step::Done);
    parser.reset("GET");
    QVERIFY(!parser.started());
    const QByteArray second = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
    QCOMPARE(parser.next(second, &used, &piece), HttpResponseParser::Step::Head);
    QCOMPARE(parser.status(), 404);
    QCOMPARE(used, second.size());
    QCOMPARE(parser.next({}, &used, &piece), HttpResponseParser::Step::Done);
}

void TestHttpResponseParser::noBody_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("wire");
    QTest::newRow("HEAD with a length")
        << QByteArray("HEAD") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n");
    QTest::newRow("204") << QByteArray("POST") << QByteArray("HTTP/1.1 204 No Content\r\n\r\n");
    QTest::newRow("304") << QByteArray("GET")
                         << QByteArray("HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n");
}

void TestHttpResponseParser::noBody()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, wire);
    const Parsed parsed = parse(wire, 0, false, method);
    QVERIFY(parsed.done);
    QVERIFY(parsed.keepAlive);
    QCOMPARE(parsed.body, QByteArray());
    QCOMPARE(parsed.consumed, wire.size());
}

void TestHttpResponseParser::rejects_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::newRow("not HTTP") << QByteArray("NONSENSE\r\n\r\n");
    QTest::newRow("HTTP/2 text") << QByteArray("HTTP/2 200\r\n\r\n");
    QTest::newRow("no status code") << QByteArray("HTTP/1.1 OK\r\n\r\n");
    QTest::newRow("protocol switch") << QByteArray("HTTP/1.1 101 Switching Protocols\r\n\r\n");
    QTest::newRow("header without a colon") << QByteArray("HTTP/1.1 200 OK\r\nnonsense\r\n\r\n");
    QTest::newRow("fold before any header") << QByteArray("HTTP/1.1 200 OK\r\n folded\r\n\r\n");
    QTest::newRow("conflicting lengths")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok");
    QTest::newRow("negative length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n");
    QTest::newRow("bad chunk size")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
    QTest::newRow("chunk longer than its size")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n");
}

void TestHttpResponseParser::rejects()
{
    QFETCH(QByteArray, wire);
    const Parsed parsed = parse(wire, 0, false);
    QVERIFY(parsed.error);
    QVERIFY(!parsed.errorText.isEmpty());
    QVERIFY(!parsed.done);
}

void TestHttpResponseParser::headLimit()
{
    // Endless headers end in an error after 256 KiB, not in an ever-growing buffer.
    QByteArray wire = "HTTP/1.1 200 OK\r\n";
    while (wire.size() < 300 * 1024)
        wire += "X-Filler: " + QByteArray(100, 'x') + "\r\n";
    const Parsed inLines = parse(wire, 4096, false);
    QVERIFY(inLines.error);
    const Parsed oneLine =
        parse("HTTP/1.1 200 OK\r\nX-Long: " + QByteArray(300 * 1024, 'x'), 4096, false);
    QVERIFY(oneLine.error);
    QCOMPARE(oneLine.errorText, QByteArray("response headers too large"));
}

QTEST_GUILESS_MAIN(TestHttpResponseParser)
#include "tst_httpresponseparser.moc"
