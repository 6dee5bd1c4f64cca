#include "chatcompletionrelay.h"

#include "gatewaycontext.h"
#include "ledger/ledgerstore.h"
#include "protocol/chatrequestview.h"
#include "protocol/chatrequestrewrite.h"
#include "protocol/openaichatusage.h"
#include "protocol/apierrorbody.h"
#include "server/httpexchange.h"
#include "upstream/upstreamcall.h"
#include "upstream/upstreamclient.h"

#include <QDateTime>

namespace {

constexpr qsizetype kMaxBufferedResponse = 64 * 1024 * 1024;

// Response headers that describe the hop, not the content: the gateway sets its own.
bool isHopHeader(QByteArrayView name)
{
    static const QByteArrayView names[] = {"connection",     "keep-alive",       "transfer-encoding",
                                           "content-length", "content-encoding", "set-cookie",
                                           "x-request-id",   "content-type",     "alt-svc"};
    for (QByteArrayView hop : names) {
        if (name == hop)
            return true;
    }
    return false;
}

} // namespace

ChatCompletionRelay::ChatCompletionRelay(HttpExchange *exchange, GatewayContext *context)
    : QObject(exchange)
    , m_exchange(exchange)
    , m_context(context)
{
    m_record.requestId = newRequestId();
    m_record.startedAtMs = QDateTime::currentMSecsSinceEpoch();
    m_record.endpoint = QByteArrayLiteral("openai.chat_completions");
    connect(exchange, &HttpExchange::aborted, this, &ChatCompletionRelay::onAborted);
    connect(exchange, &HttpExchange::drained, this, [this] {
        if (m_call && m_call->isPaused())
            m_call->resume();
    });
}

void ChatCompletionRelay::start()
{
    const HttpRequest &request = m_exchange->request();
    const QByteArrayView key =
        ApiKeyBook::presentedKey(request.header("authorization"), request.header("x-api-key"));
    const auto caller = m_context->keys.authenticate(key);
    if (!caller) {
        return refuse({401,
                       key.isEmpty() ? QStringLiteral("missing API key: send Authorization: Bearer <key>")
                                     : QStringLiteral("unknown API key"),
                       "invalid_api_key"},
                      "unauthorized");
    }
    m_record.account = caller->account;
    m_record.apiKey = caller->name;

    QString parseError;
    const auto view = ChatRequestView::parse(request.body, &parseError);
    if (!view)
        return refuse({400, parseError, "invalid_json"}, "invalid_request");
    m_record.stream = view->stream;
    m_record.modelAlias = view->model;
    m_clientWantsUsage = view->includeUsage.value_or(false);

    const auto route = m_context->models.resolve(view->model);
    if (!route) {
        return refuse({404, QStringLiteral("The model '%1' does not exist or is not routed by this "
                                           "gateway").arg(view->model),
                       "model_not_found"},
                      "model_not_found");
    }
    // A pattern route keeps the requested name: that is the alias the caller used.
    m_record.modelAlias = ModelRouter::isPattern(route->alias) ? view->model : route->alias;
    m_record.provider = route->provider;
    m_record.upstreamModel = route->upstreamModel;
    const auto provider = m_context->providers.constFind(route->provider);
    if (provider == m_context->providers.constEnd() || provider->protocol != ProviderProtocol::OpenAI) {
        return refuse({400, QStringLiteral("The model '%1' is served by provider '%2', which does not "
                                           "speak the Chat Completions API")
                                .arg(view->model, route->provider),
                       "unsupported_route"},
                      "invalid_request");
    }
    if (provider->authorization.isEmpty()) {
        return refuse({502, QStringLiteral("Provider '%1' has no API key: set the environment "
                                           "variable %2 for Gatehouse")
                                .arg(provider->name, provider->apiKeyEnv),
                       "provider_key_missing"},
                      "provider_unavailable");
    }
    const bool forceUsage = view->stream && !m_clientWantsUsage;
    const QByteArray body =
        view->model == route->upstreamModel && !forceUsage
            ? request.body
            : ChatRequestRewrite::forUpstream(request.body, *view, route->upstreamModel, forceUsage);
    m_estimatedPromptTokens = (request.body.size() + 3) / 4;
    dispatch(*provider, body);
}

