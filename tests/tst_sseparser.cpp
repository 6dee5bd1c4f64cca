#include "protocol/sseparser.h"

#include <QRandomGenerator>
#include <QTest>

// An expected event: {event, data, raw}.
using Events = QList<QByteArrayList>;

namespace {

Events collect(SseParser &parser)
{
    Events events;
    for (const SseEvent &event : parser.takeEvents())
        events.append({event.event, event.data, event.raw});
    return events;
}

Events parseInPieces(const QByteArray &stream, const QList<qsizetype> &cuts, qsizetype *pending)
{
    SseParser parser;
    qsizetype from = 0;
    for (qsizetype cut : cuts) {
        parser.feed(QByteArrayView(stream).sliced(from, cut - from));
        from = cut;
    }
    parser.feed(QByteArrayView(stream).sliced(from));
    parser.finish();
    *pending = parser.pendingBytes();
    return collect(parser);
}

} // namespace

class TestSseParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void events_data();
    void events();
    void eventsInAnySplit_data() { events_data(); }
    void eventsInAnySplit();
    void eventsByteByByte_data() { events_data(); }
    void eventsByteByByte();
    void randomStreamsInRandomPieces();
    void handlerReceivesEvents();
    void crLfSplitHoldsTheEventUntilTheLfIsSeen();
    void dataKeepsRoomForJsonPadding();
    void oversizeEventIsAnError_data();
    void oversizeEventIsAnError();
    void manySmallEventsAreNotOversize();
    void pendingBytesCountsTheIncompleteEvent();
};

void TestSseParser::events_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<Events>("expected");
    QTest::addColumn<qsizetype>("pending");

    QTest::newRow("lf") << QByteArray("data: hello\n\n") << Events{{"", "hello", "data: hello\n\n"}}
                        << qsizetype(0);
    QTest::newRow("named events") << QByteArray("event: message_start\ndata: {\"a\":1}\n\n"
                                                "event: ping\ndata: {}\n\n")
                                  << Events{{"message_start", "{\"a\":1}",
                                             "event: message_start\ndata: {\"a\":1}\n\n"},
                                            {"ping", "{}", "event: ping\ndata: {}\n\n"}}
                                  << qsizetype(0);
    QTest::newRow("crlf") << QByteArray("data: a\r\n\r\ndata: b\r\n\r\n")
                          << Events{{"", "a", "data: a\r\n\r\n"}, {"", "b", "data: b\r\n\r\n"}}
                          << qsizetype(0);
    QTest::newRow("cr") << QByteArray("data: a\r\rdata: b\r\r")
                        << Events{{"", "a", "data: a\r\r"}, {"", "b", "data: b\r\r"}}
                        << qsizetype(0);
    QTest::newRow("mixed line ends")
        << QByteArray("event: x\rdata: 1\r\ndata: 2\n\r\n")
        << Events{{"x", "1\n2", "event: x\rdata: 1\r\ndata: 2\n\r\n"}} << qsizetype(0);
    QTest::newRow("multi-line data")
        << QByteArray("data: a\ndata: b\ndata: c\n\n")
        << Events{{"", "a\nb\nc", "data: a\ndata: b\ndata: c\n\n"}} << qsizetype(0);
    QTest::newRow("comment only") << QByteArray(": keep-alive\n\ndata: x\n\n")
                                  << Events{{"", "", ": keep-alive\n\n"}, {"", "x", "data: x\n\n"}}
                                  << qsizetype(0);
    QTest::newRow("comment inside event")
        << QByteArray("data: x\n: note\ndata: y\n\n")
        << Events{{"", "x\ny", "data: x\n: note\ndata: y\n\n"}} << qsizetype(0);
    QTest::newRow("no space after colon")
        << QByteArray("data:x\n\ndata:  two\n\n")
        << Events{{"", "x", "data:x\n\n"}, {"", " two", "data:  two\n\n"}} << qsizetype(0);
    QTest::newRow("field without colon")
        << QByteArray("data\n\ndata\ndata\n\nretry\n\n")
        << Events{{"", "", "data\n\n"}, {"", "\n", "data\ndata\n\n"}, {"", "", "retry\n\n"}}
        << qsizetype(0);
    QTest::newRow("colon in value")
        << QByteArray("data: {\"a\":\"b:c\"}\n\n")
        << Events{{"", "{\"a\":\"b:c\"}", "data: {\"a\":\"b:c\"}\n\n"}} << qsizetype(0);
    QTest::newRow("id and retry ignored")
        << QByteArray("id: 5\nretry: 100\nevent: e\ndata: d\n\n")
        << Events{{"e", "d", "id: 5\nretry: 100\nevent: e\ndata: d\n\n"}} << qsizetype(0);
    QTest::newRow("empty event name") << QByteArray("event:\ndata: d\n\n")
                                      << Events{{"", "d", "event:\ndata: d\n\n"}} << qsizetype(0);
    QTest::newRow("bom at start") << QByteArray("\xEF\xBB\xBF"
                                                "data: a\n\n")
                                  << Events{{"", "a", "data: a\n\n"}} << qsizetype(0);
    QTest::newRow("bom later is a field name") << QByteArray("data: a\n\n\xEF\xBB\xBF"
                                                             "data: b\n\n")
                                               << Events{{"", "a", "data: a\n\n"},
                                                         {"", "",
                                                          "\xEF\xBB\xBF"
                                                          "data: b\n\n"}}
                                               << qsizetype(0);
    QTest::newRow("not quite a bom")
        << QByteArray("\xEF\xBB:x\ndata: a\n\n") << Events{{"", "a", "\xEF\xBB:x\ndata: a\n\n"}}
        << qsizetype(0);
    QTest::newRow("stray blank lines dropped")
        << QByteArray("\n\ndata: a\n\n\n\r\n\rdata: b\n\n")
        << Events{{"", "a", "data: a\n\n"}, {"", "b", "data: b\n\n"}} << qsizetype(0);
    QTest::newRow("stray crlf before an event")
        << QByteArray("\r\ndata: a\r\n\r\n\r\ndata: b\n\n")
        << Events{{"", "a", "data: a\r\n\r\n"}, {"", "b", "data: b\n\n"}} << qsizetype(0);
    QTest::newRow("stray cr lines")
        << QByteArray("\r\rdata: a\r\r\r") << Events{{"", "a", "data: a\r\r"}} << qsizetype(0);
    QTest::newRow("incomplete last event")
        << QByteArray("data: a\n\ndata: b\n") << Events{{"", "a", "data: a\n\n"}} << qsizetype(8);
    QTest::newRow("incomplete last line")
        << QByteArray("data: a\n\ndata: b") << Events{{"", "a", "data: a\n\n"}} << qsizetype(7);
    QTest::newRow("utf-8 data") << QByteArray("data: {\"t\":\"h\xC3\xA9llo \xE2\x9C\x93\"}\n\n")
                                << Events{{"", "{\"t\":\"h\xC3\xA9llo \xE2\x9C\x93\"}",
                                           "data: {\"t\":\"h\xC3\xA9llo \xE2\x9C\x93\"}\n\n"}}
                                << qsizetype(0);
    QTest::newRow("openai done") << QByteArray("data: {\"choices\":[]}\n\ndata: [DONE]\n\n")
                                 << Events{{"", "{\"choices\":[]}", "data: {\"choices\":[]}\n\n"},
                                           {"", "[DONE]", "data: [DONE]\n\n"}}
                                 << qsizetype(0);
    QTest::newRow("empty stream") << QByteArray() << Events{} << qsizetype(0);
}

