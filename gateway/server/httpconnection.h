#pragma once

#include "httpexchange.h"
#include "httprequestparser.h"
#include "lazytimer.h"

#include <QHostAddress>
#include <QObject>
#include <QSocketNotifier>

#include <deque>
#include <vector>

class HttpServer;

// One client connection: reads and frames its requests, queues pipelined exchanges and hands
// them to the handler one at a time so responses leave in request order. Owns its socket (a
// non-blocking descriptor it reads into its own buffer and writes to directly, holding back only
// what the kernel does not take); deletes itself once the socket is gone.
class HttpConnection : public QObject
{
    Q_OBJECT
public:
    HttpConnection(int descriptor, HttpServer *server);
    ~HttpConnection() override;

    // Writes now what the kernel takes and keeps the rest for when the socket is writable.
    void send(QByteArrayView bytes);
    // Bytes given to send() that the kernel has not taken yet.
    qint64 pendingBytes() const { return m_out.size() - m_outOffset; }
    // Closes the socket at once, dropping what is pending (as QAbstractSocket::abort()); the
    // exchanges see the client go.
    void abort();
    // Called by the head exchange once its response is complete.
    void exchangeFinished(HttpExchange *exchange);
    // Cut the connection; exchanges still running see aborted() with reason ServerShutdown.
    void abortForShutdown();
    // The server's next loop pass: deletes the finished exchanges, pumps when work was left.
    void onNextPass();
    // Serve the running exchange, then close; an idle connection closes at once.
    void closeAfterCurrent();

private:
    void pump();
    void readAndFrame();
    void dispatchHead();
    void reject(HttpRequest request, int status, const QByteArray &reason);
    // Reads what the socket holds into m_in (discarding it while closing); false once the client
    // has closed or the socket failed.
    bool receive(bool discard);
    // Sends what the kernel takes of bytes now: how much, or -1 once the client is gone.
    qsizetype sendNow(QByteArrayView bytes);
    void onWritable();
    void onDisconnected();
    void abortQueue(HttpExchange::AbortReason reason);
    void onTimeout();
    void armTimer();
    void closeAfterWrites();
    void shutdownWrite();
    void closeSocket();

    int m_fd;
    QSocketNotifier m_readable;
    QSocketNotifier m_writable;
    QHostAddress m_peer;
    HttpServer *m_server;
    HttpRequestParser m_parser;
    QByteArray m_in;
    qsizetype m_offset = 0;
    QByteArray m_out; // what the kernel did not take yet, from m_outOffset
    qsizetype m_outOffset = 0;
    std::deque<HttpExchange *> m_queue; // front is the head: the only one dispatched
    LazyTimer m_timer;                  // reading, keep-alive or linger time
    std::vector<HttpExchange *> m_retired; // finished, deleted on the next pass (children)
    bool m_passPending = false;            // asked the server for a call on its next pass
    bool m_pumpOnNextPass = false;
    bool m_readingTimer = false; // m_timer bounds the reading of a request (else keep-alive)
    bool m_closing = false;      // no further request is read on this connection
    bool m_pumping = false;
    bool m_pumpAgain = false;
    bool m_gone = false;
    bool m_lingering = false; // answered for the last time, draining until the client closes
    bool m_writeShut = false;
    bool m_closeWhenSent = false; // the keep-alive time ran out while an answer was leaving
};
