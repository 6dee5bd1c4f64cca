#include "rawhttpclient.h"

#include <QTest>

QByteArray RawHttpResponse::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key == name)
            return value;
    }
    return {};
}

bool RawHttpClient::connectTo(quint16 port)
{
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    return QTest::qWaitFor([&] { return m_socket.state() == QAbstractSocket::ConnectedState; },
                           10'000);
}

void RawHttpClient::send(const QByteArray &bytes)
{
    m_socket.write(bytes);
    m_socket.flush();
}

std::optional<RawHttpResponse> RawHttpClient::readResponse(int timeoutMs)
{
    std::optional<RawHttpResponse> response;
    // An empty optional tells the caller that nothing complete came in time.
    static_cast<void>(QTest::qWaitFor(
        [&] {
            m_buffer += m_socket.readAll();
            response = parse(m_socket.state() != QAbstractSocket::ConnectedState);
            return response.has_value();
        },
        timeoutMs));
    return response;
}

bool RawHttpClient::waitForDisconnected(int timeoutMs)
{
    return QTest::qWaitFor(
        [&] {
            m_buffer += m_socket.readAll();
            return m_socket.state() == QAbstractSocket::UnconnectedState;
        },
        timeoutMs);
}

bool RawHttpClient::waitForBytes(qsizetype count, int timeoutMs)
{
    return QTest::qWaitFor(
        [&] {
            m_buffer += m_socket.readAll();
            return m_buffer.size() >= count;
        },
        timeoutMs);
}

std::optional<RawHttpResponse> RawHttpClient::parse(bool closed)
{
    const qsizetype headEnd = m_buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return std::nullopt;
    RawHttpResponse response;
    const QList<QByteArray> lines = m_buffer.left(headEnd).split('\n');
    const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
    if (statusLine.size() < 2)
        return std::nullopt;
    response.status = statusLine.at(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        response.headers.append(
            {lines.at(i).left(colon).trimmed().toLower(), lines.at(i).mid(colon + 1).trimmed()});
    }
    qsizetype cursor = headEnd + 4;
    if (response.status == 100 || (response.status >= 100 && response.status < 200)) {
        m_buffer.remove(0, cursor);
        return response;
    }
    if (response.header("transfer-encoding") == "chunked") {
        for (;;) {
            const qsizetype lineEnd = m_buffer.indexOf("\r\n", cursor);
            if (lineEnd < 0)
                return std::nullopt;
            bool ok = false;
            const qsizetype size = m_buffer.mid(cursor, lineEnd - cursor).toLongLong(&ok, 16);
            if (!ok)
                return std::nullopt;
            if (m_buffer.size() < lineEnd + 2 + size + 2)
                return std::nullopt;
            response.body += m_buffer.mid(lineEnd + 2, size);
            cursor = lineEnd + 2 + size + 2;
            if (size == 0)
                break;
        }
    } else if (const QByteArray length = response.header("content-length"); !length.isNull()) {
        const qsizetype size = length.toLongLong();
        if (m_buffer.size() < cursor + size)
            return std::nullopt;
        response.body = m_buffer.mid(cursor, size);
        cursor += size;
    } else {
        if (!closed)
            return std::nullopt;
        response.body = m_buffer.mid(cursor);
        cursor = m_buffer.size();
    }
    m_buffer.remove(0, cursor);
    return response;
}

QByteArray rawRequest(const QByteArray &method, const QByteArray &path, const QByteArray &body,
                      const QByteArray &extraHeaders, quint16 port)
{
    QByteArray out = method + ' ' + path +
                     " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) + "\r\n" +
                     extraHeaders;
    if (!body.isNull())
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "\r\n" + body;
    return out;
}
