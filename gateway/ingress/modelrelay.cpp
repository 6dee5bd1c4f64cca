#include "modelrelay.h"

#include "gatewaycontext.h"
#include "protocol/contentdecoding.h"
#include "protocol/sseevent.h"
#include "server/httpexchange.h"
#include "upstream/upstreamcall.h"
#include "upstream/upstreamclient.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace {

constexpr qsizetype kMaxBufferedResponse = 64 * 1024 * 1024;

// Response headers that describe the hop, not the content: the gateway sets its own.
bool isHopHeader(QByteArrayView name)
{
    static const QByteArrayView names[] = {
        "connection", "keep-alive",   "transfer-encoding", "content-length", "content-encoding",
        "set-cookie", "x-request-id", "request-id",        "content-type",   "alt-svc"};
    for (QByteArrayView hop : names) {
        if (name == hop)
            return true;
    }
    return false;
}

} // namespace

ModelRelay::ModelRelay(HttpExchange *exchange, GatewayContext *context,
                       std::unique_ptr<WireShape> shape)
    : QObject(exchange)
    , m_exchange(exchange)
    , m_context(context)
    , m_shape(std::move(shape))
{
    m_record.requestId = newRequestId();
    m_record.startedAtMs = QDateTime::currentMSecsSinceEpoch();
    m_record.endpoint = m_shape->endpoint();
    m_capture = std::make_shared<RequestCapture>();
    m_context->relays.insert(this);
    m_context->metrics.requestStarted(m_record.endpoint);
    connect(exchange, &HttpExchange::aborted, this, &ModelRelay::onAborted);
    connect(exchange, &HttpExchange::drained, this, [this] {
        if (m_call && m_call->isPaused())
            m_call->resume();
    });
}

ModelRelay::~ModelRelay()
{
    m_context->relays.remove(this);
    m_context->metrics.requestEnded(m_shape->endpoint());
    if (m_budgetTicket)
        m_context->budgets.release(std::exchange(m_budgetTicket, 0)); // never leaks
    if (m_rateTicket)
        m_context->rateLimits.release(std::exchange(m_rateTicket, 0));
    if (std::exchange(m_teamHeld, false))
        m_context->teamBudgets->release(m_record.requestId);
}

void ModelRelay::start()
{
    const HttpRequest &request = m_exchange->request();
    const QByteArrayView key =
        ApiKeyBook::presentedKey(request.header("authorization"), request.header("x-api-key"));
    const AccessBook::Authentication caller = m_context->access.authenticate(key);
    if (!caller.subject)
        return refuse({401, caller.failure, "invalid_api_key"}, "unauthorized");
    const Subject &subject = *caller.subject;
    m_record.account = subject.account;
    m_record.apiKey = subject.apiKey;
    m_record.user = subject.user;
    m_record.flow = subject.flow;
    m_record.executionId = subject.executionId;
    m_record.principal = subject.principal;
    m_record.principalType = subject.principalType;
    m_record.credentialId = subject.credentialId;

    QByteArray body = request.body;
    if (!decodeBody(&body))
        return;
    m_capture->requestBody = body; // shared, not copied
    m_capture->requestBytes = body.size();
    RequestFacts facts;
    QString parseError;
    if (!m_shape->parse(body, &facts, &parseError))
        return refuse({400, parseError, "invalid_json"}, "invalid_request");
    m_record.stream = facts.stream;
    m_record.modelAlias = facts.model;
    m_record.runtimeSession =
        m_context->access.sessions().resolve(request, facts.sessionHints, subject).id;

    if (const auto layer = subject.forbiddingLayer(facts.model)) {
        return refuse({403,
                       QStringLiteral("The model '%1' is not allowed by %2 (allowed: %3)")
                           .arg(facts.model, layer->layer, layer->patterns.join(u", "_s)),
                       "model_not_allowed"},
                      "denied_model");
    }

    const auto route = m_context->models.resolve(facts.model);
    if (!route) {
        return refuse({404,
                       QStringLiteral("The model '%1' does not exist or is not routed by this "
                                      "gateway")
                           .arg(facts.model),
                       "model_not_found"},
                      "model_not_found");
    }
    // A pattern route keeps the requested name: that is the alias the caller used.
    if (!ModelRouter::isPattern(route->alias))
        m_record.modelAlias = route->alias;
    m_record.provider = route->provider;
    m_record.upstreamModel = route->upstreamModel;
    const auto provider = m_context->providers.constFind(route->provider);
    if (provider == m_context->providers.constEnd() || !m_shape->servedBy(*provider)) {
        return refuse({400,
                       QStringLiteral("The model '%1' is served by provider '%2', which does not "
                                      "speak this API")
                           .arg(facts.model, route->provider),
                       "unsupported_route"},
                      "invalid_request");
    }
    if (provider->apiKey.isEmpty()) {
        return refuse({502,
                       QStringLiteral("Provider '%1' has no API key: set the environment "
                                      "variable %2 for Gatehouse")
                           .arg(provider->name, provider->apiKeyEnv),
                       "provider_key_missing"},
                      "provider_unavailable");
    }
    m_estimatedPromptTokens = (body.size() + 3) / 4;
    const Admission admission = admit(facts, *route, *provider, body.size());
    if (admission == Admission::Refused)
        return;
    m_body = std::move(body); // the request body until the upstream call owns its copy
    if (admission == Admission::Admitted)
        dispatch(*provider, route->upstreamModel);
}

