#include "simulateddelivery.h"

#include "server/httpexchange.h"

#include <algorithm>
#include <limits>

namespace {

constexpr qsizetype batchBytes = 256 * 1024; // most answers leave in a single write
constexpr int defaultStallMs = 1000;

} // namespace

SimulatedDelivery::SimulatedDelivery(HttpExchange *exchange, const SimulationSettings &settings,
                                     const SimulationDirective &directive)
    : QObject(exchange)
    , m_exchange(exchange)
    , m_headerDelayMs(directive.headerDelayMs.value_or(0))
    , m_firstTokenMs(directive.firstTokenMs.value_or(settings.firstTokenMs))
    , m_tokensPerSecond(directive.tokensPerSecond.value_or(settings.tokensPerSecond))
    , m_directive(directive)
{
    m_clock.start();
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &SimulatedDelivery::proceed);
    connect(exchange, &HttpExchange::aborted, this, [this] {
        m_done = true;
        m_timer.stop();
    });
    connect(exchange, &HttpExchange::drained, this, [this] {
        if (m_waitingForDrain) {
            m_waitingForDrain = false;
            proceed();
        }
    });
}

int SimulatedDelivery::responseDelayMs(int tokens) const
{
    return int(std::min<qint64>(tokenDueNs(std::max(tokens - 1, 0)) / 1'000'000,
                                std::numeric_limits<int>::max()));
}

std::optional<int> SimulatedDelivery::failureAfter(int tokens) const
{
    if (!m_directive.errorAfter || m_directive.cutAfter || m_directive.garbleAfter)
        return std::nullopt;
    return std::min(*m_directive.errorAfter, tokens);
}

void SimulatedDelivery::respondError(int status, const HttpHeaders &headers, const QByteArray &body,
                                     int delayMs)
{
    m_status = status;
    m_headers = headers;
    m_body = body;
    armFor(qint64(delayMs) * 1'000'000);
}

void SimulatedDelivery::respond(const HttpHeaders &headers, const QByteArray &body, int tokens)
{
    m_headers = headers;
    m_body = body;
    if (m_directive.cutAfter)
        m_ending = Ending::Cut;
    else if (m_directive.garbleAfter)
        m_ending = Ending::Garbled;
    armFor(qint64(responseDelayMs(tokens)) * 1'000'000);
}

void SimulatedDelivery::stream(const HttpHeaders &headers, std::unique_ptr<SimulatedStream> events)
{
    m_headers = headers;
    m_events = std::move(events);
    // A fault count past the end of the answer faults the end instead of closing it; at equal
    // counts the cut wins.
    const int total = m_events->tokenCount();
    constexpr int never = std::numeric_limits<int>::max();
    const int cutAt = m_directive.cutAfter ? std::min(*m_directive.cutAfter, total) : never;
    const int garbleAt =
        m_directive.garbleAfter ? std::min(*m_directive.garbleAfter, total) : never;
    const int failAt = m_directive.errorAfter ? std::min(*m_directive.errorAfter, total) : never;
    m_endAt = std::min({total, cutAt, garbleAt, failAt});
    if (cutAt == m_endAt)
        m_ending = Ending::Cut;
    else if (garbleAt == m_endAt)
        m_ending = Ending::Garbled;
    else if (failAt == m_endAt)
        m_ending = Ending::Failed;
    armFor(qint64(m_headerDelayMs) * 1'000'000);
}

QByteArray SimulatedDelivery::garbage()
{
    return QByteArrayLiteral("data: {\"choices\":[{\"delta\":\xff\xfe\x01 garbled <<\n\n"
                             "not an event \x7f}{\r\n\r\n");
}

qint64 SimulatedDelivery::tokenDueNs(int index) const
{
    double due = (double(m_headerDelayMs) + m_firstTokenMs) * 1e6;
    if (m_tokensPerSecond > 0)
        due += index * 1e9 / m_tokensPerSecond;
    if (m_directive.stallAfter && index >= *m_directive.stallAfter)
        due += m_directive.stallMs.value_or(defaultStallMs) * 1e6;
    return qint64(due);
}

void SimulatedDelivery::proceed()
{
    if (m_done || !m_exchange)
        return;
    if (m_events) {
        proceedStream();
        return;
    }
    if (m_ending == Ending::Cut) {
        if (!m_begun) {
            m_begun = true;
            m_exchange->beginStream(m_status, m_headers);
            m_exchange->writeChunk(QByteArrayView(m_body).first(m_body.size() / 2));
        }
        cutWhenSent();
        return;
    }
    m_done = true;
    if (m_ending == Ending::Garbled) {
        m_exchange->respond(m_status, m_headers, m_body.first(m_body.size() / 2) + garbage());
    } else {
        m_exchange->respond(m_status, m_headers, m_body);
    }
}

void SimulatedDelivery::proceedStream()
{
    if (!m_begun) {
        m_begun = true;
        m_exchange->beginStream(200, m_headers);
        m_batch = m_events->opening();
    }
    qint64 now = m_clock.nsecsElapsed();
    while (m_next < m_endAt && tokenDueNs(m_next) <= now) {
        m_batch += m_events->token(m_next++);
        if (m_batch.size() >= batchBytes) {
            if (!flush())
                return;
            now = m_clock.nsecsElapsed();
        }
    }
    if (m_next == m_endAt) {
        finishStream();
        return;
    }
    if (flush())
        armFor(tokenDueNs(m_next));
}

void SimulatedDelivery::finishStream()
{
    switch (m_ending) {
    case Ending::Complete:
        m_batch += m_events->closing();
        break;
    case Ending::Garbled:
        m_batch += garbage();
        break;
    case Ending::Failed:
        m_batch += m_events->failure(m_endAt);
        break;
    case Ending::Cut:
        break;
    }
    if (!m_batch.isEmpty())
        m_exchange->writeChunk(m_batch);
    m_batch.clear();
    if (m_ending == Ending::Cut) {
        cutWhenSent();
        return;
    }
    m_done = true;
    if (const int delay = m_directive.closeDelayMs.value_or(0); delay > 0) {
        QTimer::singleShot(delay, this, [this] { m_exchange->endStream(); });
        return;
    }
    m_exchange->endStream();
}

void SimulatedDelivery::cutWhenSent()
{
    // abortConnection() discards unsent bytes: what was promised before the cut goes first.
    if (m_exchange->pendingBytes() > 0) {
        m_waitingForDrain = true;
        return;
    }
    m_done = true;
    m_exchange->abortConnection();
}

bool SimulatedDelivery::flush()
{
    if (!m_batch.isEmpty()) {
        m_exchange->writeChunk(m_batch);
        m_batch.clear();
    }
    if (m_exchange->pendingBytes() > HttpExchange::kMaxPendingBytes) {
        m_waitingForDrain = true;
        return false;
    }
    return true;
}

void SimulatedDelivery::armFor(qint64 dueNs)
{
    const qint64 remainingNs = dueNs - m_clock.nsecsElapsed();
    // Round up, so a stream's timer never fires before its token is due.
    const qint64 ms =
        std::clamp<qint64>((remainingNs + 999'999) / 1'000'000, 0, std::numeric_limits<int>::max());
    m_timer.start(int(ms));
}
