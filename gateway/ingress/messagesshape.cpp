#include "messagesshape.h"

#include "protocol/apierrorbody.h"
#include "protocol/modelrewrite.h"
#include "protocol/sseevent.h"
#include "providerendpoint.h"

QByteArray MessagesShape::endpoint() const
{
    return m_kind == Kind::Messages ? QByteArrayLiteral("anthropic.messages")
                                    : QByteArrayLiteral("anthropic.messages.count_tokens");
}

bool MessagesShape::parse(const QByteArray &body, RequestFacts *facts, QString *error)
{
    m_view = MessagesRequestView::parse(body, error);
    if (!m_view)
        return false;
    if (m_kind == Kind::Messages && !m_view->maxTokens) {
        *error = QStringLiteral("max_tokens: Field required");
        m_view.reset();
        return false;
    }
    facts->model = m_view->model;
    facts->stream = m_kind == Kind::Messages && m_view->stream;
    facts->sessionHints.metadataUserId = m_view->metadataUserId;
    facts->maxOutputTokens = m_view->maxTokens;
    return true;
}

bool MessagesShape::servedBy(const ProviderEndpoint &provider) const
{
    return provider.speaks(ProviderProtocol::Anthropic);
}

QByteArray MessagesShape::upstreamUrl(const ProviderEndpoint &provider,
                                      const HttpRequest &request) const
{
    QByteArray url = provider.anthropicBase +
                     (m_kind == Kind::Messages ? QByteArrayLiteral("/v1/messages")
                                               : QByteArrayLiteral("/v1/messages/count_tokens"));
    // Claude Code's ?beta=true selects the beta surface upstream too.
    if (!request.query.isEmpty())
        url += '?' + request.query;
    return url;
}

HttpHeaders MessagesShape::upstreamHeaders(const ProviderEndpoint &provider,
                                           const HttpRequest &request) const
{
    QByteArray version = request.header("anthropic-version");
    if (version.isEmpty())
        version = QByteArrayLiteral("2023-06-01");
    HttpHeaders headers{{"x-api-key", provider.apiKey},
                        {"anthropic-version", version},
                        {"content-type", "application/json"},
                        {"accept", m_view && m_view->stream && m_kind == Kind::Messages
                                       ? QByteArrayLiteral("text/event-stream")
                                       : QByteArrayLiteral("application/json")}};
    for (const QByteArrayView name : {"anthropic-beta", "user-agent", "x-app"}) {
        const QByteArray value = request.header(name);
        if (!value.isNull())
            headers.append({name.toByteArray(), value});
    }
    return headers;
}

QByteArray MessagesShape::upstreamBody(const QByteArray &body, const QString &upstreamModel)
{
    return ModelRewrite::apply(body, m_view->modelToken, upstreamModel);
}

StreamStep MessagesShape::onEvent(const SseEvent &event)
{
    StreamStep step;
    if (event.data.isEmpty())
        return step;
    const AnthropicEvent classified = m_usage.feed(event);
    step.malformed = classified.malformed;
    step.failed = classified.error;
    step.deltaPieces = classified.deltaPieces;
    step.terminal = classified.terminal;
    return step;
}

std::optional<TokenUsage> MessagesShape::streamUsage() const
{
    if (!m_usage.hasUsage())
        return std::nullopt;
    return m_usage.usage();
}

std::optional<TokenUsage> MessagesShape::bodyUsage(const QByteArray &body) const
{
    return AnthropicUsage::fromResponseBody(body);
}

QByteArray MessagesShape::streamErrorEvent(const QString &message,
                                           const QByteArray &requestId) const
{
    return "event: error\ndata: " + AnthropicError::body("api_error", message.toUtf8(), requestId) +
           "\n\n";
}
