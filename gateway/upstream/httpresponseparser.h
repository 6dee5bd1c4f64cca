#pragma once

#include "server/httprequest.h"

#include <QByteArray>
#include <QByteArrayView>

// Incremental HTTP/1.x response framing for the plain upstream client: status line and
// headers (interim 1xx responses skipped), then the body by Content-Length, chunked coding or
// up to the connection's end. Body pieces are views into the caller's bytes, so nothing is
// copied; it never reads past the response, so a connection can be reused after Done.
class HttpResponseParser
{
public:
    enum class Step
    {
        NeedMore, // everything given was consumed; more bytes (or endOfInput) are needed
        Head,     // the final response's status and headers are ready
        Body,     // *piece holds body bytes
        Done,     // the response is complete
        Error,    // not HTTP, or a framing error: error() says what
    };

    // Ready for the response to a request with this method (HEAD has no body).
    void reset(QByteArrayView method);

    // Consumes from the front of `data`: *consumed is how many bytes were used.
    Step next(QByteArrayView data, qsizetype *consumed, QByteArrayView *piece);
    // The connection ended after everything was consumed: Done (a body read up to the end)
    // or Error (the response was cut).
    Step endOfInput();

    int status() const { return m_status; }
    HttpHeaders takeHeaders() { return std::move(m_headers); }
    const QByteArray &error() const { return m_error; }
    // After Done: whether the connection may carry another request.
    bool keepAlive() const { return m_keepAlive; }
    // True once any byte of the response was consumed.
    bool started() const { return m_started; }

private:
    enum class State
    {
        StatusLine,
        Headers,
        FixedBody,
        BodyToEnd,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailers,
        Finished,
        Failed,
    };

    enum class Line
    {
        Ready,
        NeedMore,
        TooLong
    };
    Line line(QByteArrayView data, qsizetype limit, qsizetype *consumed, QByteArrayView *text);
    Step statusLine(QByteArrayView text);
    Step headerLine(QByteArrayView text);
    Step headersDone();
    Step chunkSize(QByteArrayView text);
    Step fail(const char *what);

    State m_state = State::StatusLine;
    bool m_headRequest = false;
    bool m_started = false;
    bool m_keepAlive = false;
    int m_status = 0;
    int m_versionMinor = 1;
    HttpHeaders m_headers;
    qsizetype m_headBytes = 0;
    qint64 m_remaining = 0;   // body bytes left in the fixed body or the current chunk
    QByteArray m_partialLine; // a line split across reads
    QByteArray m_error;
};
