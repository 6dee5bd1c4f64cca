#pragma once

#include "apierror.h"
#include "gatewaycontext.h"
#include "server/httphandler.h"

class HttpExchange;

// Thin dispatch of the gateway's routes to the relay for each wire shape; everything that is
// not a route is answered here in the caller's family shape and recorded.
class GatewayRouter : public HttpHandler
{
public:
    explicit GatewayRouter(GatewayContext *context)
        : m_context(context)
    {}

    void handle(HttpExchange *exchange) override;
    void reject(HttpExchange *exchange, int status, const QByteArray &reason) override;

private:
    void listModels(HttpExchange *exchange, ApiFamily family);
    void refuse(HttpExchange *exchange, int status, const QString &message,
                const QByteArray &outcome, const QByteArray &code = {},
                const HttpHeaders &extraHeaders = {});

    GatewayContext *m_context;
};
