#include "chatcompletionsshape.h"

#include "protocol/apierrorbody.h"
#include "protocol/chatrequestrewrite.h"
#include "protocol/openaichatusage.h"
#include "protocol/sseevent.h"
#include "providerendpoint.h"

HttpHeaders openAIUpstreamHeaders(const ProviderEndpoint &provider, const HttpRequest &request,
                                  bool stream)
{
    HttpHeaders headers{{"authorization", "Bearer " + provider.apiKey},
                        {"content-type", "application/json"},
                        {"accept", stream ? QByteArrayLiteral("text/event-stream")
                                          : QByteArrayLiteral("application/json")}};
    for (const QByteArrayView name : {"user-agent", "idempotency-key", "openai-beta"}) {
        const QByteArray value = request.header(name);
        if (!value.isNull())
            headers.append({name.toByteArray(), value});
    }
    return headers;
}

bool ChatCompletionsShape::parse(const QByteArray &body, RequestFacts *facts, QString *error)
{
    m_view = ChatRequestView::parse(body, error);
    if (!m_view)
        return false;
    facts->model = m_view->model;
    facts->stream = m_view->stream;
    facts->sessionHints.promptCacheKey = m_view->promptCacheKey;
    facts->maxOutputTokens =
        m_view->maxCompletionTokens ? m_view->maxCompletionTokens : m_view->maxTokens;
    m_clientWantsUsage = m_view->includeUsage.value_or(false);
    return true;
}

bool ChatCompletionsShape::servedBy(const ProviderEndpoint &provider) const
{
    return provider.speaks(ProviderProtocol::OpenAI);
}

QByteArray ChatCompletionsShape::upstreamUrl(const ProviderEndpoint &provider,
                                             const HttpRequest &) const
{
    return provider.openaiBase + "/chat/completions";
}

HttpHeaders ChatCompletionsShape::upstreamHeaders(const ProviderEndpoint &provider,
                                                  const HttpRequest &request) const
{
    return openAIUpstreamHeaders(provider, request, m_view && m_view->stream);
}

QByteArray ChatCompletionsShape::upstreamBody(const QByteArray &body, const QString &upstreamModel)
{
    // The gateway needs usage for every stream, asked for or not.
    const bool forceUsage = m_view->stream && !m_clientWantsUsage;
    return ChatRequestRewrite::forUpstream(body, *m_view, upstreamModel, forceUsage);
}

StreamStep ChatCompletionsShape::onEvent(const SseEvent &event)
{
    StreamStep step;
    if (event.data.isEmpty())
        return step;
    const ChatChunk chunk = OpenAIChatUsage::classifyChunk(event.data);
    step.malformed = chunk.malformed;
    step.failed = chunk.error;
    step.deltaPieces = chunk.deltaPieces;
    if (chunk.usage)
        m_usage = chunk.usage;
    step.drop = chunk.usageOnly && !m_clientWantsUsage;
    step.terminal = chunk.done;
    return step;
}

std::optional<TokenUsage> ChatCompletionsShape::bodyUsage(const QByteArray &body) const
{
    return OpenAIChatUsage::fromResponseBody(body);
}

QByteArray ChatCompletionsShape::streamErrorEvent(const QString &message, const QByteArray &) const
{
    return "data: " +
           OpenAIError::body(message.toUtf8(), "upstream_error", "upstream_stream_failed") + "\n\n";
}
