#include "console/livefeed.h"

#include "ledger/usagerecord.h"

LiveFeed::LiveFeed(StateReader state)
    : m_state(std::move(state))
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(kIntervalMs);
    QObject::connect(&m_timer, &QTimer::timeout, [this] { flush(); });
}

void LiveFeed::attach(Sink sink)
{
    m_sink = std::move(sink);
    m_pending = ConsoleBatch();
    stateChanged(); // a new console starts with the current state
}

void LiveFeed::detach()
{
    m_sink = nullptr;
    m_pending = ConsoleBatch();
    m_timer.stop();
}

void LiveFeed::started(const UsageRecord &record)
{
    if (!m_sink)
        return;
    m_pending.requests.append(LiveRequest::from(record, false));
    m_pending.stateChanged = true; // its reservation moved a budget's totals
    schedule();
}

void LiveFeed::finished(const UsageRecord &record)
{
    if (!m_sink)
        return;
    m_pending.requests.append(LiveRequest::from(record, true));
    m_pending.stateChanged = true; // its reservation settled
    schedule();
}

void LiveFeed::alert(const BudgetAlert &alert)
{
    if (!m_sink)
        return;
    m_pending.alerts.append(alert);
    schedule();
}

void LiveFeed::stateChanged()
{
    if (!m_sink)
        return;
    m_pending.stateChanged = true;
    schedule();
}

void LiveFeed::schedule()
{
    if (m_pending.requests.size() > kMaxRequestsPerBatch)
        m_pending.requests.remove(0, m_pending.requests.size() - kMaxRequestsPerBatch);
    if (!m_timer.isActive())
        m_timer.start();
}

void LiveFeed::flush()
{
    if (!m_sink)
        return;
    ConsoleBatch batch = std::exchange(m_pending, ConsoleBatch());
    if (batch.stateChanged)
        m_state(&batch);
    m_sink(std::move(batch));
}
