#pragma once

#include "protocol/sseevent.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <functional>

// Incremental Server-Sent-Events parser: takes a response body in pieces as they arrive and
// yields each event once its terminating blank line is in.
//
// Every line, comment-only or not, belongs to an event, so concatenating the raw bytes of all
// events gives the stream back, less a leading BOM and blank lines that end no event.
class SseParser
{
public:
    using EventHandler = std::function<void(const SseEvent &)>;

    static constexpr qsizetype DefaultMaxEventSize = 16 * 1024 * 1024;

    explicit SseParser(qsizetype maxEventSize = DefaultMaxEventSize);

    // With a handler, events go to it as they complete instead of to takeEvents(). The
    // handler must not feed or destroy the parser.
    void setEventHandler(EventHandler handler);

    void feed(QByteArrayView bytes);
    // End of stream: a final lone '\r' ends its line. A last event without its blank line is
    // incomplete and stays pending, as the SSE specification drops it.
    void finish();

    QList<SseEvent> takeEvents();

    // Bytes held for the event not complete yet.
    qsizetype pendingBytes() const { return m_buffer.size(); }

    // An event grew past the size bound: the stream is garbled (or hostile); nothing more is
    // parsed.
    bool hasError() const { return !m_error.isEmpty(); }
    QString errorString() const { return m_error; }

private:
    void parse();
    void takeLine(const char *line, qsizetype length);
    void endEvent(qsizetype start, qsizetype end);
    void fail();

    qsizetype m_maxEventSize;
    EventHandler m_handler;
    QList<SseEvent> m_events;
    QByteArray m_buffer;         // from the start of the current event on
    qsizetype m_lineStart = 0;   // first byte in m_buffer not split into lines yet
    qsizetype m_scanned = 0;     // [m_lineStart, m_scanned) holds no line end: searches resume here
    bool m_startChecked = false; // the BOM check at the very start is done
    // The last line ended with a '\r' that was the last byte seen: a '\n' arriving next
    // belongs to that line end.
    bool m_crPending = false;
    bool m_endPending = false; // ... and that line was the blank line ending an event
    bool m_eventHasLines = false;
    bool m_eventHasData = false;
    QByteArray m_eventName;
    QByteArray m_data;
    QString m_error;
};
