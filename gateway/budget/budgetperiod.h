#pragma once

#include <QString>
#include <QTimeZone>

#include <optional>

// How often a budget starts again, aligned to the calendar of a time zone: a day from local
// midnight, a week from Monday's midnight, a month from the 1st (daylight saving changes make
// some days 23 or 25 hours long: the calendar decides, not a fixed length).
enum class BudgetPeriod
{
    None, // never resets: a lifetime cap
    Daily,
    Weekly,
    Monthly
};

struct PeriodWindow
{
    qint64 startMs = 0; // inclusive
    qint64 endMs = 0;   // exclusive
    bool contains(qint64 ms) const { return ms >= startMs && ms < endMs; }
};

namespace BudgetPeriods {
PeriodWindow windowAt(BudgetPeriod period, qint64 nowMs, const QTimeZone &zone);
QString name(BudgetPeriod period);
std::optional<BudgetPeriod> fromName(const QString &name);
} // namespace BudgetPeriods
