#pragma once

class HttpExchange;

// Serves the exchanges of an HttpServer. handle() runs on the server's thread; the handler
// answers at once or later through the exchange, and parents any state it keeps to it.
class HttpHandler
{
public:
    virtual ~HttpHandler() = default;
    virtual void handle(HttpExchange *exchange) = 0;
};
