#include "httpserver.h"

#include "httpconnection.h"
#include "httpsyntax.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

HttpServer::HttpServer(HttpHandler *handler, const ServerLimits &limits, QObject *parent)
    : QTcpServer(parent)
    , m_handler(handler)
    , m_limits(limits)
{
    m_nextPass.setSingleShot(true);
    m_nextPass.setInterval(0);
    connect(&m_nextPass, &QTimer::timeout, this, &HttpServer::onNextPass);
}

HttpServer::~HttpServer()
{
    abortAll();
    // Now rather than in ~QObject(): a connection reaches back into m_passing as it goes.
    qDeleteAll(findChildren<HttpConnection *>(Qt::FindDirectChildrenOnly));
}

bool HttpServer::listen(const QHostAddress &address, quint16 port)
{
    if (!QTcpServer::listen(address, port))
        return false;
    const QByteArray portText = QByteArray::number(serverPort());
    const QHostAddress bound = serverAddress();
    m_anyAddress = bound == QHostAddress::AnyIPv4 || bound == QHostAddress::AnyIPv6 ||
                   bound == QHostAddress::Any;
    m_allowedHosts.clear();
    const auto allow = [&](const QByteArray &host) {
        m_allowedHosts.insert(host + ':' + portText);
        if (serverPort() == 80)
            m_allowedHosts.insert(host);
    };
    allow(QByteArrayLiteral("localhost"));
    if (bound.protocol() == QAbstractSocket::IPv6Protocol)
        allow('[' + bound.toString().toLatin1() + ']');
    else
        allow(bound.toString().toLatin1());
    if (bound.isLoopback() || m_anyAddress) {
        allow(QByteArrayLiteral("127.0.0.1"));
        allow(QByteArrayLiteral("[::1]"));
    }
    setAllowedHosts(m_extraHosts);
    return true;
}

void HttpServer::setAllowedHosts(const QStringList &hosts)
{
    m_extraHosts = hosts;
    const QByteArray portText = QByteArray::number(serverPort());
    for (const QString &host : hosts) {
        const QByteArray name = host.toLower().toLatin1();
        m_allowedHosts.insert(name);
        if (!name.contains(':') || name.startsWith('['))
            m_allowedHosts.insert(name + ':' + portText);
    }
}

bool HttpServer::isHostAllowed(QByteArrayView host) const
{
    const QByteArray lower = httpLowerName(host);
    if (m_allowedHosts.contains(lower))
        return true;
    // Bound to every interface: any IP literal is fine (a rebinding attack needs a name).
    if (m_anyAddress) {
        QByteArray name = lower;
        if (name.startsWith('[')) {
            name = name.mid(1, name.indexOf(']') - 1);
        } else if (const qsizetype colon = name.lastIndexOf(':'); colon >= 0) {
            name.truncate(colon);
        }
        return !QHostAddress(QString::fromLatin1(name)).isNull();
    }
    return false;
}

void HttpServer::incomingConnection(qintptr handle)
{
    const int fd = int(handle);
    if (!m_accepting || m_connections.size() >= m_limits.maxConnections) {
        ::close(fd);
        return;
    }
    const int noDelay = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &noDelay, sizeof(noDelay));
    ::fcntl(fd, F_SETFL, O_NONBLOCK); // QTcpServer accepts blocking sockets (no other flag is set)
    m_connections.insert(new HttpConnection(fd, this));
}

void HttpServer::exchangeEnded()
{
    if (--m_activeExchanges == 0)
        Q_EMIT drained();
}

void HttpServer::connectionGone(HttpConnection *connection)
{
    m_connections.remove(connection);
}

void HttpServer::callOnNextPass(HttpConnection *connection)
{
    m_passing.push_back(connection);
    if (!m_nextPass.isActive())
        m_nextPass.start();
}

void HttpServer::cancelNextPass(HttpConnection *connection)
{
    std::erase(m_passing, connection);
}

void HttpServer::onNextPass()
{
    // A connection asking again from here lands in the next pass; none is deleted meanwhile
    // (connections go by deleteLater()).
    for (HttpConnection *connection : std::exchange(m_passing, {}))
        connection->onNextPass();
}

void HttpServer::stopAccepting()
{
    m_accepting = false;
    close();
    const auto connections = m_connections;
    for (HttpConnection *connection : connections)
        connection->closeAfterCurrent();
}

void HttpServer::abortAll()
{
    m_accepting = false;
    close();
    const auto connections = m_connections;
    for (HttpConnection *connection : connections)
        connection->abortForShutdown();
}
