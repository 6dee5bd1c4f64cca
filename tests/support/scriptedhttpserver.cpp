#include "scriptedhttpserver.h"

#include <QTimer>

ScriptedHttpServer::ScriptedHttpServer(QObject *parent)
    : QObject(parent)
{
    // Bursts of hundreds of connects must not overflow the accept queue (SYN retries take 1 s).
    m_server.setListenBacklogSize(1024);
    m_server.setMaxPendingConnections(1024);
    connect(&m_server, &QTcpServer::newConnection, this, &ScriptedHttpServer::accept);
}

ScriptedHttpServer::~ScriptedHttpServer()
{
    // The sockets are the QTcpServer's children and die after this object's members.
    for (auto it = m_index.cbegin(); it != m_index.cend(); ++it)
        disconnect(it.key(), nullptr, this, nullptr);
}

bool ScriptedHttpServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QByteArray ScriptedHttpServer::url(QByteArrayView path) const
{
    return "http://127.0.0.1:" + QByteArray::number(port()) + path;
}

void ScriptedHttpServer::writeSpaced(QTcpSocket *socket, const QList<QByteArray> &pieces,
                                     int intervalMs, bool closeAfter)
{
    for (qsizetype i = 0; i < pieces.size(); ++i) {
        QTimer::singleShot(intervalMs * int(i + 1), socket,
                           [socket, piece = pieces.at(i)] { socket->write(piece); });
    }
    if (closeAfter) {
        QTimer::singleShot(intervalMs * int(pieces.size()), socket,
                           [socket] { socket->disconnectFromHost(); });
    }
}

void ScriptedHttpServer::accept()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        m_index.insert(socket, m_accepted++);
        m_pending.insert(socket, {});
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            ++m_closed;
            m_pending.remove(socket);
            m_index.remove(socket);
            socket->deleteLater();
            Q_EMIT connectionClosed();
        });
    }
}

void ScriptedHttpServer::read(QTcpSocket *socket)
{
    m_pending[socket] += socket->readAll();
    for (;;) {
        // Looked up again each turn: the responder may have dropped the connection.
        const auto pending = m_pending.find(socket);
        if (pending == m_pending.end())
            return;
        QByteArray &buffer = *pending;
        const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
        if (headEnd < 0)
            return;
        Request request;
        const QList<QByteArray> lines = buffer.first(headEnd).split('\n');
        request.requestLine = lines.first().trimmed();
        const QList<QByteArray> parts = request.requestLine.split(' ');
        request.method = parts.value(0);
        request.target = parts.value(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines.at(i).indexOf(':');
            if (colon > 0) {
                request.headers.append({lines.at(i).first(colon).trimmed().toLower(),
                                        lines.at(i).sliced(colon + 1).trimmed()});
            }
        }
        const qsizetype length = request.header("content-length").toLongLong();
        if (buffer.size() < headEnd + 4 + length)
            return;
        request.body = buffer.sliced(headEnd + 4, length);
        buffer.remove(0, headEnd + 4 + length);
        request.connection = m_index.value(socket);
        request.socket = socket;
        m_requests.append(request);
        if (m_responder)
            m_responder(request);
        Q_EMIT requestReceived();
    }
}
