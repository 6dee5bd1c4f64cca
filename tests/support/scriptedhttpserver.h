#pragma once

#include "server/httprequest.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

#include <functional>

// A raw-TCP HTTP/1.1 fake upstream (or proxy) on 127.0.0.1 whose answers a test scripts byte
// by byte: it parses requests (head and Content-Length body) and hands each to a responder
// that writes whatever bytes it likes, late, partly, or not at all.
class ScriptedHttpServer : public QObject
{
    Q_OBJECT
public:
    struct Request
    {
        QByteArray requestLine; // "POST /v1/x HTTP/1.1"
        QByteArray method;
        QByteArray target; // as sent: origin-form, absolute-form or authority-form
        HttpHeaders headers;
        QByteArray body;
        int connection = -1; // index of the accepted connection, from 0
        QPointer<QTcpSocket> socket;

        QByteArray header(QByteArrayView name) const { return headerValue(headers, name); }
    };
    using Responder = std::function<void(const Request &)>;

    explicit ScriptedHttpServer(QObject *parent = nullptr);
    ~ScriptedHttpServer() override;

    bool listen();
    quint16 port() const { return m_server.serverPort(); }
    QByteArray url(QByteArrayView path) const; // http://127.0.0.1:<port><path>
    // Called for every complete request; without one, requests are never answered.
    void setResponder(Responder responder) { m_responder = std::move(responder); }

    int connectionCount() const { return m_accepted; }
    int closedCount() const { return m_closed; } // connections that ended, either side
    const QList<Request> &requests() const { return m_requests; }

    // Writes the pieces intervalMs apart (the first after intervalMs), then closes if asked.
    static void writeSpaced(QTcpSocket *socket, const QList<QByteArray> &pieces, int intervalMs,
                            bool closeAfter);

Q_SIGNALS:
    void requestReceived();
    void connectionClosed();

private:
    void accept();
    void read(QTcpSocket *socket);

    QTcpServer m_server;
    Responder m_responder;
    QHash<QTcpSocket *, QByteArray> m_pending; // unparsed bytes per connection
    QHash<QTcpSocket *, int> m_index;
    QList<Request> m_requests;
    int m_accepted = 0;
    int m_closed = 0;
};
