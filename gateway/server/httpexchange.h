#pragma once

#include "httprequest.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

class HttpConnection;

// One request and its response on a connection. The connection owns it and deletes it once the
// response is complete or the client has gone; whatever a handler parents to it dies with it.
// A connection hands its pipelined exchanges to the handler one at a time, in order.
class HttpExchange : public QObject
{
    Q_OBJECT
public:
    enum class AbortReason
    {
        None,
        ClientGone,
        ServerShutdown
    };
    // Back-pressure bound on the client's send buffer (see pendingBytes()).
    static constexpr qint64 kMaxPendingBytes = 256 * 1024;

    HttpExchange(HttpRequest request, HttpConnection *connection);
    ~HttpExchange() override;

    const HttpRequest &request() const { return m_request; }
    // Nanoseconds since the request's last byte arrived.
    qint64 elapsedNs() const { return m_clock.nsecsElapsed(); }

    // A complete response with Content-Length.
    void respond(int status, const HttpHeaders &headers, const QByteArray &body);
    // A streamed response: status and headers now, then chunks (chunked encoding), then end.
    void beginStream(int status, const HttpHeaders &headers);
    void writeChunk(QByteArrayView data);
    // closeConnection: the connection closes after the stream (after an error event, say).
    void endStream(bool closeConnection = false);
    // Cuts the connection: for a stream that cannot end cleanly.
    void abortConnection();

    AbortReason abortReason() const { return m_abortReason; }
    bool hasResponded() const { return m_state != State::Waiting; }
    bool isFinished() const { return m_state == State::Finished; }
    // Bytes written to the client but not yet taken by the kernel; a relay pauses its source
    // while this is above its bound and resumes on drained().
    qint64 pendingBytes() const;

Q_SIGNALS:
    // The client disconnected (or the server cut the exchange) before the response ended.
    void aborted();
    // The client socket's send buffer fell to a quarter of kMaxPendingBytes.
    void drained();

private:
    friend class HttpConnection;
    enum class State
    {
        Waiting,
        Streaming,
        Finished
    };
    void write(QByteArrayView bytes);
    void finish();
    void abort(AbortReason reason);
    QByteArray head(int status, const HttpHeaders &headers, qint64 contentLength) const;
    bool closesConnection() const;

    HttpRequest m_request;
    QPointer<HttpConnection> m_connection;
    QElapsedTimer m_clock;
    State m_state = State::Waiting;
    AbortReason m_abortReason = AbortReason::None;
    bool m_dispatched = false;
    int m_rejectStatus = 0; // the server refused the request: the handler answers with reject()
    QByteArray m_rejectReason;
    bool m_rawStream = false; // HTTP/1.0: no chunked encoding, the close ends the body
};