void ChatCompletionRelay::dispatch(const ProviderEndpoint &provider, const QByteArray &body)
{
    const HttpRequest &request = m_exchange->request();
    UpstreamRequest upstream;
    upstream.url = provider.baseUrl + "/chat/completions";
    upstream.body = body;
    upstream.timeouts = provider.timeouts;
    upstream.headers = {{"authorization", provider.authorization},
                        {"content-type", "application/json"},
                        {"accept", m_record.stream ? QByteArrayLiteral("text/event-stream")
                                                   : QByteArrayLiteral("application/json")}};
    for (const QByteArrayView name : {"user-agent", "idempotency-key", "openai-beta"}) {
        const QByteArray value = request.header(name);
        if (!value.isNull())
            upstream.headers.append({name.toByteArray(), value});
    }
    m_call = m_context->upstream->start(upstream, this);
    connect(m_call, &UpstreamCall::responseStarted, this, &ChatCompletionRelay::onResponseStarted);
    connect(m_call, &UpstreamCall::dataReceived, this, &ChatCompletionRelay::onData);
    connect(m_call, &UpstreamCall::finished, this, &ChatCompletionRelay::onFinished);
}

void ChatCompletionRelay::refuse(const ApiError &error, const QByteArray &outcome)
{
    error.send(m_exchange, ApiFamily::OpenAI, m_record.requestId);
    markFirstByte();
    settle(error.status, outcome, error.message);
}

HttpHeaders ChatCompletionRelay::responseHeaders(const QByteArray &fallbackContentType) const
{
    HttpHeaders headers;
    QByteArray contentType = fallbackContentType;
    for (const auto &[name, value] : m_call->responseHeaders()) {
        if (name == "content-type")
            contentType = value;
        else if (name == "x-request-id")
            headers.append({QByteArrayLiteral("x-upstream-request-id"), value});
        else if (!isHopHeader(name))
            headers.append({name, value});
    }
    headers.prepend({QByteArrayLiteral("content-type"), contentType});
    headers.append({QByteArrayLiteral("x-request-id"), m_record.requestId});
    return headers;
}

void ChatCompletionRelay::onResponseStarted(int status)
{
    if (!m_record.stream || status != 200)
        return; // buffered: relayed whole once complete
    m_relaying = true;
    HttpHeaders headers = responseHeaders(QByteArrayLiteral("text/event-stream; charset=utf-8"));
    headers.append({QByteArrayLiteral("cache-control"), QByteArrayLiteral("no-cache")});
    m_exchange->beginStream(200, headers);
    markFirstByte();
}

void ChatCompletionRelay::onData(const QByteArray &bytes)
{
    if (!m_relaying) {
        if (m_body.size() + bytes.size() > kMaxBufferedResponse) {
            delete std::exchange(m_call, nullptr);
            refuse({502, QStringLiteral("the provider's response exceeds %1 bytes")
                             .arg(kMaxBufferedResponse),
                    "upstream_response_too_large"},
                   "upstream_error");
            return;
        }
        m_body += bytes;
        return;
    }
    m_events.feed(bytes);
    relayEvents();
    if (m_events.hasError() || m_garbled)
        return failStream(QStringLiteral("the provider sent a garbled event stream"), "upstream_error");
    if (m_call && m_exchange->pendingBytes() > HttpExchange::kMaxPendingBytes)
        m_call->pause(); // the client reads slowly: stop reading the provider until it drains
}

void ChatCompletionRelay::relayEvents()
{
    const QList<SseEvent> events = m_events.takeEvents();
    QByteArray out;
    for (const SseEvent &event : events) {
        if (!event.data.isEmpty()) {
            const ChatChunk chunk = OpenAIChatUsage::classifyChunk(event.data);
            if (chunk.malformed) {
                m_garbled = true;
                break;
            }
            m_upstreamFailed |= chunk.error;
            m_deltaPieces += chunk.deltaPieces;
            if (chunk.usage) {
                m_record.usage = *chunk.usage;
                m_usageReported = true;
            }
            if (chunk.usageOnly && !m_clientWantsUsage)
                continue; // the chunk exists only because the gateway asked for it
        }
        if (events.size() == 1) {
            m_exchange->writeChunk(event.raw);
            return;
        }
        out += event.raw;
    }
    if (!out.isEmpty())
        m_exchange->writeChunk(out);
}

