#pragma once

#include "protocol/responsesrequestview.h"
#include "wireshape.h"

// POST /openai/v1/responses (what Codex speaks): usage arrives in response.completed (or
// .incomplete / .failed); there is no [DONE].
class ResponsesShape : public WireShape
{
public:
    ApiFamily family() const override { return ApiFamily::OpenAI; }
    QByteArray endpoint() const override { return QByteArrayLiteral("openai.responses"); }
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
    std::optional<ResponsesRequestView> m_view;
    std::optional<TokenUsage> m_usage;
    qint64 m_events = 0; // events relayed: the next sequence_number
};
