#pragma once

#include "apierror.h"
#include "ledger/usagerecord.h"
#include "protocol/sseparser.h"
#include "upstream/upstreamrequest.h"

#include <QObject>

class GatewayContext;
class HttpExchange;
class UpstreamCall;
struct ProviderEndpoint;

// One POST /openai/v1/chat/completions: authenticate, resolve the model, splice the body for
// the provider (model name, stream_options.include_usage), relay the answer as it arrives
// (streamed events one by one, the synthetic usage chunk stripped for clients that did not ask
// for it) and record exactly one ledger row whatever happens. Lives as a child of its exchange.
class ChatCompletionRelay : public QObject
{
    Q_OBJECT
public:
    ChatCompletionRelay(HttpExchange *exchange, GatewayContext *context);
    void start();

private:
    void refuse(const ApiError &error, const QByteArray &outcome);
    void dispatch(const ProviderEndpoint &provider, const QByteArray &body);
    void onResponseStarted(int status);
    void onData(const QByteArray &bytes);
    void onFinished(UpstreamError error, const QString &message);
    void onAborted();
    void relayEvents();
    void failStream(const QString &message, const QByteArray &outcome);
    HttpHeaders responseHeaders(const QByteArray &fallbackContentType) const;
    void settle(int status, const QByteArray &outcome, const QString &error = {});
    void markFirstByte();

    HttpExchange *m_exchange;
    GatewayContext *m_context;
    UsageRecord m_record;
    UpstreamCall *m_call = nullptr;
    SseParser m_events;
    QByteArray m_body; // non-stream (or refused-stream) response body
    bool m_clientWantsUsage = false;
    bool m_relaying = false; // a 200 stream is being relayed event by event
    bool m_settled = false;
    bool m_garbled = false;        // a data payload that is not one JSON object
    bool m_upstreamFailed = false; // the provider sent an error event
    qint64 m_deltaPieces = 0;
    qint64 m_estimatedPromptTokens = 0;
    bool m_usageReported = false;
};
