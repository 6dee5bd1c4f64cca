#pragma once

#include <QColor>
#include <QString>

// How alive a runtime session or a flow execution is. A session is active while one of its
// calls is in flight, open while it was seen in the last few minutes, idle until the gateway's
// session idle gap (after which a caller without a session id starts a new session), and closed
// after that or once its flow execution has ended. An execution is running, succeeded or failed.
struct Activity
{
    enum State
    {
        Active,
        Open,
        Idle,
        Closed,
        Running,
        Succeeded,
        Failed
    };
    static constexpr qint64 kOpenMs = 5 * 60'000;

    static State ofSession(bool inFlight, qint64 lastSeenMs, qint64 nowMs, qint64 idleMs,
                           bool executionEnded);
    // For rolling children up into their parent: the livelier of two session states.
    static State livelier(State a, State b) { return a < b ? a : b; }
    static QString text(State state);
    // The meaning colour of a state; invalid for the usual text colour.
    static QColor color(State state);
};
