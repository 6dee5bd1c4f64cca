#include "httprequestparser.h"

#include "httpsyntax.h"

#include <algorithm>
#include <cstring>

namespace {

constexpr qsizetype kJsonPadding = 64; // simdjson reads up to 64 bytes past the end
constexpr qsizetype kMaxChunkLine = 1024;

// Finds the end of the line starting at `from` in [base, base+size): the index just past '\n'.
qsizetype lineEnd(const char *base, qsizetype size, qsizetype from)
{
    const void *nl = std::memchr(base + from, '\n', size_t(size - from));
    return nl ? static_cast<const char *>(nl) - base + 1 : -1;
}

QByteArrayView withoutEol(const char *begin, const char *end)
{
    QByteArrayView line(begin, end - begin);
    if (line.endsWith('\n'))
        line.chop(1);
    if (line.endsWith('\r'))
        line.chop(1);
    return line;
}

} // namespace

HttpRequestParser::Status HttpRequestParser::parse(const QByteArray &in, qsizetype &offset)
{
    const char *const data = in.constData();
    const qsizetype size = in.size();
    for (;;) {
        switch (m_state) {
        case State::Head: {
            const Status status = parseHead(in, offset);
            if (status != Status::NeedMore || m_state == State::Head)
                return status;
            break; // the body may already be buffered
        }
        case State::FixedBody: {
            const qint64 take = qMin<qint64>(m_remaining, size - offset);
            m_request.body.append(data + offset, take);
            offset += take;
            m_remaining -= take;
            if (m_remaining > 0)
                return Status::NeedMore;
            return complete();
        }
        case State::ChunkSize: {
            const qsizetype end = lineEnd(data, size, offset);
            if (end < 0)
                return size - offset > kMaxChunkLine ? fail(400, "chunk size line too long")
                                                     : Status::NeedMore;
            const std::optional<qint64> size =
                parseChunkSize(withoutEol(data + offset, data + end));
            if (!size)
                return fail(400, "invalid chunk size");
            const qint64 chunk = *size;
            offset = end;
            if (chunk == 0) {
                m_state = State::Trailer;
                break;
            }
            if (m_request.body.size() + chunk > m_limits.maxBodyBytes)
                return fail(413, "request body exceeds the limit");
            m_remaining = chunk;
            m_state = State::ChunkData;
            break;
        }
        case State::ChunkData: {
            const qint64 take = qMin<qint64>(m_remaining, size - offset);
            m_request.body.append(data + offset, take);
            offset += take;
            m_remaining -= take;
            if (m_remaining > 0)
                return Status::NeedMore;
            m_state = State::ChunkDataEnd;
            break;
        }
        case State::ChunkDataEnd: {
            if (size - offset < 1)
                return Status::NeedMore;
            if (data[offset] == '\n') {
                offset += 1;
            } else if (data[offset] == '\r') {
                if (size - offset < 2)
                    return Status::NeedMore;
                if (data[offset + 1] != '\n')
                    return fail(400, "chunk not followed by CRLF");
                offset += 2;
            } else {
                return fail(400, "chunk not followed by CRLF");
            }
            m_state = State::ChunkSize;
            break;
        }
        case State::Trailer: {
            const qsizetype end = lineEnd(data, size, offset);
            if (end < 0)
                return size - offset > m_limits.maxHeaderBytes ? fail(431, "trailer too large")
                                                               : Status::NeedMore;
            const QByteArrayView line = withoutEol(data + offset, data + end);
            m_headBytes += end - offset;
            offset = end;
            if (m_headBytes > m_limits.maxHeaderBytes)
                return fail(431, "trailer too large");
            if (line.isEmpty())
                return complete();
            break;
        }
        }
    }
}

