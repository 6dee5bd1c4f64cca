#include "activity.h"

#include "common/consolestyle.h"

#include <QCoreApplication>

Activity::State Activity::ofSession(bool inFlight, qint64 lastSeenMs, qint64 nowMs, qint64 idleMs,
                                    bool executionEnded)
{
    if (inFlight)
        return Active;
    if (executionEnded)
        return Closed;
    const qint64 quiet = nowMs - lastSeenMs;
    if (quiet < kOpenMs)
        return Open;
    return quiet < idleMs ? Idle : Closed;
}

QString Activity::text(State state)
{
    switch (state) {
    case Active:
        return QCoreApplication::translate("Activity", "active");
    case Open:
        return QCoreApplication::translate("Activity", "open");
    case Idle:
        return QCoreApplication::translate("Activity", "idle");
    case Closed:
        return QCoreApplication::translate("Activity", "closed");
    case Running:
        return QCoreApplication::translate("Activity", "running");
    case Succeeded:
        return QCoreApplication::translate("Activity", "succeeded");
    case Failed:
        return QCoreApplication::translate("Activity", "failed");
    }
    return {};
}

QColor Activity::color(State state)
{
    switch (state) {
    case Active:
    case Running:
        return ConsoleStyle::live();
    case Open:
    case Succeeded:
        return {};
    case Failed:
        return ConsoleStyle::failure();
    case Idle:
    case Closed:
        return ConsoleStyle::muted();
    }
    return {};
}