ModelRelay::Admission ModelRelay::admit(const RequestFacts &facts, const ModelRoute &route,
                                        const ProviderEndpoint &provider, qsizetype bodyBytes)
{
    if (const auto backlog = m_context->ledgerBacklog()) {
        // Bounded memory, and no request goes unrecorded: SDKs retry a 503 after Retry-After.
        refuse(
            {503,
             u"The usage ledger is %1 records behind (limit %2): its database is slow, locked "
             "or unavailable. Gatehouse refuses model requests until it catches up."_s.arg(*backlog)
                 .arg(m_context->limits.maxLedgerBacklog),
             "ledger_backlog"},
            kLedgerBacklogOutcome.toByteArray(), {{QByteArrayLiteral("retry-after"), "1"}});
        return Admission::Refused;
    }
    if (const auto order = m_context->killSwitch.stopping(m_record.account, m_record.flow)) {
        refuse({403,
                u"Model traffic is stopped by the operator for %1: %2"_s.arg(order->describe(),
                                                                             order->reason),
                "kill_switch"},
               "denied_kill_switch");
        return Admission::Refused;
    }
    // Input: a generous count from the body's size (a token is 3-4 bytes of JSON text);
    // output: what the caller allows, at most the reservation cap.
    const qint64 cap = m_context->budgetPolicy.reservationCapTokens;
    TokenUsage expected;
    expected.promptTokens = (bodyBytes + 2) / 3;
    expected.completionTokens = std::min(facts.maxOutputTokens.value_or(cap), cap);
    BudgetEstimate estimate;
    estimate.tokens = m_shape->billable() ? expected.totalTokens() : 0;
    estimate.micros = m_context->price(expected, route.upstreamModel);

    const RateLimiter::Decision rate = m_context->rateLimits.admit(
        {m_record.apiKey, m_record.flow, m_record.modelAlias}, estimate.tokens);
    m_rateHeaders = rate.headers;
    if (!rate.allowed) {
        refuse({429, rate.message, "rate_limit_exceeded"}, "denied_rate_limit", rate.headers);
        return Admission::Refused;
    }
    m_rateTicket = rate.ticket;
    if (!m_shape->billable())
        return Admission::Admitted;
    BudgetCharge charge{m_record.account,    m_record.user,        m_record.apiKey,
                        m_record.flow,       m_record.executionId, m_record.modelAlias,
                        route.upstreamModel, route.provider};
    if (m_context->teamBudgets) {
        QString denial;
        const std::optional<BudgetHolds> holds =
            m_context->budgets.holdsFor(charge, estimate, &denial);
        if (!holds) {
            m_context->rateLimits.release(std::exchange(m_rateTicket, 0));
            refuse({402, denial, "budget_exceeded"}, "denied_budget");
            return Admission::Refused;
        }
        if (holds->isEmpty())
            return Admission::Admitted;
        // The shared totals answer on their own thread; this one serves others meanwhile.
        m_teamHolds = *holds;
        m_teamHeld = true;
        m_record.reservedMicros = estimate.micros;
        m_record.reservedTokens = estimate.tokens;
        m_context->teamBudgets->reserve(
            m_record.requestId, *holds, this,
            [this, provider, model = route.upstreamModel](const TeamBudgets::Answer &answer) {
                onTeamAnswer(answer, provider, model);
            });
        return Admission::Pending;
    }
    const BudgetBook::Admission admission = m_context->budgets.reserve(charge, estimate);
    if (!admission.allowed) {
        // Not sent: the rate limits give back what they counted.
        m_context->rateLimits.release(std::exchange(m_rateTicket, 0));
        // 402: not retried by the SDKs (a 429 would be, pointlessly, until the period ends).
        refuse({402, admission.message, "budget_exceeded"}, "denied_budget");
        return Admission::Refused;
    }
    m_budgetTicket = admission.ticket;
    if (m_budgetTicket) {
        m_record.reservedMicros = admission.reservedMicros;
        m_record.reservedTokens = admission.reservedTokens;
    }
    return Admission::Admitted;
}

