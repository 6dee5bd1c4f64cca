#include "simulatedprovider.h"

#include "server/httpexchange.h"
#include "simulatedanthropicerror.h"
#include "simulatedapifamily.h"
#include "simulatedchatcompletion.h"
#include "simulatedchatrequest.h"
#include "simulateddelivery.h"
#include "simulatedmessage.h"
#include "simulatedmessagesrequest.h"
#include "simulatedmodellist.h"
#include "simulatedresponse.h"
#include "simulatedresponsesrequest.h"

using namespace Qt::StringLiterals;

namespace {

const QByteArray jsonType = QByteArrayLiteral("application/json");
const QByteArray eventStreamType = QByteArrayLiteral("text/event-stream; charset=utf-8");

// Plays an answer with the directive's timing and faults: the status directive's error, or the
// stream, or one body (a failure's error status instead when error_after applies).
// makeReply turns the completion into the route's wire shape (a SimulatedStream with body()).
template<typename MakeReply>
void play(HttpExchange *exchange, const SimulationSettings &settings,
          const SimulatedApiFamily &family, const SimulatedPrompt &prompt, bool stream,
          MakeReply makeReply)
{
    const SimulationDirective directive = prompt.directive();
    auto *delivery = new SimulatedDelivery(exchange, settings, directive);
    if (directive.status) {
        const int delayMs = delivery->headerDelayMs();
        delivery->respondError(*directive.status, family.headers(jsonType, delayMs),
                               family.errorBody(*directive.status), delayMs);
        return;
    }
    auto answer = makeReply(SimulatedCompletion(prompt));
    if (stream) {
        delivery->stream(family.headers(eventStreamType, delivery->headerDelayMs()),
                         std::move(answer));
        return;
    }
    const int tokens = answer->tokenCount();
    if (const auto failAfter = delivery->failureAfter(tokens)) {
        const int delayMs = delivery->responseDelayMs(*failAfter);
        const int status = family.failureStatus();
        delivery->respondError(status, family.headers(jsonType, delayMs), family.errorBody(status),
                               delayMs);
        return;
    }
    delivery->respond(family.headers(jsonType, delivery->responseDelayMs(tokens)), answer->body(),
                      tokens);
}

} // namespace

SimulatedProvider::SimulatedProvider(const SimulationSettings &settings)
    : m_settings(settings)
{}

void SimulatedProvider::handle(HttpExchange *exchange)
{
    const HttpRequest &request = exchange->request();
    const bool post = request.method == "POST";
    if (post && request.path == "/v1/chat/completions") {
        chatCompletions(exchange);
    } else if (post && request.path == "/v1/responses") {
        responses(exchange);
    } else if (post && request.path == "/v1/messages") {
        messages(exchange);
    } else if (post && request.path == "/v1/messages/count_tokens") {
        countTokens(exchange);
    } else if (request.method == "GET" && request.path == "/v1/models") {
        models(exchange);
    } else {
        const SimulatedApiFamily family = SimulatedApiFamily::of(request);
        const QString message = u"Invalid URL (%1 %2)"_s.arg(QString::fromLatin1(request.method),
                                                             QString::fromLatin1(request.path));
        family.respondError(exchange, 404, family.errorBody(404, message));
    }
}

void SimulatedProvider::reject(HttpExchange *exchange, int status, const QByteArray &reason)
{
    const SimulatedApiFamily family = SimulatedApiFamily::of(exchange->request());
    family.respondError(exchange, status, family.errorBody(status, QString::fromLatin1(reason)));
}

void SimulatedProvider::chatCompletions(HttpExchange *exchange) const
{
    const SimulatedApiFamily family(SimulatedApiFamily::OpenAI);
    auto parsed = SimulatedChatRequest::parse(exchange->request().body);
    if (const auto *error = std::get_if<SimulatedError>(&parsed)) {
        family.respondError(exchange, error->status, error->json());
        return;
    }
    const auto &request = std::get<SimulatedChatRequest>(parsed);
    play(exchange, m_settings, family, request.prompt, request.stream,
         [&](SimulatedCompletion completion) {
             return std::make_unique<SimulatedChatCompletion>(std::move(completion), request.model,
                                                              request.includeUsage);
         });
}

void SimulatedProvider::responses(HttpExchange *exchange) const
{
    const SimulatedApiFamily family(SimulatedApiFamily::OpenAI);
    auto parsed = SimulatedResponsesRequest::parse(exchange->request().body);
    if (const auto *error = std::get_if<SimulatedError>(&parsed)) {
        family.respondError(exchange, error->status, error->json());
        return;
    }
    const auto &request = std::get<SimulatedResponsesRequest>(parsed);
    play(exchange, m_settings, family, request.prompt, request.stream,
         [&](SimulatedCompletion completion) {
             return std::make_unique<SimulatedResponse>(std::move(completion), request);
         });
}

void SimulatedProvider::messages(HttpExchange *exchange) const
{
    const SimulatedApiFamily family(SimulatedApiFamily::Anthropic);
    auto parsed = SimulatedMessagesRequest::parse(exchange->request().body,
                                                  SimulatedMessagesRequest::Purpose::Create);
    if (const auto *error = std::get_if<SimulatedAnthropicError>(&parsed)) {
        family.respondError(exchange, error->status, error->json(family.requestId()));
        return;
    }
    const auto &request = std::get<SimulatedMessagesRequest>(parsed);
    play(exchange, m_settings, family, request.prompt, request.stream,
         [&](SimulatedCompletion completion) {
             return std::make_unique<SimulatedMessage>(std::move(completion), request.model);
         });
}

void SimulatedProvider::countTokens(HttpExchange *exchange) const
{
    const SimulatedApiFamily family(SimulatedApiFamily::Anthropic);
    auto parsed = SimulatedMessagesRequest::parse(exchange->request().body,
                                                  SimulatedMessagesRequest::Purpose::CountTokens);
    if (const auto *error = std::get_if<SimulatedAnthropicError>(&parsed)) {
        family.respondError(exchange, error->status, error->json(family.requestId()));
        return;
    }
    const int tokens = std::get<SimulatedMessagesRequest>(parsed).prompt.promptTokens();
    exchange->respond(200, family.headers(jsonType, 0),
                      "{\"input_tokens\":" + QByteArray::number(tokens) + '}');
}

void SimulatedProvider::models(HttpExchange *exchange) const
{
    const SimulatedApiFamily family = SimulatedApiFamily::of(exchange->request());
    const bool anthropic = family.api() == SimulatedApiFamily::Anthropic;
    exchange->respond(200, family.headers(jsonType, 0),
                      anthropic ? SimulatedModelList::anthropicBody()
                                : SimulatedModelList::openAIBody());
}
