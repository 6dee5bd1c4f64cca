#include "budget/budgetperiod.h"

#include <QDateTime>

#include <limits>

using namespace Qt::StringLiterals;

PeriodWindow BudgetPeriods::windowAt(BudgetPeriod period, qint64 nowMs, const QTimeZone &zone)
{
    if (period == BudgetPeriod::None)
        return {std::numeric_limits<qint64>::min(), std::numeric_limits<qint64>::max()};
    const QDate today = QDateTime::fromMSecsSinceEpoch(nowMs, zone).date();
    QDate first = today;
    QDate next;
    switch (period) {
    case BudgetPeriod::Daily:
        next = first.addDays(1);
        break;
    case BudgetPeriod::Weekly:
        first = today.addDays(1 - today.dayOfWeek()); // Monday
        next = first.addDays(7);
        break;
    case BudgetPeriod::Monthly:
        first = QDate(today.year(), today.month(), 1);
        next = first.addMonths(1);
        break;
    case BudgetPeriod::None:
        break;
    }
    // The start of a local day; where midnight does not exist (a DST jump at 00:00) Qt moves
    // it to the first valid instant after.
    const auto startOf = [&](QDate date) { return date.startOfDay(zone).toMSecsSinceEpoch(); };
    return {startOf(first), startOf(next)};
}

QString BudgetPeriods::name(BudgetPeriod period)
{
    switch (period) {
    case BudgetPeriod::None:
        return u"none"_s;
    case BudgetPeriod::Daily:
        return u"daily"_s;
    case BudgetPeriod::Weekly:
        return u"weekly"_s;
    case BudgetPeriod::Monthly:
        return u"monthly"_s;
    }
    return {};
}

std::optional<BudgetPeriod> BudgetPeriods::fromName(const QString &name)
{
    for (BudgetPeriod period :
         {BudgetPeriod::None, BudgetPeriod::Daily, BudgetPeriod::Weekly, BudgetPeriod::Monthly}) {
        if (BudgetPeriods::name(period) == name)
            return period;
    }
    return std::nullopt;
}
