#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QTcpSocket>

// One HTTP/1.1 exchange over loopback that keeps what a test of a streaming server needs to
// judge: when the headers and each SSE event (its `event:` name and `data:` payload) arrived,
// and whether the body ended cleanly or the connection was cut.
class SseExchange : public QObject
{
public:
    struct Event
    {
        QByteArray name; // the `event:` field; empty when the event has none
        QByteArray data; // the payload after "data: "; for bytes that are no event, those bytes
        qint64 atMs;
    };

    // extraHeaders: complete header lines, each ending in \r\n.
    SseExchange(quint16 port, const QByteArray &method, const QByteArray &path,
                const QByteArray &body, const QByteArray &extraHeaders = {});

    // Ended: a complete body arrived, or the connection closed.
    bool wait(int timeoutMs = 10'000);
    void stopReading() { m_paused = true; }
    void resumeReading();
    QTcpSocket &socket() { return m_socket; }

    int status = 0;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;                       // de-chunked
    QList<Event> events;
    qint64 headersAtMs = -1;

    bool complete() const { return m_complete; }
    bool closed() const { return m_closed; }
    QJsonObject json() const;

private:
    void onReadyRead();
    void splitEvents();

    QTcpSocket m_socket;
    QElapsedTimer m_clock;
    QByteArray m_in;
    qsizetype m_parsed = 0;
    bool m_chunked = false;
    bool m_complete = false;
    bool m_closed = false;
    bool m_paused = false;
};
