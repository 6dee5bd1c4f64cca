#include "httpexchange.h"

#include "httpconnection.h"
#include "httpserver.h"
#include "protocol/headtext.h"

namespace {

const char *reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 402:
        return "Payment Required";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 413:
        return "Content Too Large";
    case 415:
        return "Unsupported Media Type";
    case 421:
        return "Misdirected Request";
    case 422:
        return "Unprocessable Content";
    case 426:
        return "Upgrade Required";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 499:
        return "Client Closed Request";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    case 505:
        return "HTTP Version Not Supported";
    case 529:
        return "Overloaded";
    default:
        return "Status";
    }
}

} // namespace

HttpExchange::HttpExchange(HttpRequest request, HttpConnection *connection)
    : QObject(connection)
    , m_request(std::move(request))
    , m_connection(connection)
{
    m_clock.start();
}

HttpExchange::~HttpExchange() = default;

bool HttpExchange::closesConnection() const
{
    return !m_request.keepAlive || m_rawStream;
}

QByteArray HttpExchange::head(int status, const HttpHeaders &headers, qint64 contentLength) const
{
    // Room for the head and a body of contentLength appended after it (respond()).
    qsizetype room = 128 + qMax<qint64>(contentLength, 0);
    for (const auto &[name, value] : headers)
        room += name.size() + value.size() + 4;
    HeadText out(room);
    out << (m_request.versionMinor == 0 ? "HTTP/1.0 " : "HTTP/1.1 ");
    out.number(status) << ' ' << reasonPhrase(status) << "\r\n";
    for (const auto &[name, value] : headers)
        out << name << ": " << value << "\r\n";
    if (contentLength >= 0)
        (out << "content-length: ").number(contentLength) << "\r\n";
    else if (!m_rawStream)
        out << "transfer-encoding: chunked\r\n";
    if (closesConnection())
        out << "connection: close\r\n";
    else if (m_request.versionMinor == 0)
        out << "connection: keep-alive\r\n";
    out << "\r\n";
    return out.take();
}

void HttpExchange::respond(int status, const HttpHeaders &headers, const QByteArray &body)
{
    if (m_state != State::Waiting)
        return;
    QByteArray out = head(status, headers, body.size());
    if (m_request.method != "HEAD")
        out += body;
    write(out);
    finish();
}

void HttpExchange::beginStream(int status, const HttpHeaders &headers)
{
    if (m_state != State::Waiting)
        return;
    m_rawStream = m_request.versionMinor == 0;
    m_state = State::Streaming;
    write(head(status, headers, -1));
}

void HttpExchange::writeChunk(QByteArrayView data)
{
    if (m_state != State::Streaming || data.isEmpty())
        return;
    if (m_rawStream) {
        write(data);
        return;
    }
    QByteArray out;
    out.reserve(data.size() + 20);
    out += QByteArray::number(data.size(), 16);
    out += "\r\n";
    out += data;
    out += "\r\n";
    write(out);
}

void HttpExchange::endStream(bool closeConnection)
{
    if (m_state != State::Streaming)
        return;
    if (closeConnection)
        m_request.keepAlive = false;
    if (!m_rawStream)
        write(QByteArrayLiteral("0\r\n\r\n"));
    finish();
}

void HttpExchange::abortConnection()
{
    if (m_state == State::Finished)
        return;
    m_state = State::Finished;
    if (m_connection)
        m_connection->abort();
}

qint64 HttpExchange::pendingBytes() const
{
    return m_connection ? m_connection->pendingBytes() : 0;
}

void HttpExchange::write(QByteArrayView bytes)
{
    if (m_connection)
        m_connection->send(bytes);
}

void HttpExchange::finish()
{
    m_state = State::Finished;
    if (m_connection)
        m_connection->exchangeFinished(this);
}

void HttpExchange::abort(AbortReason reason)
{
    if (m_state == State::Finished)
        return;
    m_state = State::Finished;
    m_abortReason = reason;
    Q_EMIT aborted();
}