HttpRequestParser::Status HttpRequestParser::parseHead(const QByteArray &in, qsizetype &offset)
{
    const char *data = in.constData();
    const qsizetype size = in.size();
    // Empty lines between pipelined requests are tolerated (RFC 9112, 2.2).
    if (m_headBytes == 0) {
        while (offset < size && (data[offset] == '\r' || data[offset] == '\n'))
            ++offset;
        if (offset == size)
            return Status::NeedMore;
    }
    // Find the empty line that ends the head. m_headBytes remembers how far earlier calls
    // scanned so that a head arriving byte by byte is not rescanned from its start.
    const char *base = data + offset;
    const qsizetype available = size - offset;
    qsizetype scan = qMax<qsizetype>(0, m_headBytes - 1);
    qsizetype headEnd = -1;
    for (;;) {
        const qsizetype end = lineEnd(base, available, scan);
        if (end < 0) {
            scan = available;
            break;
        }
        if (end < available && base[end] == '\n') {
            headEnd = end + 1;
            break;
        }
        if (end + 1 < available && base[end] == '\r' && base[end + 1] == '\n') {
            headEnd = end + 2;
            break;
        }
        if (end >= available || (end + 1 >= available && base[end] == '\r')) {
            scan = end - 1;
            break;
        }
        scan = end;
    }
    if (headEnd < 0) {
        m_headBytes = qMax<qsizetype>(1, scan);
        if (available > m_limits.maxHeaderBytes) {
            // Keep the request line when there is one, so the answer can take the route's shape.
            if (const qsizetype end = lineEnd(base, available, 0); end > 0)
                parseRequestLine(withoutEol(base, base + end));
            return fail(431, "request header fields too large");
        }
        return Status::NeedMore;
    }
    if (headEnd > m_limits.maxHeaderBytes)
        return fail(431, "request header fields too large");

    const char *cursor = base;
    const char *const stop = base + headEnd;
    int lineNumber = 0;
    int headerCount = 0;
    while (cursor < stop) {
        const char *next = static_cast<const char *>(std::memchr(cursor, '\n', stop - cursor)) + 1;
        const QByteArrayView line = withoutEol(cursor, next);
        cursor = next;
        if (lineNumber++ == 0) {
            if (!parseRequestLine(line))
                return Status::Failed;
            continue;
        }
        if (line.isEmpty())
            break;
        if (++headerCount > m_limits.maxHeaderCount)
            return fail(431, "too many request header fields");
        if (!parseHeaderLine(line))
            return Status::Failed;
    }
    offset += headEnd;
    m_headBytes = 0;
    return headersDone();
}

bool HttpRequestParser::parseRequestLine(QByteArrayView line)
{
    const qsizetype firstSpace = line.indexOf(' ');
    const qsizetype lastSpace = line.lastIndexOf(' ');
    if (firstSpace <= 0 || lastSpace <= firstSpace + 1) {
        fail(400, "malformed request line");
        return false;
    }
    const QByteArrayView method = line.first(firstSpace);
    const QByteArrayView target = line.sliced(firstSpace + 1, lastSpace - firstSpace - 1);
    const QByteArrayView version = line.sliced(lastSpace + 1);
    for (char c : method) {
        if (!isHttpTokenChar(c)) {
            fail(400, "malformed request method");
            return false;
        }
    }
    if (!version.startsWith("HTTP/") || version.size() != 8 || version[6] != '.') {
        fail(400, "malformed HTTP version");
        return false;
    }
    if (version[5] != '1' || (version[7] != '0' && version[7] != '1')) {
        fail(505, "HTTP version not supported");
        return false;
    }
    if (target.isEmpty() || target.contains(' ') || (target.front() != '/' && target != "*")) {
        fail(400, "malformed request target");
        return false;
    }
    m_request.method = method.toByteArray();
    const qsizetype question = target.indexOf('?');
    m_request.path = (question < 0 ? target : target.first(question)).toByteArray();
    if (question >= 0)
        m_request.query = target.sliced(question + 1).toByteArray();
    m_request.versionMinor = version[7] - '0';
    return true;
}

