#pragma once

#include "serverlimits.h"

#include <QSet>
#include <QTcpServer>
#include <QTimer>

#include <vector>

class HttpConnection;
class HttpHandler;

// The HTTP/1.1 listener: frames requests itself (limits before buffering, pipelining in order,
// 100-continue, keep-alive and request timeouts, Connection: close and HTTP/1.0), checks the
// Host header against the bound address (DNS rebinding) and hands each request to a handler.
class HttpServer : public QTcpServer
{
    Q_OBJECT
public:
    HttpServer(HttpHandler *handler, const ServerLimits &limits, QObject *parent = nullptr);
    ~HttpServer() override;

    // Listens and derives the Host header values that are accepted.
    bool listen(const QHostAddress &address, quint16 port);
    // Extra Host header values to accept (names such as "gatehouse.local", with or without port).
    void setAllowedHosts(const QStringList &hosts);
    bool isHostAllowed(QByteArrayView host) const;

    HttpHandler *handler() const { return m_handler; }
    const ServerLimits &limits() const { return m_limits; }
    int connectionCount() const { return int(m_connections.size()); }
    int activeExchanges() const { return m_activeExchanges; }

    // Shutdown in two steps: stop accepting and close idle connections (running exchanges go
    // on and their connections close after them), then cut whatever is still running.
    void stopAccepting();
    void abortAll();

Q_SIGNALS:
    // The number of running exchanges dropped to zero.
    void drained();

protected:
    void incomingConnection(qintptr handle) override;

private:
    friend class HttpConnection;
    friend class HttpExchange;
    void exchangeStarted() { ++m_activeExchanges; }
    void exchangeEnded();
    void connectionGone(HttpConnection *connection);
    // One zero-time timer for every connection with work left for the loop's next pass: under
    // load one timer registration serves the many exchanges a pass finishes.
    void callOnNextPass(HttpConnection *connection);
    void cancelNextPass(HttpConnection *connection);
    void onNextPass();

    HttpHandler *m_handler;
    ServerLimits m_limits;
    QSet<HttpConnection *> m_connections;
    QTimer m_nextPass;
    std::vector<HttpConnection *> m_passing;
    QSet<QByteArray> m_allowedHosts;
    QStringList m_extraHosts;
    bool m_anyAddress = false;
    bool m_accepting = true;
    int m_activeExchanges = 0;
};
