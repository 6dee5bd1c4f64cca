#include "gatewayrouter.h"

#include "apierror.h"
#include "chatcompletionrelay.h"
#include "ledger/usagerecord.h"
#include "protocol/jsonescape.h"
#include "server/httpexchange.h"

#include <QDateTime>

namespace {

QByteArray endpointName(QByteArrayView path)
{
    if (path.startsWith("/openai/"))
        return QByteArrayLiteral("openai") + path.sliced(7).toByteArray().replace('/', '.');
    if (path.startsWith("/anthropic/"))
        return QByteArrayLiteral("anthropic") + path.sliced(10).toByteArray().replace('/', '.');
    return path.toByteArray();
}

} // namespace

void GatewayRouter::handle(HttpExchange *exchange)
{
    const HttpRequest &request = exchange->request();
    if (request.path == "/openai/v1/chat/completions") {
        if (request.method != "POST")
            return refuse(exchange, 405, QStringLiteral("use POST for this route"),
                          "method_not_allowed");
        auto *relay = new ChatCompletionRelay(exchange, m_context);
        relay->start();
        return;
    }
    if (request.path == "/openai/v1/models") {
        if (request.method != "GET")
            return refuse(exchange, 405, QStringLiteral("use GET for this route"),
                          "method_not_allowed");
        return listModels(exchange, newRequestId());
    }
    if (request.path == "/health" && request.method == "GET") {
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
                           const QByteArray &outcome, const QByteArray &code)
{
    const QByteArray requestId = newRequestId();
    const ApiFamily family = apiFamilyOf(exchange->request().path);
    ApiError{status, message, code}.send(exchange, family, requestId);
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

void GatewayRouter::listModels(HttpExchange *exchange, const QByteArray &requestId)
{
    const QByteArrayView key = ApiKeyBook::presentedKey(exchange->request().header("authorization"),
                                                        exchange->request().header("x-api-key"));
    if (!m_context->keys.authenticate(key))
        return refuse(exchange, 401, QStringLiteral("missing or unknown API key"), "unauthorized",
                      "invalid_api_key");
    QByteArray body = QByteArrayLiteral("{\"object\":\"list\",\"data\":[");
    bool first = true;
    for (const QString &alias : m_context->models.listableAliases()) {
        const auto route = m_context->models.resolve(alias);
        body += first ? "" : ",";
        body += "{\"id\":" + jsonString(alias) + ",\"object\":\"model\",\"created\":0,\"owned_by\":" +
                jsonString(route ? route->provider : QString()) + '}';
        first = false;
    }
    body += "]}";
    exchange->respond(200, {{"content-type", "application/json"}, {"x-request-id", requestId}},
                      body);
}
