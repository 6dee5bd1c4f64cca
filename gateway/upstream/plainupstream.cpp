#include "plainupstream.h"

#include "httpresponseparser.h"
#include "protocol/bodyinflater.h"
#include "protocol/headtext.h"

#include <QSocketNotifier>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/uio.h>
#include <unistd.h>

namespace {
constexpr qsizetype kReadSize = 64 * 1024;               // one recv() at most
constexpr qsizetype kIdlePerOrigin = 256;                // more idle connections are closed
constexpr auto kIdleLifetime = std::chrono::seconds(60); // older idle ones are closed
// Idle connections are not watched (each watched socket costs every poll() of the thread), so a
// close by the server while one waits shows only when it is reused: one idle for longer than
// this is checked with a non-blocking peek first. A close racing the reuse is retried.
constexpr auto kTrustedIdle = std::chrono::seconds(1);

QString errnoText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

bool isLiteral(QByteArrayView host, sockaddr_storage *address, quint16 port)
{
    *address = {};
    const QByteArray text = host.toByteArray();
    auto *v4 = reinterpret_cast<sockaddr_in *>(address);
    if (inet_pton(AF_INET, text.constData(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        return true;
    }
    auto *v6 = reinterpret_cast<sockaddr_in6 *>(address);
    if (inet_pton(AF_INET6, text.constData(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        return true;
    }
    return false;
}

// "127.0.0.1:8080", "[::1]:8080", "localhost" -> the addresses to dial; empty: not plain.
QList<sockaddr_storage> addressesOf(QByteArrayView authority)
{
    if (authority.contains('@') || authority.isEmpty())
        return {};
    QByteArrayView host = authority;
    QByteArrayView port;
    if (authority.front() == '[') {
        const qsizetype close = authority.indexOf(']');
        if (close < 0)
            return {};
        host = authority.sliced(1, close - 1);
        const QByteArrayView rest = authority.sliced(close + 1);
        if (!rest.isEmpty()) {
            if (rest.front() != ':')
                return {};
            port = rest.sliced(1);
        }
    } else if (const qsizetype colon = authority.lastIndexOf(':'); colon >= 0) {
        host = authority.first(colon);
        port = authority.sliced(colon + 1);
    }
    quint16 number = 80;
    if (!port.isEmpty()) {
        bool ok = false;
        const uint parsed = port.toUInt(&ok);
        if (!ok || parsed == 0 || parsed > 65535)
            return {};
        number = quint16(parsed);
    }
    sockaddr_storage address;
    if (host.compare("localhost", Qt::CaseInsensitive) == 0) {
        QList<sockaddr_storage> both;
        isLiteral("127.0.0.1", &address, number);
        both.append(address);
        isLiteral("::1", &address, number);
        both.append(address);
        return both;
    }
    if (isLiteral(host, &address, number))
        return {address};
    return {};
}

QString addressText(const sockaddr_storage &address)
{
    char text[INET6_ADDRSTRLEN] = {};
    if (address.ss_family == AF_INET) {
        const auto *v4 = reinterpret_cast<const sockaddr_in *>(&address);
        inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
        return QStringLiteral("%1 port %2").arg(QLatin1StringView(text)).arg(ntohs(v4->sin_port));
    }
    const auto *v6 = reinterpret_cast<const sockaddr_in6 *>(&address);
    inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
    return QStringLiteral("%1 port %2").arg(QLatin1StringView(text)).arg(ntohs(v6->sin6_port));
}
} // namespace

// One keep-alive HTTP/1.1 connection to an origin, and the exchange it carries. Lives as long
// as its socket; deleted at once, or later when a handler of its own may be on the stack.
class PlainConnection final : public QObject, public UpstreamCallDriver
{
public:
    PlainConnection(PlainUpstream *pool, PlainOrigin *origin);
    ~PlainConnection() override;

    // Starts an exchange: `head` is the whole request head, `body` goes after it.
    void begin(UpstreamCallPrivate *call, const QByteArray &method, QByteArray head,
               QByteArray body, const UpstreamTimeouts &timeouts);
    // Moves this connection's exchange to `fresh`, which has not sent a byte yet.
    void handOver(PlainConnection *fresh);
    void becomeIdle();
    // Whether an idle connection is neither closed by the server nor holding unasked-for bytes.
    bool stillOpen() const;
    UpstreamCallPrivate *detachCall();
    PlainOrigin *origin() const { return m_origin; }
    UpstreamClock::time_point idleSince() const { return m_idleSince; }
    void closeSocket();
    // Out of its pool for good (closed, awaiting deletion): its timers and queued work stop.
    void retire();

    void abandon() override;
    void hold() override;
    void release() override;

private:
    enum class Phase
    {
        Connecting,
        Exchanging, // the request goes out, the answer comes in (it may begin meanwhile)
        Idle,
    };

    void connectNext();
    void watch();
    void connected();
    void send();
    void onReadable();
    void onWritable();
    void onDeadline();
    void receive();
    qsizetype readInto(char *at);
    qsizetype deliver(QByteArrayView data);
    void deliverBuffered();
    bool onHead();
    void onBody(QByteArrayView piece);
    void complete(bool allConsumed);
    void finish(UpstreamError error, const QString &message);
    void failSoon(UpstreamError error, const QString &message);
    void lost(const QString &why);
    void arm(int ms);
    bool mayRetry() const { return m_served > 0 && !m_parser.started(); }

    PlainUpstream *m_pool;
    PlainOrigin *m_origin;
    int m_fd = -1;
    QSocketNotifier *m_readable = nullptr;
    QSocketNotifier *m_writable = nullptr;
    LazyTimer m_deadline; // connect, then first byte, then idle
    Phase m_phase = Phase::Connecting;
    int m_served = 0;  // exchanges completed on this connection
    int m_address = 0; // the origin's address being dialled
    int m_connectError = 0;

    UpstreamCallPrivate *m_call = nullptr;
    UpstreamTimeouts m_timeouts;
    QByteArray m_head;
    QByteArray m_body;
    QByteArray m_method;
    qsizetype m_sent = 0; // of head and body together
    HttpResponseParser m_parser;
    std::unique_ptr<BodyInflater> m_inflater;
    QByteArray m_decoded;
    QByteArray m_in; // received bytes not delivered yet (a paused call's)
    qsizetype m_inOffset = 0;
    bool m_eof = false;
    int m_readError = 0;
    bool m_headSeen = false;
    UpstreamClock::time_point m_lastActivity;
    UpstreamClock::time_point m_idleSince;
    UpstreamError m_pendingError = UpstreamError::None;
    QString m_pendingMessage;
};

PlainConnection::PlainConnection(PlainUpstream *pool, PlainOrigin *origin)
    : m_pool(pool)
    , m_origin(origin)
    , m_deadline([this] { onDeadline(); })
{}

PlainConnection::~PlainConnection()
{
    closeSocket();
}

void PlainConnection::retire()
{
    closeSocket();
    m_deadline.stop();
    m_pool = nullptr;
}

void PlainConnection::begin(UpstreamCallPrivate *call, const QByteArray &method, QByteArray head,
                            QByteArray body, const UpstreamTimeouts &timeouts)
{
    m_call = call;
    call->driver = this;
    m_method = method;
    m_head = std::move(head);
    m_body = std::move(body);
    m_timeouts = timeouts;
    m_sent = 0;
    m_parser.reset(method);
    m_inflater.reset();
    m_in.clear();
    m_inOffset = 0;
    m_eof = false;
    m_readError = 0;
    m_headSeen = false;
    m_pendingError = UpstreamError::None;
    if (m_fd < 0) {
        arm(timeouts.connectMs);
        connectNext();
    } else {
        m_phase = Phase::Exchanging;
        arm(timeouts.firstByteMs);
        m_readable->setEnabled(!call->paused);
        send();
    }
}

void PlainConnection::handOver(PlainConnection *fresh)
{
    QByteArray head = std::move(m_head);
    QByteArray body = std::move(m_body);
    UpstreamCallPrivate *call = detachCall();
    fresh->begin(call, m_method, std::move(head), std::move(body), m_timeouts);
}

UpstreamCallPrivate *PlainConnection::detachCall()
{
    UpstreamCallPrivate *call = std::exchange(m_call, nullptr);
    if (call)
        call->driver = nullptr;
    m_deadline.stop();
    m_head.clear();
    m_body.clear();
    m_decoded.clear();
    m_inflater.reset();
    return call;
}

void PlainConnection::becomeIdle()
{
    m_phase = Phase::Idle;
    m_idleSince = UpstreamClock::now();
    m_readable->setEnabled(false);
}

bool PlainConnection::stillOpen() const
{
    char byte = 0;
    const ssize_t peeked = ::recv(m_fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return peeked < 0 && (errno == EAGAIN || errno == EWOULDBLOCK); // no close, no stray bytes
}

void PlainConnection::connectNext()
{
    m_phase = Phase::Connecting;
    while (m_address < m_origin->addresses.size()) {
        const sockaddr_storage &address = m_origin->addresses.at(m_address);
        m_fd = ::socket(address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (m_fd < 0) {
            m_connectError = errno;
            break;
        }
        const int on = 1;
        const int idleSeconds = 30;
        const int intervalSeconds = 15;
        ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        ::setsockopt(m_fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
        ::setsockopt(m_fd, IPPROTO_TCP, TCP_KEEPIDLE, &idleSeconds, sizeof idleSeconds);
        ::setsockopt(m_fd, IPPROTO_TCP, TCP_KEEPINTVL, &intervalSeconds, sizeof intervalSeconds);
        const socklen_t length =
            address.ss_family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
        const int result = ::connect(m_fd, reinterpret_cast<const sockaddr *>(&address), length);
        if (result == 0 || errno == EINPROGRESS) {
            watch();
            if (result == 0)
                connected();
            else
                m_writable->setEnabled(true);
            return;
        }
        m_connectError = errno;
        closeSocket();
        ++m_address;
    }
    const sockaddr_storage &last =
        m_origin->addresses.at(qMin<qsizetype>(m_address, m_origin->addresses.size() - 1));
    failSoon(UpstreamError::ConnectFailed, QStringLiteral("could not connect to upstream: %1: %2")
                                               .arg(addressText(last), errnoText(m_connectError)));
}

void PlainConnection::watch()
{
    if (!m_readable) {
        m_readable = new QSocketNotifier(m_fd, QSocketNotifier::Read, this);
        m_writable = new QSocketNotifier(m_fd, QSocketNotifier::Write, this);
        QObject::connect(m_readable, &QSocketNotifier::activated, this, [this] { onReadable(); });
        QObject::connect(m_writable, &QSocketNotifier::activated, this, [this] { onWritable(); });
    } else {
        m_readable->setSocket(m_fd);
        m_writable->setSocket(m_fd);
    }
    m_readable->setEnabled(false);
    m_writable->setEnabled(false);
}

void PlainConnection::closeSocket()
{
    if (m_fd < 0)
        return;
    if (m_readable) {
        m_readable->setEnabled(false);
        m_writable->setEnabled(false);
    }
    ::close(m_fd);
    m_fd = -1;
}

void PlainConnection::connected()
{
    m_writable->setEnabled(false);
    m_readable->setEnabled(!m_call->paused);
    m_phase = Phase::Exchanging;
    // The connection is up and the request goes out now: the first-byte clock starts here.
    arm(m_timeouts.firstByteMs);
    send();
}

void PlainConnection::send()
{
    const qsizetype total = m_head.size() + m_body.size();
    // constData(): the body is shared with the caller's request, and data() would copy it.
    const auto bytes = [](const QByteArray &from, qsizetype offset) {
        return iovec{const_cast<char *>(from.constData()) + offset, size_t(from.size() - offset)};
    };
    while (m_sent < total) {
        iovec parts[2];
        int count = 0;
        if (m_sent < m_head.size()) {
            parts[count++] = bytes(m_head, m_sent);
            if (!m_body.isEmpty())
                parts[count++] = bytes(m_body, 0);
        } else {
            parts[count++] = bytes(m_body, m_sent - m_head.size());
        }
        msghdr message{};
        message.msg_iov = parts;
        message.msg_iovlen = size_t(count);
        const ssize_t written = ::sendmsg(m_fd, &message, MSG_NOSIGNAL);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                m_writable->setEnabled(true);
                return;
            }
            const int error = errno;
            if (mayRetry())
                m_pool->retry(this);
            else
                failSoon(UpstreamError::ConnectionLost,
                         QStringLiteral("upstream connection lost: ") + errnoText(error));
            return;
        }
        m_sent += written;
    }
    m_writable->setEnabled(false);
}

void PlainConnection::onWritable()
{
    if (!m_pool)
        return;
    UpstreamClientPrivate *client = m_pool->client();
    client->enter();
    if (m_phase == Phase::Connecting) {
        int error = 0;
        socklen_t length = sizeof error;
        ::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &length);
        if (error == 0) {
            connected();
        } else {
            m_connectError = error;
            closeSocket();
            ++m_address;
            connectNext();
        }
    } else if (m_call) {
        send();
    } else {
        m_writable->setEnabled(false);
    }
    client->leave();
}

void PlainConnection::onReadable()
{
    if (!m_pool)
        return;
    UpstreamClientPrivate *client = m_pool->client();
    client->enter();
    if (m_phase == Phase::Idle || !m_call) {
        // Readable between exchanges: the server closed it (or sent bytes nobody asked for);
        // it cannot carry another request.
        m_pool->dispose(this);
    } else if (m_call->paused) {
        m_readable->setEnabled(false);
    } else {
        receive();
    }
    client->leave();
}

// One recv() into `at` (room for kReadSize bytes): how many bytes came, 0 at the end of the
// stream or on an error (both set m_eof), -1 when nothing was waiting.
qsizetype PlainConnection::readInto(char *at)
{
    const ssize_t got = ::recv(m_fd, at, size_t(kReadSize), 0);
    if (got > 0)
        return got;
    if (got < 0 && (errno == EAGAIN || errno == EINTR))
        return -1;
    m_eof = true;
    m_readError = got < 0 ? errno : 0;
    m_readable->setEnabled(false);
    return 0;
}

void PlainConnection::receive()
{
    if (m_inOffset < m_in.size()) {
        // A resumed call's bytes are still queued: new ones go behind them.
        const qsizetype used = m_in.size();
        m_in.resize(used + kReadSize);
        const qsizetype got = readInto(m_in.data() + used);
        m_in.resize(used + qMax<qsizetype>(got, 0));
        if (got >= 0)
            deliverBuffered();
        return;
    }
    PlainUpstream *pool = m_pool; // a handler may retire this connection
    QByteArray *scratch = pool->takeScratch();
    QByteArray own;
    QByteArray &buffer = scratch ? *scratch : own;
    if (buffer.size() < kReadSize)
        buffer.resize(kReadSize);
    if (const qsizetype got = readInto(buffer.data()); got >= 0) {
        const QByteArrayView data(buffer.constData(), got);
        const qsizetype used = deliver(data);
        if (used < data.size() && m_call) {
            m_in = data.sliced(used).toByteArray(); // kept for resume()
            m_inOffset = 0;
        }
    }
    if (scratch)
        pool->returnScratch();
}

void PlainConnection::deliverBuffered()
{
    m_inOffset += deliver(QByteArrayView(m_in).sliced(m_inOffset));
    if (m_inOffset == m_in.size()) {
        m_in = QByteArray();
        m_inOffset = 0;
    }
}

qsizetype PlainConnection::deliver(QByteArrayView data)
{
    qsizetype offset = 0;
    while (m_call && !m_call->paused) {
        qsizetype used = 0;
        QByteArrayView piece;
        HttpResponseParser::Step step = m_parser.next(data.sliced(offset), &used, &piece);
        offset += used;
        if (step == HttpResponseParser::Step::NeedMore) {
            if (!m_eof)
                break;
            if (mayRetry()) {
                m_pool->retry(this);
                break;
            }
            step = m_parser.endOfInput();
        }
        switch (step) {
        case HttpResponseParser::Step::Head:
            if (!onHead())
                return offset;
            break;
        case HttpResponseParser::Step::Body:
            onBody(piece);
            break;
        case HttpResponseParser::Step::Done:
            complete(offset == data.size());
            return offset;
        case HttpResponseParser::Step::Error:
            if (m_eof && m_readError != 0)
                lost(errnoText(m_readError));
            else if (m_eof)
                lost(QString::fromLatin1(m_parser.error()));
            else
                lost(QStringLiteral("garbled response: ") + QString::fromLatin1(m_parser.error()));
            return offset;
        case HttpResponseParser::Step::NeedMore:
            break;
        }
    }
    return offset;
}

bool PlainConnection::onHead()
{
    m_headSeen = true;
    m_call->status = m_parser.status();
    m_call->responseHeaders = m_parser.takeHeaders();
    const QByteArray encoding = headerValue(m_call->responseHeaders, "content-encoding");
    m_inflater = BodyInflater::forEncoding(encoding);
    if (m_inflater && !m_inflater->supported()) {
        lost(QStringLiteral("unsupported content-encoding: ") + QString::fromLatin1(encoding));
        return false;
    }
    m_lastActivity = UpstreamClock::now();
    arm(m_timeouts.idleMs);
    Q_EMIT m_call->q->responseStarted(m_call->status);
    return m_call != nullptr;
}

void PlainConnection::onBody(QByteArrayView piece)
{
    m_lastActivity = UpstreamClock::now();
    if (m_inflater) {
        if (!m_inflater->inflate(piece, &m_decoded)) {
            lost(QStringLiteral("the response body is not valid ") +
                 QString::fromLatin1(headerValue(m_call->responseHeaders, "content-encoding")));
            return;
        }
        if (!m_decoded.isEmpty())
            Q_EMIT m_call->q->dataReceived(m_decoded);
    } else if (!piece.isEmpty()) {
        Q_EMIT m_call->q->dataReceived(piece.toByteArray());
    }
}

void PlainConnection::complete(bool allConsumed)
{
    if (m_inflater && !m_inflater->finished()) {
        lost(QStringLiteral("the compressed response body ended early"));
        return;
    }
    // Bytes past the answer, or an answer before the whole request went out: not reusable.
    const bool reusable =
        m_parser.keepAlive() && allConsumed && !m_eof && m_sent == m_head.size() + m_body.size();
    UpstreamCallPrivate *call = detachCall();
    ++m_served;
    if (reusable)
        m_pool->park(this);
    else
        m_pool->dispose(this);
    Q_EMIT call->q->finished(UpstreamError::None, QString());
}

void PlainConnection::finish(UpstreamError error, const QString &message)
{
    UpstreamCallPrivate *call = detachCall();
    m_pool->dispose(this);
    if (call)
        Q_EMIT call->q->finished(error, message);
}

void PlainConnection::failSoon(UpstreamError error, const QString &message)
{
    // Never from inside start(): the caller has not connected to the call's signals yet.
    m_pendingError = error;
    m_pendingMessage = message;
    m_deadline.start(0);
}

void PlainConnection::lost(const QString &why)
{
    finish(UpstreamError::ConnectionLost, QStringLiteral("upstream connection lost: ") + why);
}

void PlainConnection::arm(int ms)
{
    armUpstreamDeadline(m_deadline, ms);
}

void PlainConnection::onDeadline()
{
    if (!m_pool)
        return;
    UpstreamClientPrivate *client = m_pool->client();
    client->enter();
    if (!m_call) {
        // nothing: the exchange ended meanwhile
    } else if (m_pendingError != UpstreamError::None) {
        finish(m_pendingError, m_pendingMessage);
    } else if (m_phase == Phase::Connecting) {
        finish(UpstreamError::ConnectTimeout,
               QStringLiteral("upstream connect to %1 timed out after %2 ms")
                   .arg(QString::fromLatin1(m_origin->authority))
                   .arg(m_timeouts.connectMs));
    } else if (!m_headSeen) {
        finish(UpstreamError::FirstByteTimeout,
               upstreamTimeoutMessage(UpstreamError::FirstByteTimeout, m_timeouts));
    } else if (m_call->paused) {
        arm(m_timeouts.idleMs);
    } else if (const int left = upstreamIdleLeftMs(m_lastActivity, m_timeouts.idleMs)) {
        m_deadline.start(left);
    } else {
        finish(UpstreamError::IdleTimeout,
               upstreamTimeoutMessage(UpstreamError::IdleTimeout, m_timeouts));
    }
    client->leave();
}

void PlainConnection::abandon()
{
    // The call is being deleted mid-exchange: the half-read answer makes the connection
    // useless, so it closes (the server sees the call end).
    detachCall();
    m_pool->dispose(this);
}

void PlainConnection::hold()
{
    if (m_readable && m_phase != Phase::Connecting)
        m_readable->setEnabled(false);
}

void PlainConnection::release()
{
    m_lastActivity = UpstreamClock::now(); // our own pause is not the upstream's silence
    if (m_phase == Phase::Connecting || m_fd < 0)
        return;
    if (!m_eof)
        m_readable->setEnabled(true);
    if (m_inOffset < m_in.size() || m_eof) {
        // What arrived before the pause is delivered from the event loop, never from inside
        // resume() itself.
        QMetaObject::invokeMethod(
            this,
            [this] {
                if (!m_pool)
                    return;
                UpstreamClientPrivate *client = m_pool->client();
                client->enter();
                if (m_call && !m_call->paused)
                    deliverBuffered();
                client->leave();
            },
            Qt::QueuedConnection);
    }
}

PlainUpstream::PlainUpstream(UpstreamClientPrivate *client)
    : m_client(client)
{
    m_prune.setSingleShot(true);
    QObject::connect(&m_prune, &QTimer::timeout, [this] { pruneIdle(); });
}

PlainUpstream::~PlainUpstream()
{
    // Inside a handler (the client was deleted from one) a connection may be on the stack.
    const bool deferred = m_client->depth > 0 || m_client->orphaned;
    for (PlainConnection *connection : std::as_const(m_connections)) {
        connection->retire();
        if (deferred)
            connection->deleteLater();
        else
            delete connection;
    }
    qDeleteAll(m_origins);
}

bool PlainUpstream::usable()
{
    // curl reads http_proxy only in lower case for http:// (HTTP_PROXY is CGI's to set).
    for (const char *name : {"http_proxy", "all_proxy", "ALL_PROXY"}) {
        if (!qEnvironmentVariableIsEmpty(name))
            return false;
    }
    return true;
}

PlainOrigin *PlainUpstream::origin(QByteArrayView authority)
{
    PlainOrigin *&found = m_origins[authority.toByteArray()];
    if (!found) {
        found = new PlainOrigin;
        found->authority = authority.toByteArray();
        found->addresses = addressesOf(authority);
    }
    return found;
}

bool PlainUpstream::start(UpstreamCallPrivate *call, const UpstreamRequest &request)
{
    const QByteArrayView url = request.url;
    if (!url.startsWith("http://"))
        return false;
    const QByteArrayView rest = url.sliced(7);
    qsizetype end = 0;
    while (end < rest.size() && rest[end] != '/' && rest[end] != '?' && rest[end] != '#')
        ++end;
    PlainOrigin *target = origin(rest.first(end));
    if (target->addresses.isEmpty())
        return false; // a host name: curl resolves it
    QByteArrayView path = rest.sliced(end);
    if (const qsizetype fragment = path.indexOf('#'); fragment >= 0)
        path.truncate(fragment);

    const QByteArray &method = request.method;
    const bool bodyless = (method == "GET" || method == "HEAD") && request.body.isEmpty();
    HeadText head(160 + path.size() + request.headers.size() * 64);
    head << method << ' ';
    if (path.isEmpty() || path.front() != '/')
        head << '/';
    head << path << " HTTP/1.1\r\nHost: " << target->authority << "\r\n";
    for (const auto &[name, value] : request.headers) {
        if (forwardsUpstreamHeader(name, value))
            head << name << ": " << value << "\r\n";
    }
    head << "Accept-Encoding: gzip, deflate\r\n";
    if (!bodyless)
        (head << "Content-Length: ").number(request.body.size()) << "\r\n";
    head << "\r\n";

    PlainConnection *connection = idleConnection(target);
    if (!connection)
        connection = open(target);
    connection->begin(call, method, head.take(), method == "HEAD" ? QByteArray() : request.body,
                      request.timeouts);
    return true;
}

PlainConnection *PlainUpstream::idleConnection(PlainOrigin *origin)
{
    const auto now = UpstreamClock::now();
    while (!origin->idle.isEmpty()) {
        PlainConnection *connection = origin->idle.takeLast();
        const auto idleFor = now - connection->idleSince();
        if (idleFor < kIdleLifetime && (idleFor < kTrustedIdle || connection->stillOpen()))
            return connection;
        dispose(connection);
    }
    return nullptr;
}

void PlainUpstream::pruneIdle()
{
    const auto now = UpstreamClock::now();
    auto next = UpstreamClock::time_point::max();
    for (PlainOrigin *origin : std::as_const(m_origins)) {
        // Oldest first: each list is in the order its connections became idle.
        while (!origin->idle.isEmpty() &&
               now - origin->idle.constFirst()->idleSince() >= kIdleLifetime)
            dispose(origin->idle.constFirst());
        if (!origin->idle.isEmpty())
            next = std::min(next, origin->idle.constFirst()->idleSince() + kIdleLifetime);
    }
    if (next != UpstreamClock::time_point::max()) {
        m_prune.start(std::chrono::ceil<std::chrono::milliseconds>(next - now) +
                      std::chrono::milliseconds(1));
    }
}

void PlainUpstream::detachCalls(QList<QPointer<UpstreamCall>> *calls)
{
    for (PlainConnection *connection : std::as_const(m_connections)) {
        if (UpstreamCallPrivate *call = connection->detachCall())
            calls->append(call->q);
    }
}

void PlainUpstream::park(PlainConnection *connection)
{
    m_toPark.append(connection);
}

void PlainUpstream::settle()
{
    while (!m_toPark.isEmpty()) {
        PlainConnection *connection = m_toPark.takeFirst();
        PlainOrigin *origin = connection->origin();
        if (origin->idle.size() >= kIdlePerOrigin) {
            dispose(connection);
            continue;
        }
        connection->becomeIdle();
        origin->idle.append(connection);
        if (!m_prune.isActive())
            m_prune.start(std::chrono::duration_cast<std::chrono::milliseconds>(kIdleLifetime));
    }
}

void PlainUpstream::dispose(PlainConnection *connection)
{
    connection->retire();
    connection->origin()->idle.removeOne(connection);
    m_toPark.removeOne(connection);
    m_connections.removeOne(connection);
    if (m_client->depth > 0)
        connection->deleteLater(); // its own handler may be on the stack
    else
        delete connection;
}

void PlainUpstream::retry(PlainConnection *stale)
{
    stale->handOver(open(stale->origin()));
    dispose(stale);
}

PlainConnection *PlainUpstream::open(PlainOrigin *origin)
{
    auto *connection = new PlainConnection(this, origin);
    m_connections.append(connection);
    return connection;
}

QByteArray *PlainUpstream::takeScratch()
{
    if (m_scratchBusy)
        return nullptr;
    m_scratchBusy = true;
    return &m_scratch;
}
