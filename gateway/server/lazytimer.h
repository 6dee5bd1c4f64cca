#pragma once

#include <QTimer>

#include <functional>

// A timeout that moves without touching the event loop's timer list, for the deadlines every
// exchange pushes back (keep-alive, first byte, idle): nginx's lazy timers. It keeps when it is
// due; its QTimer stays armed for the earliest time asked for, and on firing either calls
// onDue (the time came), re-arms for the rest (the deadline moved later meanwhile) or idles
// (stopped meanwhile). Moving a deadline later costs a clock read and stopping it nothing,
// where a QTimer would unregister and register a timer; only an earlier deadline re-arms at
// once. onDue may start it again, and may deleteLater() its owner, not delete it.
class LazyTimer
{
public:
    explicit LazyTimer(std::function<void()> onDue = {});
    void setOnDue(std::function<void()> onDue) { m_onDue = std::move(onDue); }

    // Due in ms from now (0: on the event loop's next pass).
    void start(int ms);
    void stop() { m_dueMs = -1; }
    bool isActive() const { return m_dueMs >= 0; }

private:
    static qint64 nowMs();
    void arm(qint64 now, qint64 dueMs);
    void onTimeout();

    std::function<void()> m_onDue;
    QTimer m_timer;
    qint64 m_dueMs = -1;   // when onDue runs (steady clock), -1: stopped
    qint64 m_armedMs = -1; // when m_timer fires, -1: not armed
};
