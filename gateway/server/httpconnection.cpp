#include "httpconnection.h"

#include "httpexchange.h"
#include "httphandler.h"
#include "httpserver.h"

#include <QTcpSocket>

#include <sys/socket.h>

namespace {
constexpr size_t kMaxPipelined = 16;             // requests read ahead of the one being served
constexpr qint64 kSocketReadBuffer = 256 * 1024; // beyond this the kernel holds the client back
constexpr qsizetype kCompactAfter = 64 * 1024;
constexpr int kLingerMs = 2'000; // how long unread request bytes are drained after the last answer
} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, HttpServer *server)
    : QObject(server)
    , m_socket(socket)
    , m_server(server)
    , m_parser(server->limits())
{
    socket->setParent(this);
    socket->setReadBufferSize(kSocketReadBuffer);
    m_timer.setSingleShot(true);
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::pump);
    connect(socket, &QTcpSocket::disconnected, this, &HttpConnection::onDisconnected);
    connect(socket, &QTcpSocket::bytesWritten, this, &HttpConnection::onBytesWritten);
    connect(&m_timer, &QTimer::timeout, this, &HttpConnection::onTimeout);
    armTimer();
}

HttpConnection::~HttpConnection() = default;

void HttpConnection::pump()
{
    if (m_pumping) {
        m_pumpAgain = true;
        return;
    }
    m_pumping = true;
    do {
        m_pumpAgain = false;
        readAndFrame();
        dispatchHead();
    } while (m_pumpAgain && !m_gone);
    m_pumping = false;
    if (!m_gone)
        armTimer();
}

