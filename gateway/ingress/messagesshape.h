#pragma once

#include "protocol/anthropicusage.h"
#include "protocol/messagesrequestview.h"
#include "wireshape.h"

// POST /anthropic/v1/messages (with or without ?beta=true) and its count_tokens sibling.
// Usage: message_start, then message_delta's cumulative counts (overwritten, never added).
class MessagesShape : public WireShape
{
public:
    enum class Kind
    {
        Messages,
        CountTokens
    };
    explicit MessagesShape(Kind kind)
        : m_kind(kind)
    {}

    ApiFamily family() const override { return ApiFamily::Anthropic; }
    QByteArray endpoint() const override;
    bool parse(const QByteArray &body, RequestFacts *facts, QString *error) override;
    bool servedBy(const ProviderEndpoint &provider) const override;
    QByteArray upstreamUrl(const ProviderEndpoint &provider,
                           const HttpRequest &request) const override;
    HttpHeaders upstreamHeaders(const ProviderEndpoint &provider,
                                const HttpRequest &request) const override;
    QByteArray upstreamBody(const QByteArray &body, const QString &upstreamModel) override;
    StreamStep onEvent(const SseEvent &event) override;
    std::optional<TokenUsage> streamUsage() const override;
    std::optional<TokenUsage> bodyUsage(const QByteArray &body) const override;
    QByteArray streamErrorEvent(const QString &message, const QByteArray &requestId) const override;
    bool billable() const override { return m_kind == Kind::Messages; }

private:
    Kind m_kind;
    std::optional<MessagesRequestView> m_view;
    AnthropicStreamUsage m_usage;
};
