#include "httpconnection.h"

#include "httpexchange.h"
#include "httphandler.h"
#include "httpserver.h"

#include <cerrno>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {
constexpr size_t kMaxPipelined = 16;       // requests read ahead of the one being served
constexpr qsizetype kReadStep = 64 * 1024; // room offered to each recv()
constexpr int kReadSteps = 4;              // recv() calls per wake-up at most
constexpr qsizetype kCompactAfter = 64 * 1024;
constexpr int kLingerMs = 2'000; // how long unread request bytes are drained after the last answer

QHostAddress peerOf(int fd)
{
    sockaddr_storage address{};
    socklen_t length = sizeof(address);
    if (::getpeername(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return {};
    return QHostAddress(reinterpret_cast<const sockaddr *>(&address));
}
} // namespace

HttpConnection::HttpConnection(int descriptor, HttpServer *server)
    : QObject(server)
    , m_fd(descriptor)
    , m_readable(descriptor, QSocketNotifier::Read)
    , m_writable(descriptor, QSocketNotifier::Write)
    , m_peer(peerOf(descriptor))
    , m_server(server)
    , m_parser(server->limits())
    , m_timer([this] { onTimeout(); })
{
    m_writable.setEnabled(false);
    connect(&m_readable, &QSocketNotifier::activated, this, &HttpConnection::pump);
    connect(&m_writable, &QSocketNotifier::activated, this, &HttpConnection::onWritable);
    armTimer();
}

HttpConnection::~HttpConnection()
{
    if (m_passPending)
        m_server->cancelNextPass(this);
    closeSocket();
}

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

bool HttpConnection::receive(bool discard)
{
    // One buffer per thread takes what each recv() brings; only that much is kept, so an idle
    // connection holds no read room of its own.
    static thread_local QByteArray scratch(kReadStep, Qt::Uninitialized);
    for (int step = 0; step < kReadSteps; ++step) {
        const ssize_t got = ::recv(m_fd, scratch.data(), size_t(kReadStep), 0);
        if (got > 0) {
            if (!discard)
                m_in.append(scratch.constData(), got);
            if (got < kReadStep)
                return true; // the socket is drained: no need to ask again
            continue;
        }
        if (got < 0 && errno == EINTR)
            continue;
        return got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK); // 0: the client closed
    }
    return true; // more waits: the notifier fires again, after other connections had their turn
}

void HttpConnection::readAndFrame()
{
    if (m_gone)
        return;
    if (m_closing) {
        if (!receive(true)) // nothing more is served here
            onDisconnected();
        return;
    }
    // Past the pipelining bound the kernel holds the client back until the queue shrinks.
    m_readable.setEnabled(m_queue.size() < kMaxPipelined);
    if (!m_readable.isEnabled())
        return;
    const bool open = receive(false);
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
        request.peer = m_peer;
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
        send("HTTP/1.1 100 Continue\r\n\r\n");
        m_parser.continueSent();
    }
    if (!open)
        onDisconnected(); // after what arrived before the close is framed
}

void HttpConnection::reject(HttpRequest request, int status, const QByteArray &reason)
{
    request.keepAlive = false;
    request.peer = m_peer;
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
    // Its handler is still on the stack: deleted on the next pass of the event loop, by the
    // server's one zero-time timer rather than deleteLater(), whose posted event wakes the loop
    // through its eventfd (two system calls per request).
    m_retired.push_back(exchange);
    if (!std::exchange(m_passPending, true))
        m_server->callOnNextPass(this);
    m_server->exchangeEnded();
    if (m_queue.empty() && (m_closing || exchange->closesConnection())) {
        closeAfterWrites();
        return;
    }
    // More requests may be framed or buffered (pipelining), or reading may have stopped at the
    // bound: go on on the next pass too, so a long pipeline does not recurse through handlers.
    // Otherwise the socket's next bytes start the next request.
    m_pumpOnNextPass |= !m_queue.empty() || m_offset < m_in.size() || !m_readable.isEnabled();
    armTimer(); // idle now: the keep-alive time runs
}

void HttpConnection::onNextPass()
{
    m_passPending = false;
    qDeleteAll(std::exchange(m_retired, {}));
    if (std::exchange(m_pumpOnNextPass, false))
        pump();
}

qsizetype HttpConnection::sendNow(QByteArrayView bytes)
{
    qsizetype sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n =
            ::send(m_fd, bytes.data() + sent, size_t(bytes.size() - sent), MSG_NOSIGNAL);
        if (n >= 0) {
            sent += n;
            continue;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            break;
        return -1;
    }
    return sent;
}

void HttpConnection::send(QByteArrayView bytes)
{
    if (m_fd < 0 || m_writeShut || bytes.isEmpty())
        return;
    qsizetype sent = 0;
    if (m_out.isEmpty()) {
        sent = sendNow(bytes);
        if (sent < 0)
            return abort(); // the client is gone (reset, broken pipe)
        if (sent == bytes.size())
            return;
    }
    m_out.append(bytes.sliced(sent));
    m_writable.setEnabled(true);
}

void HttpConnection::onWritable()
{
    const qsizetype sent = sendNow(QByteArrayView(m_out).sliced(m_outOffset));
    if (sent < 0)
        return abort();
    m_outOffset += sent;
    if (m_outOffset == m_out.size()) {
        m_out.clear();
        m_outOffset = 0;
        m_writable.setEnabled(false);
    } else if (m_outOffset > kCompactAfter) {
        m_out.remove(0, m_outOffset);
        m_outOffset = 0;
    }
    if (pendingBytes() == 0) {
        if (m_lingering)
            shutdownWrite();
        if (m_closeWhenSent)
            return abort(); // nothing is lost: all of it was sent
    }
    if (!m_queue.empty() && pendingBytes() <= HttpExchange::kMaxPendingBytes / 4)
        Q_EMIT m_queue.front()->drained();
}

void HttpConnection::abort()
{
    if (m_fd < 0)
        return;
    closeSocket();
    onDisconnected();
}

void HttpConnection::closeSocket()
{
    if (m_fd < 0)
        return;
    m_readable.setEnabled(false);
    m_writable.setEnabled(false);
    ::close(std::exchange(m_fd, -1));
    m_out.clear();
    m_outOffset = 0;
}

void HttpConnection::onDisconnected()
{
    if (m_gone)
        return;
    m_gone = true;
    m_timer.stop();
    closeSocket(); // a closed or failed socket would stay readable until the deferred delete
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
    closeSocket();
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
    if (pendingBytes() == 0)
        shutdownWrite();
}

void HttpConnection::shutdownWrite()
{
    if (m_writeShut || m_fd < 0)
        return;
    m_writeShut = true;
    ::shutdown(m_fd, SHUT_WR);
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
        abort();
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
    if (pendingBytes() == 0)
        abort(); // idle: nothing pending, nothing to lose
    else
        m_closeWhenSent = true;
}