void ChatCompletionRelay::failStream(const QString &message, const QByteArray &outcome)
{
    delete std::exchange(m_call, nullptr);
    // A protocol-correct end: the SDKs raise an error event as an exception.
    m_exchange->writeChunk(QByteArray("data: " +
                                      OpenAIError::body(message.toUtf8(), "upstream_error",
                                                        "upstream_stream_failed") +
                                      "\n\n"));
    m_exchange->endStream(true);
    settle(200, outcome, message);
}

void ChatCompletionRelay::onFinished(UpstreamError error, const QString &message)
{
    const bool timeout = error == UpstreamError::ConnectTimeout ||
                         error == UpstreamError::FirstByteTimeout ||
                         error == UpstreamError::IdleTimeout;
    const QByteArray outcome = timeout ? QByteArrayLiteral("upstream_timeout")
                                       : QByteArrayLiteral("upstream_error");
    const QString explained = QStringLiteral("provider '%1': %2").arg(m_record.provider, message);
    if (m_relaying) {
        if (error != UpstreamError::None)
            return failStream(explained, outcome);
        m_events.finish();
        relayEvents();
        delete std::exchange(m_call, nullptr);
        if (m_garbled)
            return failStream(QStringLiteral("the provider sent a garbled event stream"),
                              "upstream_error");
        m_exchange->endStream();
        if (m_upstreamFailed)
            settle(200, QByteArrayLiteral("upstream_error"),
                   QStringLiteral("the provider reported an error in the stream"));
        else
            settle(200, QByteArrayLiteral("ok"));
        return;
    }
    if (error != UpstreamError::None) {
        delete std::exchange(m_call, nullptr);
        return refuse({timeout ? 504 : 502, explained,
                       timeout ? QByteArrayLiteral("upstream_timeout")
                               : QByteArrayLiteral("upstream_unreachable")},
                      outcome);
    }
    const int status = m_call->status();
    if (status == 200) {
        if (const auto usage = OpenAIChatUsage::fromResponseBody(m_body)) {
            m_record.usage = *usage;
            m_usageReported = true;
        }
    }
    const HttpHeaders headers = responseHeaders(QByteArrayLiteral("application/json"));
    delete std::exchange(m_call, nullptr);
    m_exchange->respond(status, headers, m_body);
    markFirstByte();
    settle(status, status == 200 ? QByteArrayLiteral("ok") : QByteArrayLiteral("upstream_error"),
           status == 200 ? QString() : QStringLiteral("provider answered %1").arg(status));
}

void ChatCompletionRelay::onAborted()
{
    delete std::exchange(m_call, nullptr); // the provider stops generating for nobody
    if (m_exchange->abortReason() == HttpExchange::AbortReason::ServerShutdown)
        settle(503, QByteArrayLiteral("shutdown"), QStringLiteral("cut by gateway shutdown"));
    else
        settle(499, QByteArrayLiteral("client_disconnected"),
               QStringLiteral("the client closed the connection"));
}

void ChatCompletionRelay::markFirstByte()
{
    if (m_record.firstByteUs < 0)
        m_record.firstByteUs = m_exchange->elapsedNs() / 1000;
}

void ChatCompletionRelay::settle(int status, const QByteArray &outcome, const QString &error)
{
    if (m_settled)
        return;
    m_settled = true;
    if (!m_usageReported && !m_record.provider.isEmpty() && m_estimatedPromptTokens > 0) {
        // The provider never reported usage (cut stream, disconnect): record what was seen,
        // marked as estimated, rather than nothing.
        m_record.usage = TokenUsage();
        m_record.usage.promptTokens = m_estimatedPromptTokens;
        m_record.usage.completionTokens = m_deltaPieces;
    }
    m_record.usage.reported = m_usageReported;
    m_record.httpStatus = status;
    m_record.outcome = outcome;
    m_record.error = error;
    m_record.durationUs = m_exchange->elapsedNs() / 1000;
    m_context->record(std::move(m_record));
}