void ModelRelay::onTeamAnswer(const TeamBudgets::Answer &answer, const ProviderEndpoint &provider,
                              const QString &upstreamModel)
{
    if (m_settled)
        return; // refused or cut while waiting: the reservation is already given back
    using Verdict = TeamBudgets::Answer::Verdict;
    if (answer.verdict == Verdict::Admitted)
        return dispatch(provider, upstreamModel);
    // Nothing is held: the transaction was rolled back or never ran.
    m_teamHeld = false;
    m_teamHolds.clear();
    m_record.reservedMicros.reset();
    m_record.reservedTokens.reset();
    if (answer.verdict == Verdict::Unavailable && m_context->teamFailOpen) {
        qWarning("gatehouse: admitting %s without a budget check (team.failOpen): %s",
                 m_record.requestId.constData(), qUtf8Printable(answer.message));
        return dispatch(provider, upstreamModel);
    }
    m_context->rateLimits.release(std::exchange(m_rateTicket, 0));
    if (answer.verdict == Verdict::Denied) {
        m_context->budgets.deniedShared(answer.budgetId, answer.instance, answer.message);
        return refuse({402, answer.message, "budget_exceeded"}, "denied_budget");
    }
    refuse({503,
            answer.message + u". Budgets cannot be checked, so Gatehouse refuses new requests "
                             "until the database is back (team.failOpen admits them unchecked)."_s,
            "budget_store_unavailable"},
           "denied_budget_store");
}

void ModelRelay::cut(const QString &reason)
{
    if (m_settled)
        return;
    const QString message = u"Cut by the operator's kill switch: %1"_s.arg(reason);
    if (m_relaying)
        return failStream(message, "killed");
    delete std::exchange(m_call, nullptr);
    refuse({403, message, "kill_switch"}, "killed");
}

bool ModelRelay::decodeBody(QByteArray *body)
{
    const QByteArray encoding = m_exchange->request().header("content-encoding");
    if (encoding.isEmpty() || encoding.compare("identity", Qt::CaseInsensitive) == 0)
        return true;
    DecodeError why = DecodeError::None;
    const auto decoded =
        ContentDecoding::decode(*body, encoding, m_context->limits.maxBodyBytes, &why);
    if (decoded) {
        *body = *decoded;
        return true;
    }
    switch (why) {
    case DecodeError::Unsupported:
        refuse({415,
                QStringLiteral("Content-Encoding '%1' is not supported: send the body as is, "
                               "gzip or deflate")
                    .arg(QString::fromLatin1(encoding)),
                "unsupported_content_encoding"},
               "invalid_request");
        break;
    case DecodeError::TooLarge:
        refuse({413,
                QStringLiteral("the decoded request body exceeds %1 bytes")
                    .arg(m_context->limits.maxBodyBytes),
                "request_too_large"},
               "request_too_large");
        break;
    default:
        refuse({400,
                QStringLiteral("the request body is not valid %1 data")
                    .arg(QString::fromLatin1(encoding)),
                "invalid_content_encoding"},
               "invalid_request");
        break;
    }
    return false;
}

void ModelRelay::dispatch(const ProviderEndpoint &provider, const QString &upstreamModel)
{
    const HttpRequest &request = m_exchange->request();
    UpstreamRequest upstream;
    upstream.url = m_shape->upstreamUrl(provider, request);
    upstream.body = m_shape->upstreamBody(m_body, upstreamModel);
    upstream.timeouts = provider.timeouts;
    upstream.headers = m_shape->upstreamHeaders(provider, request);
    m_body.clear();
    m_capture->queuedUs = m_exchange->elapsedNs() / 1000;
    m_call = m_context->upstream->start(upstream, this);
    m_upstreamStarted = true;
    m_context->live.started(m_record);
    connect(m_call, &UpstreamCall::responseStarted, this, &ModelRelay::onResponseStarted);
    connect(m_call, &UpstreamCall::dataReceived, this, &ModelRelay::onData);
    connect(m_call, &UpstreamCall::finished, this, &ModelRelay::onFinished);
}

