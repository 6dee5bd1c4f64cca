#pragma once

#include "budget/teambudgets.h"
#include "ledger/usagerecord.h"
#include "policy/modelroute.h"
#include "protocol/sseparser.h"
#include "providerendpoint.h"
#include "upstream/upstreamrequest.h"
#include "wireshape.h"

#include <QObject>

#include <memory>

class GatewayContext;
class HttpExchange;
class UpstreamCall;

// One model call end to end, whatever its wire shape: authenticate, read the request in place,
// resolve the model, splice the body for the provider, relay the answer as it arrives (events
// one by one; back-pressure pauses the provider while the client is slow) and record exactly
// one ledger row whatever happens. Lives as a child of its exchange, so a client that leaves
// takes the upstream call down with it.
class ModelRelay : public QObject
{
    Q_OBJECT
public:
    ModelRelay(HttpExchange *exchange, GatewayContext *context, std::unique_ptr<WireShape> shape);
    ~ModelRelay() override;
    void start();
    // The operator's kill switch cuts this call: a stream ends with an error event in its
    // shape, a call still waiting for the provider is answered with the reason.
    void cut(const QString &reason);
    const UsageRecord &record() const { return m_record; }

private:
    void refuse(const ApiError &error, const QByteArray &outcome,
                const HttpHeaders &extraHeaders = {});
    // Kill switch, then budgets (the estimate reserved on every layer); false: refused.
    enum class Admission
    {
        Admitted,
        Refused, // answered already
        Pending  // team mode: the shared budgets answer later (onTeamAnswer)
    };
    Admission admit(const RequestFacts &facts, const ModelRoute &route,
                    const ProviderEndpoint &provider, qsizetype bodyBytes);
    void onTeamAnswer(const TeamBudgets::Answer &answer, const ProviderEndpoint &provider,
                      const QString &upstreamModel);
    bool decodeBody(QByteArray *body);
    void dispatch(const ProviderEndpoint &provider, const QString &upstreamModel);
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
    std::unique_ptr<WireShape> m_shape;
    UsageRecord m_record;
    UpstreamCall *m_call = nullptr;
    SseParser m_events;
    QByteArray m_body;       // non-stream (or refused-stream) response body
    bool m_relaying = false; // a 200 stream is being relayed event by event
    bool m_settled = false;
    bool m_garbled = false;        // an event this shape cannot read
    bool m_upstreamFailed = false; // the provider sent an error event
    qint64 m_deltaPieces = 0;
    qint64 m_estimatedPromptTokens = 0;
    bool m_upstreamStarted = false;
    bool m_terminalSeen = false; // the shape's last event was relayed
    quint64 m_budgetTicket = 0;  // the budgets' reservation, until settled
    quint64 m_rateTicket = 0;    // the rate limits' count, until settled
    BudgetHolds m_teamHolds;     // team mode: the layers of the shared reservation
    bool m_teamHeld = false;     // team mode: a shared reservation is held or asked for
    HttpHeaders m_rateHeaders;   // x-ratelimit-* for the answer
    std::shared_ptr<RequestCapture> m_capture; // the event's raw material
};
