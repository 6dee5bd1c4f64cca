#include "gatewayrouter.h"

#include "admin/adminapi.h"
#include "apierror.h"
#include "chatcompletionsshape.h"
#include "ledger/usagerecord.h"
#include "messagesshape.h"
#include "modelrelay.h"
#include "protocol/jsonescape.h"
#include "responsesshape.h"
#include "server/httpexchange.h"

#include <QDateTime>

namespace {

// The ledger's name for a route, the same whether a relay or the router answered it.
QByteArray endpointName(QByteArrayView path)
{
    static const QHash<QByteArray, QByteArray> names{
        {"/openai/v1/chat/completions", "openai.chat_completions"},
        {"/openai/v1/responses", "openai.responses"},
        {"/openai/v1/models", "openai.models"},
        {"/anthropic/v1/messages", "anthropic.messages"},
        {"/anthropic/v1/messages/count_tokens", "anthropic.messages.count_tokens"},
        {"/anthropic/v1/models", "anthropic.models"}};
    return names.value(path.toByteArray(), path.toByteArray());
}

} // namespace

void GatewayRouter::handle(HttpExchange *exchange)
{
    const HttpRequest &request = exchange->request();
    const QByteArray &path = request.path;
    if (path.startsWith("/admin/v1/"))
        return AdminApi(m_context).handle(exchange);
    const bool post = request.method == "POST";
    std::unique_ptr<WireShape> shape;
    if (path == "/openai/v1/chat/completions")
        shape = std::make_unique<ChatCompletionsShape>();
    else if (path == "/openai/v1/responses")
        shape = std::make_unique<ResponsesShape>();
    else if (path == "/anthropic/v1/messages")
        shape = std::make_unique<MessagesShape>(MessagesShape::Kind::Messages);
    else if (path == "/anthropic/v1/messages/count_tokens")
        shape = std::make_unique<MessagesShape>(MessagesShape::Kind::CountTokens);
    if (shape && post) {
        auto *relay = new ModelRelay(exchange, m_context, std::move(shape));
        relay->start();
        return;
    }
    if (shape && !request.header("upgrade").isNull()) {
        // Codex may try a WebSocket first. 426 makes it fall back to HTTP streaming at once
        // (a 404 makes it retry the upgrade several times first).
        return refuse(exchange, 426,
                      QStringLiteral("WebSocket transport is not available here: POST with "
                                     "\"stream\": true"),
                      "upgrade_refused", "websocket_not_supported", {{"upgrade", "HTTP/1.1"}});
    }
    if (shape)
        return refuse(exchange, 405, QStringLiteral("use POST for this route"),
                      "method_not_allowed");
    if (path == "/openai/v1/models" || path == "/anthropic/v1/models") {
        if (request.method != "GET")
            return refuse(exchange, 405, QStringLiteral("use GET for this route"),
                          "method_not_allowed");
        return listModels(exchange, apiFamilyOf(path));
    }
    if (path == "/metrics" && request.method == "GET") {
        // Model names and money: for this machine's own scrapers only.
        if (!request.peer.isLoopback())
            return refuse(exchange, 403, QStringLiteral("metrics answer loopback clients only"),
                          "forbidden");
        exchange->respond(200, {{"content-type", "text/plain; version=0.0.4; charset=utf-8"}},
                          m_context->metrics.render());
        return;
    }
    if (path == "/health" && request.method == "GET") {
        exchange->respond(200, {{"content-type", "application/json"}},
                          QByteArrayLiteral("{\"status\":\"ok\"}"));
        return;
    }
    refuse(exchange, 404,
           QStringLiteral("no route for %1 %2")
               .arg(QString::fromLatin1(request.method), QString::fromLatin1(request.path)),
           "not_found", "unknown_route");
}

void GatewayRouter::reject(HttpExchange *exchange, int status, const QByteArray &reason)
{
    static const QHash<int, QByteArray> outcomes{{408, "request_timeout"},
                                                 {413, "request_too_large"},
                                                 {421, "host_not_allowed"},
                                                 {431, "headers_too_large"}};
    refuse(exchange, status, QString::fromLatin1(reason),
           outcomes.value(status, QByteArrayLiteral("bad_request")));
}

void GatewayRouter::refuse(HttpExchange *exchange, int status, const QString &message,
                           const QByteArray &outcome, const QByteArray &code,
                           const HttpHeaders &extraHeaders)
{
    const QByteArray requestId = newRequestId();
    const ApiFamily family = apiFamilyOf(exchange->request().path);
    ApiError{status, message, code}.send(exchange, family, requestId, extraHeaders);
    if (family == ApiFamily::Gateway)
        return; // not model traffic: the ledger is for the API routes
    UsageRecord record;
    record.requestId = requestId;
    record.startedAtMs = QDateTime::currentMSecsSinceEpoch();
    record.endpoint = endpointName(exchange->request().path);
    record.httpStatus = status;
    record.outcome = outcome;
    record.error = message;
    record.durationUs = exchange->elapsedNs() / 1000;
    m_context->record(std::move(record));
}

void GatewayRouter::listModels(HttpExchange *exchange, ApiFamily family)
{
    const QByteArrayView key = ApiKeyBook::presentedKey(exchange->request().header("authorization"),
                                                        exchange->request().header("x-api-key"));
    const AccessBook::Authentication caller = m_context->access.authenticate(key);
    if (!caller.subject)
        return refuse(exchange, 401, caller.failure, "unauthorized", "invalid_api_key");
    QStringList aliases;
    for (const QString &alias : m_context->models.listableAliases()) {
        if (caller.subject->allows(alias))
            aliases += alias;
    }
    QByteArray data;
    for (const QString &alias : aliases) {
        const QByteArray id = jsonString(alias);
        if (!data.isEmpty())
            data += ',';
        if (family == ApiFamily::Anthropic) {
            data += "{\"type\":\"model\",\"id\":" + id + ",\"display_name\":" + id +
                    ",\"created_at\":\"1970-01-01T00:00:00Z\"}";
        } else {
            const auto route = m_context->models.resolve(alias);
            data += "{\"id\":" + id + ",\"object\":\"model\",\"created\":0,\"owned_by\":" +
                    jsonString(route ? route->provider : QString()) + '}';
        }
    }
    QByteArray body;
    if (family == ApiFamily::Anthropic) {
        const QByteArray first = aliases.isEmpty() ? "null" : jsonString(aliases.first());
        const QByteArray last = aliases.isEmpty() ? "null" : jsonString(aliases.last());
        body = "{\"data\":[" + data + "],\"has_more\":false,\"first_id\":" + first +
               ",\"last_id\":" + last + '}';
    } else {
        body = "{\"object\":\"list\",\"data\":[" + data + "]}";
    }
    exchange->respond(
        200,
        {{"content-type", "application/json"},
         {family == ApiFamily::Anthropic ? "request-id" : "x-request-id", newRequestId()}},
        body);
}
