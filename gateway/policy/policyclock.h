#pragma once

#include <QDateTime>

#include <functional>

// The wall clock the policy books read (Unix epoch milliseconds); tests substitute their own
// to reach an expiry or a period boundary exactly.
using PolicyClock = std::function<qint64()>;

inline PolicyClock systemClock()
{
    return [] { return QDateTime::currentMSecsSinceEpoch(); };
}
