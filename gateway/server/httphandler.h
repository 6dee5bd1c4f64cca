#pragma once

#include <QByteArray>

class HttpExchange;

// Serves the exchanges of an HttpServer. Both calls run on the server's thread; the handler
// answers at once or later through the exchange, and parents any state it keeps to it.
class HttpHandler
{
public:
    virtual ~HttpHandler() = default;
    virtual void handle(HttpExchange *exchange) = 0;
    // A request the server refused before it was complete (400, 408, 413, 421, 431, 501, 505).
    // The exchange holds what was parsed of it (method and path when known, never the body).
    // The connection closes after the answer.
    virtual void reject(HttpExchange *exchange, int status, const QByteArray &reason);
};
