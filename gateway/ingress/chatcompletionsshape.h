#pragma once

#include "protocol/chatrequestview.h"
#include "wireshape.h"

// POST /openai/v1/chat/completions: usage is forced on in streams (stream_options splice) and
// the extra usage chunk is dropped for clients that did not ask for it.
class ChatCompletionsShape : public WireShape
{
public:
    ApiFamily family() const override { return ApiFamily::OpenAI; }
    QByteArray endpoint() const override { return QByteArrayLiteral("openai.chat_completions"); }
    bool parse(const QByteArray &body, RequestFacts *facts, QString *error) override;
    bool servedBy(const ProviderEndpoint &provider) const override;
    QByteArray upstreamUrl(const ProviderEndpoint &provider, const HttpRequest &) const override;
    HttpHeaders upstreamHeaders(const ProviderEndpoint &provider,
                                const HttpRequest &request) const override;
    QByteArray upstreamBody(const QByteArray &body, const QString &upstreamModel) override;
    StreamStep onEvent(const SseEvent &event) override;
    std::optional<TokenUsage> streamUsage() const override { return m_usage; }
    std::optional<TokenUsage> bodyUsage(const QByteArray &body) const override;
    QByteArray streamErrorEvent(const QString &message, const QByteArray &requestId) const override;

private:
    std::optional<ChatRequestView> m_view;
    bool m_clientWantsUsage = false;
    std::optional<TokenUsage> m_usage;
};

// Headers every OpenAI-shaped upstream call carries: the provider's key and what the client
// sent that the provider may use.
HttpHeaders openAIUpstreamHeaders(const ProviderEndpoint &provider, const HttpRequest &request,
                                  bool stream);
