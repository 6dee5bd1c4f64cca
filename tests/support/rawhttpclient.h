#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QTcpSocket>

#include <optional>

struct RawHttpResponse
{
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-case
    QByteArray body;                              // de-chunked
    QByteArray header(const QByteArray &name) const;
};

// A byte-exact HTTP/1.1 client for tests: sends exactly the bytes given and parses responses
// while the event loop runs (the server may live on the same thread).
class RawHttpClient
{
public:
    bool connectTo(quint16 port);
    void send(const QByteArray &bytes);
    // Waits for the next complete response (Content-Length, chunked, or ended by close).
    std::optional<RawHttpResponse> readResponse(int timeoutMs = 10'000);
    // Waits until the server closes the connection.
    bool waitForDisconnected(int timeoutMs = 10'000);
    // Bytes received and not yet parsed into a response.
    const QByteArray &buffer() const { return m_buffer; }
    bool waitForBytes(qsizetype count, int timeoutMs = 10'000);
    QTcpSocket &socket() { return m_socket; }

private:
    std::optional<RawHttpResponse> parse(bool closed);
    QTcpSocket m_socket;
    QByteArray m_buffer;
};

QByteArray rawRequest(const QByteArray &method, const QByteArray &path, const QByteArray &body = {},
                      const QByteArray &extraHeaders = {}, quint16 port = 0);
