#pragma once

#include <QtGlobal>

// While it lives, SIGINT, SIGTERM and SIGHUP no longer end gatehouse: they are passed on to the
// child `gatehouse exec` runs, so the child decides, and gatehouse outlives it to clean up. One
// instance at a time (the handlers are process-wide).
class SignalForwarder
{
public:
    SignalForwarder();
    ~SignalForwarder();
    SignalForwarder(const SignalForwarder &) = delete;
    SignalForwarder &operator=(const SignalForwarder &) = delete;

    // From now on signals go to this process (0: nobody); one that came while there was nobody
    // is delivered now.
    void forwardTo(qint64 pid);
    // The last signal that came while there was no child (0: none).
    int pendingSignal() const;
};
