#include "httpresponseparser.h"

#include "server/httpsyntax.h"

#include <limits>

namespace {
constexpr qsizetype kMaxHeadBytes = 256 * 1024; // status line, headers and interim responses
constexpr int kMaxHeaders = 500;
constexpr qsizetype kMaxChunkLine = 4096; // a chunk-size line with its extensions

} // namespace

void HttpResponseParser::reset(QByteArrayView method)
{
    m_state = State::StatusLine;
    m_headRequest = method == "HEAD";
    m_started = false;
    m_keepAlive = false;
    m_status = 0;
    m_versionMinor = 1;
    m_headers.clear();
    m_headBytes = 0;
    m_remaining = 0;
    m_partialLine.clear();
    m_error.clear();
}

HttpResponseParser::Line HttpResponseParser::line(QByteArrayView data, qsizetype limit,
                                                  qsizetype *consumed, QByteArrayView *text)
{
    const qsizetype newline = data.indexOf('\n');
    if (newline < 0) {
        if (m_partialLine.size() + data.size() > limit)
            return Line::TooLong;
        m_partialLine += data;
        *consumed = data.size();
        return Line::NeedMore;
    }
    *consumed = newline + 1;
    QByteArrayView found = data.first(newline);
    if (!m_partialLine.isEmpty()) {
        if (m_partialLine.size() + found.size() > limit)
            return Line::TooLong;
        m_partialLine += found;
        found = m_partialLine;
    }
    if (found.endsWith('\r'))
        found.chop(1);
    *text = found;
    return Line::Ready;
}

HttpResponseParser::Step HttpResponseParser::next(QByteArrayView data, qsizetype *consumed,
                                                  QByteArrayView *piece)
{
    *consumed = 0;
    if (!data.isEmpty())
        m_started = true;
    while (*consumed < data.size() || m_state == State::Finished) {
        const QByteArrayView rest = data.sliced(*consumed);
        switch (m_state) {
        case State::StatusLine:
        case State::Headers:
        case State::Trailers:
        case State::ChunkSize:
        case State::ChunkDataEnd: {
            const bool inHead = m_state == State::StatusLine || m_state == State::Headers;
            const qsizetype limit = inHead                       ? kMaxHeadBytes - m_headBytes
                                    : m_state == State::Trailers ? kMaxHeadBytes
                                                                 : kMaxChunkLine;
            qsizetype used = 0;
            QByteArrayView text;
            const Line got = line(rest, limit, &used, &text);
            if (got == Line::TooLong)
                return fail(inHead ? "response headers too large" : "line too long");
            *consumed += used;
            if (inHead)
                m_headBytes += used;
            if (got == Line::NeedMore)
                return Step::NeedMore;
            Step step = Step::NeedMore;
            switch (m_state) {
            case State::StatusLine:
                step = statusLine(text);
                break;
            case State::Headers:
                step = headerLine(text);
                break;
            case State::ChunkSize:
                step = chunkSize(text);
                break;
            case State::ChunkDataEnd:
                m_state = State::ChunkSize;
                if (!text.isEmpty())
                    step = fail("chunk data longer than its size");
                break;
            default: // Trailers: read and dropped
                if (text.isEmpty())
                    m_state = State::Finished;
                break;
            }
            m_partialLine.clear();
            if (step != Step::NeedMore)
                return step;
            break;
        }
        case State::FixedBody:
        case State::ChunkData: {
            const qsizetype take = qsizetype(qMin<qint64>(m_remaining, rest.size()));
            *piece = rest.first(take);
            *consumed += take;
            m_remaining -= take;
            if (m_remaining == 0)
                m_state = m_state == State::FixedBody ? State::Finished : State::ChunkDataEnd;
            return Step::Body;
        }
        case State::BodyToEnd:
            *piece = rest;
            *consumed += rest.size();
            return Step::Body;
        case State::Finished:
            return Step::Done;
        case State::Failed:
            return Step::Error;
        }
    }
    return m_state == State::Failed ? Step::Error : Step::NeedMore;
}

HttpResponseParser::Step HttpResponseParser::endOfInput()
{
    switch (m_state) {
    case State::BodyToEnd:
        m_state = State::Finished;
        m_keepAlive = false;
        return Step::Done;
    case State::Finished:
        return Step::Done;
    case State::Failed:
        return Step::Error;
    case State::StatusLine:
        if (!m_started)
            return fail("the connection closed before a response");
        [[fallthrough]];
    default:
        return fail("the connection closed in the middle of the response");
    }
}

