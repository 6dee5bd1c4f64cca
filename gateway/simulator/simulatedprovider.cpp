#include "simulatedprovider.h"

#include "simulatederror.h"
#include "protocol/jsonescape.h"
#include "server/httpexchange.h"
#include "simulatedchatcompletion.h"
#include "simulatedchatrequest.h"
#include "simulateddelivery.h"

#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace {

const QByteArray jsonType = QByteArrayLiteral("application/json");
const QByteArray eventStreamType = QByteArrayLiteral("text/event-stream; charset=utf-8");

QByteArray requestId()
{
    QByteArray id = QByteArrayLiteral("req_");
    for (int i = 0; i < 4; ++i)
        id += QByteArray::number(QRandomGenerator::global()->generate(), 16).rightJustified(8, '0');
    return id;
}

HttpHeaders headers(const QByteArray &contentType, int processingMs)
{
    return {{"content-type", contentType},
            {"openai-version", "2020-10-01"},
            {"openai-processing-ms", QByteArray::number(processingMs)},
            {"x-request-id", requestId()}};
}

void respondError(HttpExchange *exchange, const SimulatedError &error)
{
    exchange->respond(error.status, headers(jsonType, 0), error.json());
}

} // namespace

SimulatedProvider::SimulatedProvider(const SimulationSettings &settings)
    : m_settings(settings)
{}

QList<QByteArray> SimulatedProvider::modelIds()
{
    return {"gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o4-mini"};
}

void SimulatedProvider::handle(HttpExchange *exchange)
{
    const HttpRequest &request = exchange->request();
    if (request.path == "/v1/chat/completions" && request.method == "POST") {
        chatCompletions(exchange);
    } else if (request.path == "/v1/models" && request.method == "GET") {
        models(exchange);
    } else {
        SimulatedError error;
        error.status = 404;
        error.message = u"Invalid URL (%1 %2)"_s.arg(QString::fromLatin1(request.method),
                                                     QString::fromLatin1(request.path));
        respondError(exchange, error);
    }
}

void SimulatedProvider::reject(HttpExchange *exchange, int status, const QByteArray &reason)
{
    SimulatedError error = SimulatedError::forStatus(status);
    error.message = QString::fromLatin1(reason);
    respondError(exchange, error);
}

void SimulatedProvider::chatCompletions(HttpExchange *exchange) const
{
    auto parsed = SimulatedChatRequest::parse(exchange->request().body);
    if (const auto *error = std::get_if<SimulatedError>(&parsed)) {
        respondError(exchange, *error);
        return;
    }
    auto &request = std::get<SimulatedChatRequest>(parsed);
    const SimulationDirective directive = request.prompt.directive();
    auto *delivery = new SimulatedDelivery(exchange, m_settings, directive);
    if (directive.status) {
        const SimulatedError error = SimulatedError::forStatus(*directive.status);
        delivery->respondError(error.status, headers(jsonType, delivery->headerDelayMs()),
                               error.json());
        return;
    }
    auto reply = std::make_unique<SimulatedChatCompletion>(SimulatedCompletion(request.prompt),
                                                           request.model, request.includeUsage);
    if (request.stream) {
        delivery->stream(headers(eventStreamType, delivery->headerDelayMs()), std::move(reply));
    } else {
        const int tokens = reply->completion().outputTokenCount();
        delivery->respond(headers(jsonType, delivery->responseDelayMs(tokens)), reply->body(),
                          tokens);
    }
}

void SimulatedProvider::models(HttpExchange *exchange) const
{
    QByteArray body = QByteArrayLiteral("{\"object\":\"list\",\"data\":[");
    const QList<QByteArray> ids = modelIds();
    for (qsizetype i = 0; i < ids.size(); ++i) {
        if (i > 0)
            body += ',';
        body += "{\"id\":" + jsonStringFromUtf8(ids.at(i)) +
                ",\"object\":\"model\",\"created\":1715367049,\"owned_by\":\"system\"}";
    }
    body += "]}";
    exchange->respond(200, headers(jsonType, 0), body);
}