void TestSseParser::events()
{
    QFETCH(QByteArray, stream);
    QFETCH(Events, expected);
    QFETCH(qsizetype, pending);

    qsizetype pendingBytes = -1;
    QCOMPARE(parseInPieces(stream, {}, &pendingBytes), expected);
    QCOMPARE(pendingBytes, pending);
}

void TestSseParser::eventsInAnySplit()
{
    QFETCH(QByteArray, stream);
    QFETCH(Events, expected);
    QFETCH(qsizetype, pending);

    // Every single cut, then every pair of cuts: three pieces.
    for (qsizetype i = 0; i <= stream.size(); ++i) {
        for (qsizetype j = i; j <= stream.size(); ++j) {
            qsizetype pendingBytes = -1;
            const Events events = parseInPieces(stream, {i, j}, &pendingBytes);
            if (events != expected || pendingBytes != pending)
                QFAIL(qPrintable(QStringLiteral("split at %1 and %2 differs").arg(i).arg(j)));
        }
    }
}

void TestSseParser::eventsByteByByte()
{
    QFETCH(QByteArray, stream);
    QFETCH(Events, expected);
    QFETCH(qsizetype, pending);

    QList<qsizetype> cuts;
    for (qsizetype i = 1; i < stream.size(); ++i)
        cuts.append(i);
    qsizetype pendingBytes = -1;
    QCOMPARE(parseInPieces(stream, cuts, &pendingBytes), expected);
    QCOMPARE(pendingBytes, pending);
}

void TestSseParser::randomStreamsInRandomPieces()
{
    // Streams built from the bytes that matter to the grammar; a fixed seed keeps failures
    // reproducible.
    static const char alphabet[] = "data:event :x\r\n\n\n\xEF\xBB\xBF";
    QRandomGenerator random(20240611);
    for (int round = 0; round < 2000; ++round) {
        QByteArray stream;
        const int length = random.bounded(1, 80);
        for (int i = 0; i < length; ++i)
            stream += alphabet[random.bounded(int(sizeof alphabet - 1))];
        qsizetype wholePending = -1;
        const Events whole = parseInPieces(stream, {}, &wholePending);
        QList<qsizetype> cuts;
        for (qsizetype at = random.bounded(1, 8); at < stream.size(); at += random.bounded(1, 8))
            cuts.append(at);
        qsizetype piecesPending = -1;
        const Events pieces = parseInPieces(stream, cuts, &piecesPending);
        if (pieces != whole || piecesPending != wholePending)
            QFAIL(qPrintable(QStringLiteral("stream differs in pieces: ") +
                             QString::fromLatin1(stream.toPercentEncoding())));
        // Each event's raw bytes, forwarded alone, are that same event (a BOM is stripped
        // only at the very start of a stream, so raws starting with one are left out).
        for (const QByteArrayList &event : whole) {
            if (event.at(2).startsWith("\xEF\xBB\xBF"))
                continue;
            qsizetype pending = -1;
            QCOMPARE(parseInPieces(event.at(2), {}, &pending), Events{event});
            QCOMPARE(pending, 0);
        }
    }
}

