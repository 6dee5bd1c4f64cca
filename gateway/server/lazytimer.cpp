#include "lazytimer.h"

#include <chrono>

LazyTimer::LazyTimer(std::function<void()> onDue)
    : m_onDue(std::move(onDue))
{
    m_timer.setSingleShot(true);
    QObject::connect(&m_timer, &QTimer::timeout, [this] { onTimeout(); });
}

qint64 LazyTimer::nowMs()
{
    // The monotonic clock, read through the vDSO: no system call.
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

void LazyTimer::start(int ms)
{
    const qint64 now = nowMs();
    m_dueMs = now + qMax(ms, 0);
    if (m_armedMs < 0 || m_dueMs < m_armedMs)
        arm(now, m_dueMs);
}

void LazyTimer::arm(qint64 now, qint64 dueMs)
{
    m_armedMs = dueMs;
    // A coarse QTimer may fire up to 5% early: onTimeout() then re-arms for what is left.
    m_timer.start(int(qMin<qint64>(dueMs - now, INT_MAX)));
}

void LazyTimer::onTimeout()
{
    m_armedMs = -1;
    if (m_dueMs < 0)
        return; // stopped meanwhile
    const qint64 now = nowMs();
    if (now < m_dueMs)
        return arm(now, m_dueMs); // moved later meanwhile (or a coarse timer's early fire)
    m_dueMs = -1;
    m_onDue();
}
