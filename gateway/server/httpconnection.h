#pragma once

#include "httpexchange.h"
#include "httprequestparser.h"

#include <QObject>
#include <QTimer>

#include <deque>

class HttpServer;
class QTcpSocket;

// One client connection: reads and frames its requests, queues pipelined exchanges and hands
// them to the handler one at a time so responses leave in request order. Owns its socket;
// deletes itself once the socket is gone.
class HttpConnection : public QObject
{
    Q_OBJECT
public:
    HttpConnection(QTcpSocket *socket, HttpServer *server);
    ~HttpConnection() override;

    QTcpSocket *socket() const { return m_socket; }
    // Called by the head exchange once its response is complete.
    void exchangeFinished(HttpExchange *exchange);
    // Cut the connection; exchanges still running see aborted() with reason ServerShutdown.
    void abortForShutdown();
    // Serve the running exchange, then close; an idle connection closes at once.
    void closeAfterCurrent();

private:
    void pump();
    void readAndFrame();
    void dispatchHead();
    void reject(HttpRequest request, int status, const QByteArray &reason);
    void onDisconnected();
    void abortQueue(HttpExchange::AbortReason reason);
    void onTimeout();
    void onBytesWritten();
    void armTimer();
    void closeAfterWrites();
    void shutdownWrite();

    QTcpSocket *m_socket;
    HttpServer *m_server;
    HttpRequestParser m_parser;
    QByteArray m_in;
    qsizetype m_offset = 0;
    std::deque<HttpExchange *> m_queue; // front is the head: the only one dispatched
    QTimer m_timer;
    bool m_readingTimer = false; // m_timer bounds the reading of a request (else keep-alive)
    bool m_closing = false;      // no further request is read on this connection
    bool m_pumping = false;
    bool m_pumpAgain = false;
    bool m_gone = false;
    bool m_lingering = false; // answered for the last time, draining until the client closes
    bool m_writeShut = false;
};