void ModelRelay::refuse(const ApiError &error, const QByteArray &outcome,
                        const HttpHeaders &extraHeaders)
{
    error.send(m_exchange, m_shape->family(), m_record.requestId, extraHeaders);
    markFirstByte();
    settle(error.status, outcome, error.message);
}

HttpHeaders ModelRelay::responseHeaders(const QByteArray &fallbackContentType) const
{
    HttpHeaders headers;
    QByteArray contentType = fallbackContentType;
    for (const auto &[name, value] : m_call->responseHeaders()) {
        if (name == "content-type")
            contentType = value;
        else if (name == "x-request-id" || name == "request-id")
            headers.append({QByteArrayLiteral("x-upstream-request-id"), value});
        else if (!isHopHeader(name))
            headers.append({name, value});
    }
    headers.prepend({QByteArrayLiteral("content-type"), contentType});
    headers.append({m_shape->requestIdHeader(), m_record.requestId});
    headers += m_rateHeaders;
    return headers;
}

void ModelRelay::onResponseStarted(int status)
{
    if (!m_record.stream || status != 200)
        return; // buffered: relayed whole once complete
    m_relaying = true;
    HttpHeaders headers = responseHeaders(QByteArrayLiteral("text/event-stream; charset=utf-8"));
    headers.append({QByteArrayLiteral("cache-control"), QByteArrayLiteral("no-cache")});
    m_exchange->beginStream(200, headers);
    markFirstByte();
}

void ModelRelay::onData(const QByteArray &bytes)
{
    if (!m_relaying) {
        if (m_body.size() + bytes.size() > kMaxBufferedResponse) {
            delete std::exchange(m_call, nullptr);
            refuse({502,
                    QStringLiteral("the provider's response exceeds %1 bytes")
                        .arg(kMaxBufferedResponse),
                    "upstream_response_too_large"},
                   "upstream_error");
            return;
        }
        m_body += bytes;
        return;
    }
    m_capture->responseBytes += bytes.size();
    if (m_capture->responseBody.size() + bytes.size() <= m_context->captureBytes)
        m_capture->responseBody += bytes;
    else
        m_capture->responseTruncated = true;
    m_events.feed(bytes);
    relayEvents();
    if (m_events.hasError() || m_garbled)
        return failStream(QStringLiteral("the provider sent a garbled event stream"),
                          "upstream_error");
    if (m_call && m_exchange->pendingBytes() > HttpExchange::kMaxPendingBytes)
        m_call->pause(); // the client reads slowly: stop reading the provider until it drains
}

void ModelRelay::relayEvents()
{
    const QList<SseEvent> events = m_events.takeEvents();
    QByteArray out;
    for (const SseEvent &event : events) {
        const StreamStep step = m_shape->onEvent(event);
        if (step.malformed) {
            m_garbled = true;
            break;
        }
        m_upstreamFailed |= step.failed;
        m_deltaPieces += step.deltaPieces;
        m_terminalSeen |= step.terminal && !step.failed;
        if (step.drop)
            continue;
        if (events.size() == 1) {
            m_exchange->writeChunk(event.raw);
            return;
        }
        out += event.raw;
    }
    if (!out.isEmpty())
        m_exchange->writeChunk(out);
}

void ModelRelay::failStream(const QString &message, const QByteArray &outcome)
{
    delete std::exchange(m_call, nullptr);
    // A protocol-correct end in the client's shape: the SDKs raise it as an error.
    m_exchange->writeChunk(m_shape->streamErrorEvent(message, m_record.requestId));
    m_exchange->endStream(true);
    settle(200, outcome, message);
}