void TestSseParser::handlerReceivesEvents()
{
    SseParser parser;
    Events seen;
    parser.setEventHandler([&seen](const SseEvent &event) {
        seen.append({event.event, event.data, event.raw});
    });
    parser.feed("event: a\ndata: 1\n\nda");
    QCOMPARE(seen, (Events{{"a", "1", "event: a\ndata: 1\n\n"}}));
    parser.feed("ta: 2\n\n");
    QCOMPARE(seen, (Events{{"a", "1", "event: a\ndata: 1\n\n"}, {"", "2", "data: 2\n\n"}}));
    QVERIFY(parser.takeEvents().isEmpty());
}

void TestSseParser::crLfSplitHoldsTheEventUntilTheLfIsSeen()
{
    SseParser parser;
    parser.feed("data: a\r\n\r");
    QVERIFY(parser.takeEvents().isEmpty()); // the '\n' of "\r\n" may follow
    parser.feed("\ndata: b\r\n\r");
    QCOMPARE(collect(parser), (Events{{"", "a", "data: a\r\n\r\n"}}));
    parser.feed("data: c\r\n\r\n"); // a CR-only line end after all: the event ends there
    QCOMPARE(collect(parser), (Events{{"", "b", "data: b\r\n\r"}, {"", "c", "data: c\r\n\r\n"}}));
    parser.feed("data: d\r\r");
    QVERIFY(parser.takeEvents().isEmpty());
    parser.finish(); // end of stream: the lone '\r' was the line end
    QCOMPARE(collect(parser), (Events{{"", "d", "data: d\r\r"}}));
    QCOMPARE(parser.pendingBytes(), 0);
}

void TestSseParser::dataKeepsRoomForJsonPadding()
{
    SseParser parser;
    parser.feed("data: {\"a\":\ndata: 1}\n\ndata: [DONE]\n\n");
    const QList<SseEvent> events = parser.takeEvents();
    QCOMPARE(events.size(), 2);
    for (const SseEvent &event : events)
        QVERIFY(event.data.capacity() >= event.data.size() + 64);
}

void TestSseParser::oversizeEventIsAnError_data()
{
    QTest::addColumn<qsizetype>("pieceSize");
    QTest::newRow("whole") << qsizetype(1 << 20);
    QTest::newRow("byte by byte") << qsizetype(1);
    QTest::newRow("7-byte pieces") << qsizetype(7);
}

void TestSseParser::oversizeEventIsAnError()
{
    QFETCH(qsizetype, pieceSize);
    const QByteArray stream = "data: small\n\ndata: " + QByteArray(64, 'x') + "\n\ndata: after\n\n";

    SseParser parser(32);
    for (qsizetype i = 0; i < stream.size(); i += pieceSize)
        parser.feed(QByteArrayView(stream).sliced(i, qMin(pieceSize, stream.size() - i)));

    QVERIFY(parser.hasError());
    QVERIFY(parser.errorString().contains(QStringLiteral("garbled")));
    QCOMPARE(collect(parser), (Events{{"", "small", "data: small\n\n"}}));
    QCOMPARE(parser.pendingBytes(), 0);
    parser.feed("data: more\n\n");
    QVERIFY(parser.takeEvents().isEmpty());
}

void TestSseParser::manySmallEventsAreNotOversize()
{
    SseParser parser(32);
    QByteArray stream;
    for (int i = 0; i < 100; ++i)
        stream += "data: " + QByteArray::number(i) + "\n\n";
    parser.feed(stream);
    QVERIFY(!parser.hasError());
    QCOMPARE(parser.takeEvents().size(), 100);

    parser.feed(QByteArray("data: " + QByteArray(40, 'y'))); // no line end yet, already too big
    QVERIFY(parser.hasError());
}

void TestSseParser::pendingBytesCountsTheIncompleteEvent()
{
    SseParser parser;
    QCOMPARE(parser.pendingBytes(), 0);
    parser.feed("data: a\n\nevent: x\nda");
    QCOMPARE(parser.takeEvents().size(), 1);
    QCOMPARE(parser.pendingBytes(), qsizetype(strlen("event: x\nda")));
    parser.feed("ta: b\n\n");
    QCOMPARE(parser.takeEvents().size(), 1);
    QCOMPARE(parser.pendingBytes(), 0);
}

QTEST_GUILESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"