bool HttpRequestParser::parseHeaderLine(QByteArrayView line)
{
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0) {
        fail(400, "malformed header field");
        return false;
    }
    const QByteArrayView name = line.first(colon);
    // also rejects obsolete line folding and "Name :"
    if (!std::all_of(name.begin(), name.end(), isHttpTokenChar)) {
        fail(400, "malformed header field name");
        return false;
    }
    if (m_request.headers.isEmpty())
        m_request.headers.reserve(16); // what SDKs send, without regrowing
    m_request.headers.append(
        {httpLowerName(name), httpTrimmed(line.sliced(colon + 1)).toByteArray()});
    return true;
}

HttpRequestParser::Status HttpRequestParser::headersDone()
{
    const bool http11 = m_request.versionMinor == 1;
    QByteArray contentLength;
    QByteArray transferEncoding;
    QByteArray connection;
    QByteArray expect;
    bool hasHost = false;
    for (const auto &[name, value] : std::as_const(m_request.headers)) {
        if (name == "content-length") {
            if (!contentLength.isNull() && contentLength != value)
                return fail(400, "conflicting Content-Length headers");
            contentLength = value;
        } else if (name == "transfer-encoding") {
            transferEncoding += transferEncoding.isEmpty() ? value : ',' + value;
        } else if (name == "connection") {
            connection += connection.isEmpty() ? value : ',' + value;
        } else if (name == "expect") {
            expect = value;
        } else if (name == "host") {
            if (hasHost)
                return fail(400, "more than one Host header");
            hasHost = true;
        }
    }
    if (http11 && !hasHost)
        return fail(400, "missing Host header");
    m_request.keepAlive =
        http11 ? !hasHttpToken(connection, "close") : hasHttpToken(connection, "keep-alive");

    if (!transferEncoding.isNull()) {
        if (!contentLength.isNull())
            return fail(400, "both Content-Length and Transfer-Encoding");
        if (!http11)
            return fail(400, "Transfer-Encoding in an HTTP/1.0 request");
        if (httpTrimmed(transferEncoding).compare("chunked", Qt::CaseInsensitive) != 0)
            return fail(501, "unsupported Transfer-Encoding");
        m_expectContinue = http11 && expect.compare("100-continue", Qt::CaseInsensitive) == 0;
        m_state = State::ChunkSize;
        return Status::NeedMore;
    }
    qint64 length = 0;
    if (!contentLength.isNull()) {
        if (contentLength.isEmpty() || contentLength.size() > 18)
            return fail(contentLength.size() > 18 ? 413 : 400, "invalid Content-Length");
        for (char c : std::as_const(contentLength)) {
            if (c < '0' || c > '9')
                return fail(400, "invalid Content-Length");
            length = length * 10 + (c - '0');
        }
    }
    if (length > m_limits.maxBodyBytes)
        return fail(413, "request body exceeds the limit");
    if (length == 0)
        return complete();
    m_expectContinue = http11 && expect.compare("100-continue", Qt::CaseInsensitive) == 0;
    m_request.body.reserve(length + kJsonPadding);
    m_remaining = length;
    m_state = State::FixedBody;
    return Status::NeedMore;
}

HttpRequestParser::Status HttpRequestParser::fail(int status, const char *reason)
{
    m_failureStatus = status;
    m_failureReason = QByteArray(reason);
    return Status::Failed;
}

HttpRequestParser::Status HttpRequestParser::complete()
{
    if (m_request.body.capacity() - m_request.body.size() < kJsonPadding)
        m_request.body.reserve(m_request.body.size() + kJsonPadding);
    m_state = State::Head;
    m_headBytes = 0;
    m_expectContinue = false;
    return Status::Complete;
}

HttpRequest HttpRequestParser::takeRequest()
{
    return std::exchange(m_request, HttpRequest());
}