void ModelRelay::onFinished(UpstreamError error, const QString &message)
{
    const bool timeout = error == UpstreamError::ConnectTimeout ||
                         error == UpstreamError::FirstByteTimeout ||
                         error == UpstreamError::IdleTimeout;
    const QByteArray outcome =
        timeout ? QByteArrayLiteral("upstream_timeout") : QByteArrayLiteral("upstream_error");
    const QString explained = QStringLiteral("provider '%1': %2").arg(m_record.provider, message);
    if (m_relaying) {
        if (error != UpstreamError::None)
            return failStream(explained, outcome);
        m_events.finish();
        relayEvents();
        if (m_garbled)
            return failStream(QStringLiteral("the provider sent a garbled event stream"),
                              "upstream_error");
        delete std::exchange(m_call, nullptr);
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
    const HttpHeaders headers = responseHeaders(QByteArrayLiteral("application/json"));
    delete std::exchange(m_call, nullptr);
    m_exchange->respond(status, headers, m_body);
    markFirstByte();
    settle(status, status == 200 ? QByteArrayLiteral("ok") : QByteArrayLiteral("upstream_error"),
           status == 200 ? QString() : QStringLiteral("provider answered %1").arg(status));
}

void ModelRelay::onAborted()
{
    delete std::exchange(m_call, nullptr); // the provider stops generating for nobody
    // Some clients (Codex) hang up as soon as the last event arrives, before the stream's
    // closing chunk: the answer was complete, so the call was.
    if (m_relaying && m_terminalSeen && !m_upstreamFailed)
        return settle(200, QByteArrayLiteral("ok"));
    if (m_exchange->abortReason() == HttpExchange::AbortReason::ServerShutdown)
        settle(503, QByteArrayLiteral("shutdown"), QStringLiteral("cut by gateway shutdown"));
    else
        settle(499, QByteArrayLiteral("client_disconnected"),
               QStringLiteral("the client closed the connection"));
}

void ModelRelay::markFirstByte()
{
    if (m_record.firstByteUs < 0)
        m_record.firstByteUs = m_exchange->elapsedNs() / 1000;
}

void ModelRelay::settle(int status, const QByteArray &outcome, const QString &error)
{
    if (m_settled)
        return;
    m_settled = true;
    std::optional<TokenUsage> usage =
        m_relaying ? m_shape->streamUsage()
                   : (status == 200 ? m_shape->bodyUsage(m_body) : std::nullopt);
    if (usage) {
        m_record.usage = *usage;
        m_record.usage.reported = true;
        // A stream that broke off may have reported only its start (Anthropic's
        // message_start): what was relayed since then counts too, as an estimate.
        if (m_relaying && outcome != "ok" && m_deltaPieces > m_record.usage.completionTokens) {
            m_record.usage.completionTokens = m_deltaPieces;
            m_record.usage.reported = false;
        }
    } else if (m_relaying || (m_upstreamStarted &&
                              m_exchange->abortReason() != HttpExchange::AbortReason::None)) {
        // The provider was generating but never reported usage (cut stream, a client that
        // left): record what was seen, marked as estimated, rather than nothing. A provider
        // that refused the call (an error status) generated nothing and is not charged.
        m_record.usage.promptTokens = m_estimatedPromptTokens;
        m_record.usage.completionTokens = m_deltaPieces;
    }
    if (!m_shape->billable())
        m_record.usage = TokenUsage();
    m_record.costMicros =
        m_context->price(m_record.usage, m_record.upstreamModel, &m_record.priceSource);
    if (m_budgetTicket) {
        const quint64 ticket = std::exchange(m_budgetTicket, 0);
        if (m_upstreamStarted)
            m_context->budgets.settle(ticket, m_record.costMicros, m_record.usage.totalTokens());
        else
            m_context->budgets.release(ticket);
    }
    if (std::exchange(m_teamHeld, false)) {
        if (m_upstreamStarted)
            m_context->teamBudgets->settle(m_record.requestId, std::exchange(m_teamHolds, {}),
                                           m_record.costMicros, m_record.usage.totalTokens());
        else
            m_context->teamBudgets->release(m_record.requestId);
    }
    if (m_rateTicket) {
        const quint64 ticket = std::exchange(m_rateTicket, 0);
        if (m_upstreamStarted)
            m_context->rateLimits.settle(ticket, m_record.usage.totalTokens());
        else
            m_context->rateLimits.release(ticket);
    }
    m_record.httpStatus = status;
    m_record.outcome = outcome;
    m_record.error = error;
    m_record.durationUs = m_exchange->elapsedNs() / 1000;
    if (m_capture->queuedUs < 0)
        m_capture->queuedUs = m_record.durationUs; // refused before dispatch
    m_capture->stream = m_relaying;
    if (!m_relaying && !m_body.isEmpty()) {
        m_capture->responseBytes = m_body.size();
        m_capture->responseBody = m_body.size() <= m_context->captureBytes ? m_body : QByteArray();
        m_capture->responseTruncated = m_body.size() > m_context->captureBytes;
    }
    m_record.capture = std::move(m_capture);
    m_context->record(std::move(m_record));
}
