#pragma once

#include "httprequest.h"
#include "serverlimits.h"

// Incremental HTTP/1.x request framing with the listener's limits enforced before buffering:
// header bytes and count (431), body size (413, told by Content-Length before any body byte),
// and the request-smuggling shapes (Content-Length with Transfer-Encoding, duplicate lengths).
// It consumes exactly one request's bytes, so pipelined requests stay apart.
class HttpRequestParser
{
public:
    enum class Status
    {
        NeedMore,
        Complete,
        Failed
    };

    explicit HttpRequestParser(const ServerLimits &limits)
        : m_limits(limits)
    {}

    // Consumes from the front of `in` (advancing `offset`) at most one request.
    Status parse(const QByteArray &in, qsizetype &offset);

    // After Complete: the request; the parser is ready for the next one.
    HttpRequest takeRequest();

    // After Failed: the status to answer (400, 413, 431, 501, 505) and why.
    int failureStatus() const { return m_failureStatus; }
    const QByteArray &failureReason() const { return m_failureReason; }
    // What was parsed of a failed request (method and path when the request line was read).
    const HttpRequest &partialRequest() const { return m_request; }

    // True between the end of the headers and the end of a body that is still to come, when
    // the client asked for `Expect: 100-continue`.
    bool awaitsContinue() const { return m_state != State::Head && m_expectContinue; }
    void continueSent() { m_expectContinue = false; }
    // True once any byte of the current request has been consumed.
    bool inProgress() const { return m_state != State::Head || m_headBytes > 0; }

private:
    enum class State
    {
        Head,
        FixedBody,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailer
    };

    Status parseHead(const QByteArray &in, qsizetype &offset);
    bool parseRequestLine(QByteArrayView line);
    bool parseHeaderLine(QByteArrayView line);
    Status headersDone();
    Status fail(int status, const char *reason);
    Status complete();

    const ServerLimits &m_limits;
    State m_state = State::Head;
    HttpRequest m_request;
    qsizetype m_headBytes = 0;
    qint64 m_remaining = 0; // body bytes left in the fixed body or the current chunk
    bool m_expectContinue = false;
    int m_failureStatus = 0;
    QByteArray m_failureReason;
};
