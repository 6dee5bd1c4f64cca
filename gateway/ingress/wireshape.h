#pragma once

#include "apierror.h"
#include "ledger/tokenusage.h"
#include "policy/sessionbook.h"
#include "server/httprequest.h"

#include <QString>

#include <optional>

struct ProviderEndpoint;
struct SseEvent;

// What the relay needs to know about a request, read in place from its body.
struct RequestFacts
{
    QString model;
    bool stream = false;
    std::optional<qint64> maxOutputTokens; // what the caller allows the model to write
    SessionHints sessionHints;
};

// What one upstream stream event means to the relay.
struct StreamStep
{
    bool drop = false;      // do not forward (the usage chunk only the gateway asked for)
    bool failed = false;    // the provider reported an error inside the stream
    bool malformed = false; // not a valid event of this shape: the stream is garbled
    bool terminal = false;  // the shape's last event ([DONE], response.completed, message_stop)
    int deltaPieces = 0;    // output pieces (about one token each), for a cut stream's estimate
};

// One wire shape (OpenAI Chat Completions, OpenAI Responses, Anthropic Messages ...): how its
// requests are read and rewritten for the provider, and how its answers carry usage. One
// instance per request: shapes keep per-stream state (cumulative usage, client options).
class WireShape
{
public:
    virtual ~WireShape() = default;

    virtual ApiFamily family() const = 0;
    virtual QByteArray endpoint() const = 0; // the ledger's name for the route
    virtual bool parse(const QByteArray &body, RequestFacts *facts, QString *error) = 0;
    // The provider protocol this shape needs; a simulated provider speaks every one.
    virtual bool servedBy(const ProviderEndpoint &provider) const = 0;
    virtual QByteArray upstreamUrl(const ProviderEndpoint &provider,
                                   const HttpRequest &request) const = 0;
    // Credentials and the client headers the provider needs (versions, betas ...).
    virtual HttpHeaders upstreamHeaders(const ProviderEndpoint &provider,
                                        const HttpRequest &request) const = 0;
    // The body for the provider: spliced, never re-serialised.
    virtual QByteArray upstreamBody(const QByteArray &body, const QString &upstreamModel) = 0;

    virtual StreamStep onEvent(const SseEvent &event) = 0;
    virtual std::optional<TokenUsage> streamUsage() const = 0;
    virtual std::optional<TokenUsage> bodyUsage(const QByteArray &body) const = 0;
    // The event that ends a stream the provider broke, in this shape (SDKs raise it).
    virtual QByteArray streamErrorEvent(const QString &message,
                                        const QByteArray &requestId) const = 0;
    // A request id header name as this family's clients expect it.
    QByteArray requestIdHeader() const
    {
        return family() == ApiFamily::Anthropic ? QByteArrayLiteral("request-id")
                                                : QByteArrayLiteral("x-request-id");
    }
    // False for calls that are recorded but never billed (token counting).
    virtual bool billable() const { return true; }
};