void HttpConnection::readAndFrame()
{
    if (m_gone)
        return;
    if (m_closing) {
        m_socket->skip(m_socket->bytesAvailable()); // nothing more is served here
        return;
    }
    if (m_queue.size() >= kMaxPipelined)
        return; // leave the bytes to the socket: its bounded buffer holds the client back
    if (m_socket->bytesAvailable() > 0)
        m_in.append(m_socket->readAll());
    while (!m_closing && m_queue.size() < kMaxPipelined && m_offset < m_in.size()) {
        const auto status = m_parser.parse(m_in, m_offset);
        if (status == HttpRequestParser::Status::NeedMore)
            break;
        if (status == HttpRequestParser::Status::Failed) {
            HttpRequest partial = m_parser.partialRequest();
            partial.body.clear();
            reject(std::move(partial), m_parser.failureStatus(), m_parser.failureReason());
            break;
        }
        HttpRequest request = m_parser.takeRequest();
        request.peer = m_socket->peerAddress();
        // HTTP/1.0 may omit Host; browsers (the rebinding threat) always send it.
        const QByteArray host = request.header("host");
        const bool hostless = host.isNull() && request.versionMinor == 0;
        if (!hostless && !m_server->isHostAllowed(host)) {
            request.body.clear();
            reject(std::move(request), 421, QByteArrayLiteral("Host header not allowed"));
            break;
        }
        if (!request.keepAlive)
            m_closing = true;
        m_queue.push_back(new HttpExchange(std::move(request), this));
    }
    if (m_offset == m_in.size()) {
        m_in.resize(0);
        m_offset = 0;
    } else if (m_offset > kCompactAfter) {
        m_in.remove(0, m_offset);
        m_offset = 0;
    }
    // 100-continue only while nothing else is being answered, so it cannot land inside
    // another response.
    if (m_parser.awaitsContinue() && m_queue.empty()) {
        m_socket->write(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
        m_socket->flush();
        m_parser.continueSent();
    }
}

void HttpConnection::reject(HttpRequest request, int status, const QByteArray &reason)
{
    request.keepAlive = false;
    request.peer = m_socket->peerAddress();
    auto *exchange = new HttpExchange(std::move(request), this);
    exchange->m_rejectStatus = status;
    exchange->m_rejectReason = reason;
    m_queue.push_back(exchange);
    m_closing = true;
}

void HttpConnection::dispatchHead()
{
    while (!m_gone && !m_queue.empty() && !m_queue.front()->m_dispatched) {
        HttpExchange *head = m_queue.front();
        head->m_dispatched = true;
        head->m_clock.start();
        m_server->exchangeStarted();
        if (head->m_rejectStatus != 0)
            m_server->handler()->reject(head, head->m_rejectStatus, head->m_rejectReason);
        else
            m_server->handler()->handle(head);
    }
}

void HttpConnection::exchangeFinished(HttpExchange *exchange)
{
    if (m_queue.empty() || m_queue.front() != exchange)
        return;
    m_queue.pop_front();
    exchange->deleteLater();
    m_server->exchangeEnded();
    if (m_queue.empty() && (m_closing || exchange->closesConnection())) {
        closeAfterWrites();
        return;
    }
    // More requests may be buffered (pipelining); serve them on the next event-loop pass so
    // a long pipeline does not recurse through handlers.
    QMetaObject::invokeMethod(this, &HttpConnection::pump, Qt::QueuedConnection);
}

void HttpConnection::onDisconnected()
{
    if (m_gone)
        return;
    m_gone = true;
    m_timer.stop();
    abortQueue(HttpExchange::AbortReason::ClientGone);
}

void HttpConnection::abortQueue(HttpExchange::AbortReason reason)
{
    auto queue = std::exchange(m_queue, {});
    for (HttpExchange *exchange : queue) {
        if (exchange->m_dispatched) {
            exchange->abort(reason);
            m_server->exchangeEnded();
        }
        exchange->deleteLater();
    }
    m_server->connectionGone(this);
    deleteLater();
}

void HttpConnection::abortForShutdown()
{
    if (m_gone)
        return;
    m_gone = true;
    m_timer.stop();
    abortQueue(HttpExchange::AbortReason::ServerShutdown);
    m_socket->abort();
}

void HttpConnection::closeAfterCurrent()
{
    if (m_queue.empty()) {
        abortForShutdown();
        return;
    }
    m_closing = true;
    // Requests read ahead but not started yet are refused by closing after the current one.
    while (m_queue.size() > 1 && !m_queue.back()->m_dispatched) {
        m_queue.back()->deleteLater();
        m_queue.pop_back();
    }
}

void HttpConnection::closeAfterWrites()
{
    // A lingering close, as nginx does: closing with unread request bytes (a refused upload,
    // say) would make the kernel send a reset that can destroy the answer before the client
    // reads it. So: send everything, shut the write side, and drain input until the client
    // closes or the linger time is over.
    m_closing = true;
    m_lingering = true;
    m_readingTimer = false;
    m_timer.start(kLingerMs);
    if (m_socket->bytesToWrite() == 0)
        shutdownWrite();
}

void HttpConnection::shutdownWrite()
{
    if (m_writeShut)
        return;
    m_writeShut = true;
    ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
}

void HttpConnection::onBytesWritten()
{
    if (m_lingering && m_socket->bytesToWrite() == 0)
        shutdownWrite();
    if (!m_queue.empty() && m_socket->bytesToWrite() <= HttpExchange::kMaxPendingBytes / 4)
        Q_EMIT m_queue.front()->drained();
}

void HttpConnection::armTimer()
{
    if (m_lingering)
        return;
    if (!m_queue.empty() || m_closing) {
        m_timer.stop();
        return;
    }
    if (m_parser.inProgress()) {
        // The whole request must arrive within the read timeout: a client trickling bytes
        // cannot hold the connection forever.
        if (!m_readingTimer || !m_timer.isActive()) {
            m_readingTimer = true;
            m_timer.start(m_server->limits().headerTimeoutMs);
        }
        return;
    }
    m_readingTimer = false;
    m_timer.start(m_server->limits().keepAliveTimeoutMs);
}

void HttpConnection::onTimeout()
{
    if (m_lingering) {
        m_socket->abort();
        return;
    }
    if (m_readingTimer && m_queue.empty()) {
        HttpRequest partial = m_parser.partialRequest();
        partial.body.clear();
        reject(std::move(partial), 408, QByteArrayLiteral("request not received in time"));
        dispatchHead();
        return;
    }
    m_closing = true;
    m_socket->disconnectFromHost();
}
