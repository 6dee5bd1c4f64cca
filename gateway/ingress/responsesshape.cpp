#include "responsesshape.h"

#include "chatcompletionsshape.h"
#include "protocol/jsonescape.h"
#include "protocol/modelrewrite.h"
#include "protocol/responsesusage.h"
#include "protocol/sseevent.h"
#include "providerendpoint.h"

bool ResponsesShape::parse(const QByteArray &body, RequestFacts *facts, QString *error)
{
    m_view = ResponsesRequestView::parse(body, error);
    if (!m_view)
        return false;
    facts->model = m_view->model;
    facts->stream = m_view->stream;
    facts->sessionHints.promptCacheKey = m_view->promptCacheKey;
    facts->maxOutputTokens = m_view->maxOutputTokens;
    return true;
}

bool ResponsesShape::servedBy(const ProviderEndpoint &provider) const
{
    return provider.speaks(ProviderProtocol::OpenAI);
}

QByteArray ResponsesShape::upstreamUrl(const ProviderEndpoint &provider, const HttpRequest &) const
{
    return provider.openaiBase + "/responses";
}

HttpHeaders ResponsesShape::upstreamHeaders(const ProviderEndpoint &provider,
                                            const HttpRequest &request) const
{
    return openAIUpstreamHeaders(provider, request, m_view && m_view->stream);
}

QByteArray ResponsesShape::upstreamBody(const QByteArray &body, const QString &upstreamModel)
{
    return ModelRewrite::apply(body, m_view->modelToken, upstreamModel);
}

StreamStep ResponsesShape::onEvent(const SseEvent &event)
{
    StreamStep step;
    if (event.data.isEmpty())
        return step;
    ++m_events;
    const ResponsesEvent classified = ResponsesUsage::classifyEvent(event);
    step.malformed = classified.malformed;
    step.failed = classified.failed;
    step.deltaPieces = classified.deltaPieces;
    step.terminal = classified.terminal;
    if (classified.usage)
        m_usage = classified.usage;
    return step;
}

std::optional<TokenUsage> ResponsesShape::bodyUsage(const QByteArray &body) const
{
    return ResponsesUsage::fromResponseBody(body);
}

QByteArray ResponsesShape::streamErrorEvent(const QString &message, const QByteArray &) const
{
    // The Responses stream's own error event; its sequence_number continues the stream's.
    return "event: error\ndata: "
           "{\"type\":\"error\",\"code\":\"upstream_stream_failed\",\"message\":" +
           jsonString(message) +
           ",\"param\":null,\"sequence_number\":" + QByteArray::number(m_events) + "}\n\n";
}
