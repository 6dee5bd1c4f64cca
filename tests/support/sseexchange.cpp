#include "sseexchange.h"

#include <QJsonDocument>
#include <QTest>

#include <utility>

SseExchange::SseExchange(quint16 port, const QByteArray &method, const QByteArray &path,
                         const QByteArray &body, const QByteArray &extraHeaders)
{
    connect(&m_socket, &QTcpSocket::readyRead, this, &SseExchange::onReadyRead);
    connect(&m_socket, &QTcpSocket::disconnected, this, [this] { m_closed = true; });
    m_clock.start();
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    m_socket.write(
        method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) +
        "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
        "\r\nConnection: close\r\n" + extraHeaders + "\r\n" + body);
}

bool SseExchange::wait(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_complete || m_closed; }, timeoutMs);
}

void SseExchange::resumeReading()
{
    m_paused = false;
    onReadyRead();
}

QJsonObject SseExchange::json() const
{
    return QJsonDocument::fromJson(body).object();
}

void SseExchange::onReadyRead()
{
    if (m_paused)
        return;
    m_in += m_socket.readAll();
    if (headersAtMs < 0) {
        const qsizetype end = m_in.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        headersAtMs = m_clock.elapsed();
        const QList<QByteArray> lines = m_in.first(end).split('\n');
        status = lines.first().split(' ').value(1).toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            headers.insert(lines[i].first(colon).toLower(), lines[i].mid(colon + 1).trimmed());
        }
        m_in.remove(0, end + 4);
        m_chunked = headers.value("transfer-encoding") == "chunked";
    }
    if (!m_chunked) {
        body += std::exchange(m_in, {});
        m_complete = body.size() >= headers.value("content-length").toLongLong();
        return;
    }
    while (true) {
        const qsizetype lineEnd = m_in.indexOf("\r\n");
        if (lineEnd < 0)
            return;
        const qsizetype size = m_in.first(lineEnd).toLongLong(nullptr, 16);
        if (m_in.size() < lineEnd + 2 + size + 2)
            return;
        if (size == 0) {
            m_complete = true;
            return;
        }
        body += m_in.sliced(lineEnd + 2, size);
        m_in.remove(0, lineEnd + 2 + size + 2);
        splitEvents();
    }
}

void SseExchange::splitEvents()
{
    qsizetype end;
    while ((end = body.indexOf("\n\n", m_parsed)) >= 0) {
        Event event{{}, {}, m_clock.elapsed()};
        for (const QByteArray &line : body.sliced(m_parsed, end - m_parsed).split('\n')) {
            if (line.startsWith("event: ")) {
                event.name = line.sliced(7);
                continue;
            }
            if (!event.data.isEmpty())
                event.data += '\n';
            event.data += line.startsWith("data: ") ? line.sliced(6) : line;
        }
        events.append(event);
        m_parsed = end + 2;
    }
}