HttpResponseParser::Step HttpResponseParser::statusLine(QByteArrayView text)
{
    // HTTP/1.x NNN reason
    if (text.size() < 12 || !text.startsWith("HTTP/1.") || text[8] != ' ' ||
        (text[7] != '0' && text[7] != '1') || (text.size() > 12 && text[12] != ' '))
        return fail("not an HTTP/1.x status line");
    int status = 0;
    for (qsizetype i = 9; i < 12; ++i) {
        if (text[i] < '0' || text[i] > '9')
            return fail("not an HTTP/1.x status line");
        status = status * 10 + (text[i] - '0');
    }
    if (status < 100)
        return fail("not an HTTP/1.x status line");
    m_status = status;
    m_versionMinor = text[7] - '0';
    m_headers.clear();
    m_state = State::Headers;
    return Step::NeedMore;
}

HttpResponseParser::Step HttpResponseParser::headerLine(QByteArrayView text)
{
    if (text.isEmpty())
        return headersDone();
    if (text.front() == ' ' || text.front() == '\t') {
        // obs-fold: a continuation of the previous field's value
        if (m_headers.isEmpty())
            return fail("a folded line before any header");
        QByteArray &value = m_headers.last().second;
        value += ' ';
        value += text.trimmed();
        return Step::NeedMore;
    }
    const qsizetype colon = text.indexOf(':');
    if (colon <= 0)
        return fail("a header line without a name");
    if (m_headers.size() >= kMaxHeaders)
        return fail("too many response headers");
    if (m_headers.isEmpty())
        m_headers.reserve(16);
    m_headers.append(
        {httpLowerName(text.first(colon)), text.sliced(colon + 1).trimmed().toByteArray()});
    return Step::NeedMore;
}

HttpResponseParser::Step HttpResponseParser::headersDone()
{
    if (m_status < 200) {
        if (m_status == 101)
            return fail("an unrequested protocol switch");
        // An interim response (100 Continue, 103 Early Hints): the real one follows.
        m_state = State::StatusLine;
        return Step::NeedMore;
    }
    const QByteArray connection = headerValue(m_headers, "connection");
    m_keepAlive = m_versionMinor == 1 ? !hasHttpToken(connection, "close")
                                      : hasHttpToken(connection, "keep-alive");
    const QByteArray transferEncoding = headerValue(m_headers, "transfer-encoding");
    QByteArray contentLength;
    for (const auto &[name, value] : std::as_const(m_headers)) {
        if (name != "content-length")
            continue;
        if (!contentLength.isNull() && value != contentLength)
            return fail("conflicting Content-Length headers");
        contentLength = value;
    }
    if (m_headRequest || m_status == 204 || m_status == 304) {
        m_state = State::Finished;
    } else if (!transferEncoding.isNull()) {
        // Only chunked as the last coding frames a body; anything else runs to the end.
        const qsizetype comma = transferEncoding.lastIndexOf(',');
        const QByteArrayView last = QByteArrayView(transferEncoding).sliced(comma + 1).trimmed();
        if (last.compare("chunked", Qt::CaseInsensitive) == 0) {
            m_state = State::ChunkSize;
        } else {
            m_state = State::BodyToEnd;
            m_keepAlive = false;
        }
    } else if (!contentLength.isNull()) {
        bool ok = false;
        const qlonglong length = contentLength.toLongLong(&ok);
        if (!ok || length < 0 || contentLength.front() == '+' || contentLength.front() == '-')
            return fail("an invalid Content-Length");
        m_remaining = length;
        m_state = length == 0 ? State::Finished : State::FixedBody;
    } else {
        m_state = State::BodyToEnd;
        m_keepAlive = false;
    }
    return Step::Head;
}

HttpResponseParser::Step HttpResponseParser::chunkSize(QByteArrayView text)
{
    const std::optional<qint64> size = parseChunkSize(text);
    if (!size)
        return fail("an invalid chunk size");
    m_remaining = *size;
    m_state = *size == 0 ? State::Trailers : State::ChunkData;
    return Step::NeedMore;
}

HttpResponseParser::Step HttpResponseParser::fail(const char *what)
{
    m_state = State::Failed;
    m_keepAlive = false;
    m_error = what;
    return Step::Error;
}
