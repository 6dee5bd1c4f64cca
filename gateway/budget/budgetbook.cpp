#include "budget/budgetbook.h"

#include "budget/moneytext.h"
#include "budget/teambudgets.h"
#include "policy/secrettoken.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <limits>
#include <tuple>
#include <utility>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kDawnOfTime = -(qint64(1) << 62); // a lifetime budget's period start, for SQL

QString timeText(qint64 ms, const QTimeZone &zone)
{
    if (ms == std::numeric_limits<qint64>::max() || ms == std::numeric_limits<qint64>::min())
        return {};
    return QDateTime::fromMSecsSinceEpoch(ms, zone).toString(Qt::ISODate);
}

QJsonValue optionalNumber(std::optional<qint64> value)
{
    return value ? QJsonValue(*value) : QJsonValue();
}

// Integer percent of used over limit, rounded down; a zero limit is full at once.
int percentOf(qint64 used, qint64 limit)
{
    if (limit <= 0)
        return used > 0 ? 1000 : 100;
    return int(std::min<qint64>(used * 100 / limit, 1000));
}

} // namespace

BudgetBook::BudgetBook(StoreSink store, StoreReader reader, PolicyClock clock, QTimeZone zone)
    : m_store(std::move(store))
    , m_reader(std::move(reader))
    , m_clock(std::move(clock))
    , m_zone(std::move(zone))
{}

StoreStatement BudgetBook::definitionsQuery()
{
    return {u"SELECT definition FROM budgets ORDER BY created_at_ms, id"_s, {}};
}

void BudgetBook::replace(const QList<QVariantList> &rows)
{
    QList<Budget> budgets;
    for (const QVariantList &row : rows) {
        QString why;
        const auto budget =
            Budget::fromJson(QJsonDocument::fromJson(row.at(0).toString().toUtf8()).object(), &why);
        if (budget)
            budgets.append(*budget);
    }
    for (const Budget &old : std::as_const(m_budgets)) {
        const auto now = std::find_if(budgets.cbegin(), budgets.cend(),
                                      [&](const Budget &b) { return b.id == old.id; });
        if (now == budgets.cend() || now->layer != old.layer || now->subject != old.subject ||
            now->withinAccount != old.withinAccount || now->withinFlow != old.withinFlow ||
            now->period != old.period) {
            m_totals.remove(old.id);
        } else if (now->limitMicros != old.limitMicros || now->limitTokens != old.limitTokens ||
                   now->alertPercents != old.alertPercents) {
            // A new limit: its thresholds are judged again, as on the gateway that set it.
            for (Totals &totals : m_totals[old.id]) {
                totals.alertedPercent = 0;
                totals.denying = false;
            }
        }
    }
    m_budgets = budgets;
}

bool BudgetBook::load(QString *error)
{
    const auto rows = m_reader(definitionsQuery());
    if (!rows) {
        *error = u"reading the budgets failed"_s;
        return false;
    }
    for (const QVariantList &row : *rows) {
        QString why;
        const auto budget =
            Budget::fromJson(QJsonDocument::fromJson(row.at(0).toString().toUtf8()).object(), &why);
        if (!budget) {
            *error = u"a stored budget is invalid: %1"_s.arg(why);
            return false;
        }
        m_budgets.append(*budget);
        if (!readSpending(*budget, error))
            return false;
    }
    return true;
}

QList<Budget> BudgetBook::budgets() const
{
    return m_budgets;
}

const Budget *BudgetBook::find(const QString &id) const
{
    for (const Budget &budget : m_budgets) {
        if (budget.id == id)
            return &budget;
    }
    return nullptr;
}

std::optional<Budget> BudgetBook::put(Budget budget, QString *error)
{
    const Budget *existing = budget.id.isEmpty() ? nullptr : find(budget.id);
    if (!budget.id.isEmpty() && !existing) {
        *error = u"no budget '%1'"_s.arg(budget.id);
        return std::nullopt;
    }
    if (budget.id.isEmpty())
        budget.id = u"bu_"_s + SecretToken::generate().id;
    if (budget.name.isEmpty())
        budget.name = budget.describe();
    const bool rescoped =
        !existing || existing->layer != budget.layer || existing->subject != budget.subject ||
        existing->withinAccount != budget.withinAccount ||
        existing->withinFlow != budget.withinFlow || existing->period != budget.period;
    if (existing) {
        for (Budget &stored : m_budgets) {
            if (stored.id == budget.id)
                stored = budget;
        }
    } else {
        m_budgets.append(budget);
    }
    if (rescoped) {
        // Reservations made under the old scope still settle against the totals they were
        // made in: they are dropped with them.
        m_totals.remove(budget.id);
        if (!readSpending(budget, error))
            return std::nullopt;
    } else {
        // A new limit: thresholds are judged again against it.
        if (m_team)
            m_team->resetAlerts(budget.id);
        for (auto it = m_totals[budget.id].begin(); it != m_totals[budget.id].end(); ++it) {
            it->alertedPercent = 0;
            it->denying = false;
            checkThresholds(budget, it.key(), *it);
        }
    }
    store(budget);
    return budget;
}

bool BudgetBook::remove(const QString &id)
{
    const qsizetype removed =
        m_budgets.removeIf([&](const Budget &budget) { return budget.id == id; });
    if (!removed)
        return false;
    m_totals.remove(id);
    m_store({u"DELETE FROM budgets WHERE id = ?"_s, {id}});
    return true;
}

void BudgetBook::store(const Budget &budget)
{
    const qint64 now = m_clock();
    m_store(
        {u"INSERT INTO budgets (id, definition, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?) "
         "ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, "
         "updated_at_ms = excluded.updated_at_ms"_s,
         {budget.id,
          QString::fromUtf8(QJsonDocument(budget.toJson()).toJson(QJsonDocument::Compact)), now,
          now}});
}

BudgetBook::SpendingScope BudgetBook::spendingScope(const Budget &budget,
                                                    const PeriodWindow &window)
{
    SpendingScope scope{
        u"''"_s,
        {},
        {budget.period == BudgetPeriod::None ? kDawnOfTime : window.startMs,
         budget.period == BudgetPeriod::None ? std::numeric_limits<qint64>::max() : window.endMs}};
    QString &where = scope.where;
    QVariantList &values = scope.values;
    const auto scoped = [&](const QString &column) {
        if (budget.subject == u"*") {
            scope.instanceColumn = column;
            where = column + u" IS NOT NULL"_s;
        } else {
            where = column + u" = ?"_s;
            values.append(budget.subject);
        }
    };
    switch (budget.layer) {
    case Budget::Layer::Account:
        scoped(u"account"_s);
        break;
    case Budget::Layer::User:
        scoped(u"user_name"_s);
        break;
    case Budget::Layer::ApiKey:
        scoped(u"api_key"_s);
        break;
    case Budget::Layer::Flow:
        scoped(u"flow"_s);
        break;
    case Budget::Layer::Execution:
        scope.instanceColumn = u"execution_id"_s;
        where = u"execution_id IS NOT NULL"_s;
        if (budget.subject != u"*") {
            where += u" AND flow = ?"_s;
            values.append(budget.subject);
        }
        break;
    case Budget::Layer::Model:
        where = u"(model_alias = ? OR upstream_model = ?)"_s;
        values << budget.subject << budget.subject;
        if (!budget.withinAccount.isEmpty()) {
            where += u" AND account = ?"_s;
            values.append(budget.withinAccount);
        }
        if (!budget.withinFlow.isEmpty()) {
            where += u" AND flow = ?"_s;
            values.append(budget.withinFlow);
        }
        break;
    case Budget::Layer::Provider:
        where = u"provider = ?"_s;
        values.append(budget.subject);
        break;
    }
    return scope;
}

namespace {

// Spent micros, tokens and unpriced requests, summed over the usage rows a WHERE selects.
constexpr QLatin1String kSpendingSums(
    "COALESCE(SUM(cost_micros), 0), COALESCE(SUM(total_tokens), 0), "
    "COALESCE(SUM(CASE WHEN cost_micros IS NULL AND total_tokens > 0 THEN 1 ELSE 0 END), 0) "
    "FROM usage "
    "WHERE started_at_ms >= ? AND started_at_ms < ? AND ");

} // namespace

StoreStatement BudgetBook::seedQuery(const Budget &budget, const PeriodWindow &window,
                                     const QString &instance)
{
    SpendingScope scope = spendingScope(budget, window);
    if (scope.instanceColumn != u"''") {
        scope.where += u" AND %1 = ?"_s.arg(scope.instanceColumn);
        scope.values.append(instance);
    }
    return {u"SELECT "_s + kSpendingSums + scope.where, scope.values};
}

bool BudgetBook::readSpending(const Budget &budget, QString *error)
{
    const PeriodWindow window = BudgetPeriods::windowAt(budget.period, m_clock(), m_zone);
    const SpendingScope scope = spendingScope(budget, window);
    const auto rows = m_reader({u"SELECT %1, "_s.arg(scope.instanceColumn) + kSpendingSums +
                                    scope.where + u" GROUP BY 1"_s,
                                scope.values});
    if (!rows) {
        *error = u"reading the spending of budget %1 failed"_s.arg(budget.id);
        return false;
    }
    QHash<QString, Totals> &instances = m_totals[budget.id];
    for (const QVariantList &row : *rows) {
        Totals &totals = instances[row.at(0).toString()];
        totals.window = window;
        totals.spentMicros = row.at(1).toLongLong();
        totals.spentTokens = row.at(2).toLongLong();
        totals.unpricedRequests = row.at(3).toLongLong();
        // Thresholds already passed before this start are not announced again.
        const int percent =
            std::max(budget.limitMicros ? percentOf(totals.spentMicros, *budget.limitMicros) : 0,
                     budget.limitTokens ? percentOf(totals.spentTokens, *budget.limitTokens) : 0);
        for (int threshold : budget.alertPercents) {
            if (percent >= threshold)
                totals.alertedPercent = threshold;
        }
    }
    return true;
}

BudgetBook::Totals &BudgetBook::totals(const Budget &budget, const QString &instance)
{
    Totals &totals = m_totals[budget.id][instance];
    const qint64 now = m_clock();
    if (totals.window.endMs == 0 || !totals.window.contains(now)) {
        // A new period (or a first charge): everything starts again. Reservations made in the
        // old period settle against nothing (their cost belongs to the old period).
        totals = Totals();
        totals.window = BudgetPeriods::windowAt(budget.period, now, m_zone);
    }
    return totals;
}

QString BudgetBook::denial(const Budget &budget, const Totals &totals,
                           const BudgetEstimate &estimate, bool tokens) const
{
    const QString until = budget.period == BudgetPeriod::None
                              ? u"It is a lifetime limit: an operator must raise it."_s
                              : u"It resets at %1."_s.arg(timeText(totals.window.endMs, m_zone));
    if (tokens) {
        return u"Budget '%1' (%2) would be exceeded: limit %3 tokens, spent %4, reserved %5, "
               "this request's estimate %6. %7"_s.arg(budget.name, budget.describe())
                   .arg(*budget.limitTokens)
                   .arg(totals.spentTokens)
                   .arg(totals.reservedTokens)
                   .arg(estimate.tokens)
                   .arg(until);
    }
    if (!estimate.micros) {
        return u"Budget '%1' (%2) does not admit unpriced models: this model has no price, so "
               "its cost cannot be checked against the limit of %3. Add a price for it, or "
               "allow unpriced traffic for this budget."_s.arg(budget.name, budget.describe(),
                                                               moneyText(*budget.limitMicros));
    }
    return u"Budget '%1' (%2) would be exceeded: limit %3, spent %4, reserved %5, this "
           "request's estimate %6. %7"_s.arg(
               budget.name, budget.describe(), moneyText(*budget.limitMicros),
               moneyText(totals.spentMicros), moneyText(totals.reservedMicros),
               moneyText(*estimate.micros), until);
}

BudgetBook::Admission BudgetBook::reserve(const BudgetCharge &charge,
                                          const BudgetEstimate &estimate)
{
    QList<std::pair<const Budget *, QString>> applicable;
    for (const Budget &budget : std::as_const(m_budgets)) {
        if (budget.appliesTo(charge))
            applicable.append({&budget, budget.instanceOf(charge)});
    }
    // Check every layer first; reserve only when all admit.
    for (const auto &[budget, instance] : applicable) {
        Totals &current = totals(*budget, instance);
        QString message;
        if (budget->limitMicros) {
            if (!estimate.micros) {
                if (budget->isHard() && !budget->allowUnpriced)
                    message = denial(*budget, current, estimate, false);
            } else if (current.spentMicros + current.reservedMicros + *estimate.micros >
                       *budget->limitMicros) {
                if (budget->isHard())
                    message = denial(*budget, current, estimate, false);
            }
        }
        if (message.isEmpty() && budget->limitTokens &&
            current.spentTokens + current.reservedTokens + estimate.tokens > *budget->limitTokens &&
            budget->isHard())
            message = denial(*budget, current, estimate, true);
        if (!message.isEmpty()) {
            if (!std::exchange(current.denying, true))
                raise(*budget, instance, current, u"denying"_s, 100, message);
            Admission denied;
            denied.allowed = false;
            denied.message = message;
            denied.budgetId = budget->id;
            return denied;
        }
    }
    Admission admitted;
    if (applicable.isEmpty())
        return admitted;
    admitted.ticket = m_nextTicket++;
    QList<Hold> &holds = m_holds[admitted.ticket];
    const qint64 micros = estimate.micros.value_or(0);
    for (const auto &[budget, instance] : applicable) {
        Totals &current = totals(*budget, instance);
        current.reservedMicros += micros;
        current.reservedTokens += estimate.tokens;
        holds.append(Hold{budget->id, instance, current.window.startMs, micros, estimate.tokens});
    }
    admitted.reservedMicros = estimate.micros;
    admitted.reservedTokens = estimate.tokens;
    return admitted;
}

std::optional<BudgetHolds> BudgetBook::holdsFor(const BudgetCharge &charge,
                                                const BudgetEstimate &estimate, QString *denial)
{
    BudgetHolds holds;
    for (const Budget &budget : std::as_const(m_budgets)) {
        if (!budget.appliesTo(charge))
            continue;
        const QString instance = budget.instanceOf(charge);
        const Totals &current = totals(budget, instance);
        if (budget.limitMicros && !estimate.micros && budget.isHard() && !budget.allowUnpriced) {
            *denial = this->denial(budget, current, estimate, false);
            return std::nullopt;
        }
        BudgetHold hold;
        hold.total = {budget.id, instance, current.window.startMs};
        hold.label = u"'%1' (%2)"_s.arg(budget.name, budget.describe());
        if (budget.isHard()) {
            if (estimate.micros)
                hold.limitMicros = budget.limitMicros;
            hold.limitTokens = budget.limitTokens;
        }
        hold.micros = estimate.micros.value_or(0);
        hold.tokens = estimate.tokens;
        hold.seed = seedQuery(budget, current.window, instance);
        holds.append(hold);
    }
    return holds;
}

void BudgetBook::settle(quint64 ticket, std::optional<qint64> micros, qint64 tokens)
{
    finish(ticket, micros, tokens, true);
}

void BudgetBook::release(quint64 ticket)
{
    finish(ticket, 0, 0, false);
}

void BudgetBook::finish(quint64 ticket, std::optional<qint64> micros, qint64 tokens, bool charged)
{
    const auto found = m_holds.constFind(ticket);
    if (found == m_holds.constEnd())
        return;
    const QList<Hold> holds = *found;
    m_holds.erase(found);
    for (const Hold &hold : holds) {
        const Budget *budget = find(hold.budgetId);
        if (!budget)
            continue; // deleted meanwhile
        auto instances = m_totals.find(hold.budgetId);
        if (instances == m_totals.end() || !instances->contains(hold.instance))
            continue; // re-scoped meanwhile
        Totals &current = (*instances)[hold.instance];
        if (current.window.startMs != hold.periodStartMs)
            continue; // made in a period that has ended
        current.reservedMicros -= hold.micros;
        current.reservedTokens -= hold.tokens;
        if (!charged)
            continue;
        if (micros)
            current.spentMicros += *micros;
        else if (tokens > 0)
            ++current.unpricedRequests;
        current.spentTokens += tokens;
        checkThresholds(*budget, hold.instance, current);
    }
}

void BudgetBook::checkThresholds(const Budget &budget, const QString &instance, Totals &totals)
{
    const int percent =
        std::max(budget.limitMicros ? percentOf(totals.spentMicros, *budget.limitMicros) : 0,
                 budget.limitTokens ? percentOf(totals.spentTokens, *budget.limitTokens) : 0);
    int crossed = 0;
    for (int threshold : budget.alertPercents) {
        if (percent >= threshold && threshold > totals.alertedPercent)
            crossed = threshold;
    }
    if (!crossed)
        return;
    totals.alertedPercent = crossed;
    const QString spent =
        budget.limitMicros
            ? u"%1 of %2"_s.arg(moneyText(totals.spentMicros), moneyText(*budget.limitMicros))
            : u"%1 of %2 tokens"_s.arg(totals.spentTokens).arg(*budget.limitTokens);
    raise(budget, instance, totals, u"threshold"_s, crossed,
          u"Budget '%1' (%2)%3 has used %4% (%5)."_s
              .arg(budget.name, budget.describe(),
                   instance.isEmpty() ? QString() : u" for %1"_s.arg(instance))
              .arg(percent)
              .arg(spent));
}

void BudgetBook::raise(const Budget &budget, const QString &instance, const Totals &totals,
                       const QString &kind, int percent, const QString &message)
{
    const BudgetAlert alert{budget.id, kind, percent, message};
    if (m_team && kind == u"threshold") {
        // Every gateway sees the shared totals cross; the one that claims the crossing in the
        // database records it, each tells its own console.
        m_team->recordAlert({budget.id, instance, totals.window.startMs}, alert, m_clock());
    } else {
        m_store({u"INSERT INTO budget_alerts (budget_id, kind, percent, message, at_ms) "
                 "VALUES (?, ?, ?, ?, ?)"_s,
                 {budget.id, kind, percent, message, m_clock()}});
    }
    if (m_alertSink)
        m_alertSink(alert);
}

QList<qint64> BudgetBook::periodStarts() const
{
    const qint64 now = m_clock();
    QList<qint64> starts;
    for (const Budget &budget : m_budgets) {
        const qint64 start = BudgetPeriods::windowAt(budget.period, now, m_zone).startMs;
        if (!starts.contains(start))
            starts.append(start);
    }
    return starts;
}

bool BudgetBook::applyShared(const QList<QVariantList> &rows)
{
    const qint64 now = m_clock();
    bool changed = false;
    for (const QVariantList &row : rows) {
        const Budget *budget = find(row.at(0).toString());
        if (!budget ||
            row.at(2).toLongLong() != BudgetPeriods::windowAt(budget->period, now, m_zone).startMs)
            continue;
        const QString instance = row.at(1).toString();
        Totals &current = totals(*budget, instance);
        const qint64 spentMicros = row.at(3).toLongLong();
        const qint64 spentTokens = row.at(4).toLongLong();
        const qint64 reservedMicros = row.at(5).toLongLong();
        const qint64 reservedTokens = row.at(6).toLongLong();
        const qint64 unpriced = row.at(7).toLongLong();
        if (std::tie(current.spentMicros, current.spentTokens, current.reservedMicros,
                     current.reservedTokens, current.unpricedRequests) ==
            std::tie(spentMicros, spentTokens, reservedMicros, reservedTokens, unpriced))
            continue;
        current.spentMicros = spentMicros;
        current.spentTokens = spentTokens;
        current.reservedMicros = reservedMicros;
        current.reservedTokens = reservedTokens;
        current.unpricedRequests = unpriced;
        changed = true;
        checkThresholds(*budget, instance, current);
    }
    return changed;
}

void BudgetBook::deniedShared(const QString &budgetId, const QString &instance,
                              const QString &message)
{
    const Budget *budget = find(budgetId);
    if (!budget)
        return;
    Totals &current = totals(*budget, instance);
    if (!std::exchange(current.denying, true))
        raise(*budget, instance, current, u"denying"_s, 100, message);
}

QJsonObject BudgetBook::status(const Budget &budget) const
{
    QJsonObject json = budget.toJson();
    QJsonArray instances;
    const qint64 now = m_clock();
    const PeriodWindow window = BudgetPeriods::windowAt(budget.period, now, m_zone);
    const QHash<QString, Totals> current = m_totals.value(budget.id);
    const auto describe = [&](const QString &instance, const Totals &totals) {
        const bool live = totals.window.contains(now);
        const Totals shown = live ? totals : Totals();
        QJsonObject entry{
            {u"instance"_s, instance.isEmpty() ? QJsonValue() : QJsonValue(instance)},
            {u"spentMicros"_s, shown.spentMicros},
            {u"reservedMicros"_s, shown.reservedMicros},
            {u"spentTokens"_s, shown.spentTokens},
            {u"reservedTokens"_s, shown.reservedTokens},
            {u"unpricedRequests"_s, shown.unpricedRequests},
            {u"remainingMicros"_s,
             optionalNumber(budget.limitMicros
                                ? std::optional<qint64>(*budget.limitMicros - shown.spentMicros -
                                                        shown.reservedMicros)
                                : std::nullopt)},
            {u"remainingTokens"_s,
             optionalNumber(budget.limitTokens
                                ? std::optional<qint64>(*budget.limitTokens - shown.spentTokens -
                                                        shown.reservedTokens)
                                : std::nullopt)},
        };
        instances.append(entry);
    };
    if (current.isEmpty())
        describe({}, Totals());
    for (auto it = current.constBegin(); it != current.constEnd(); ++it)
        describe(it.key(), *it);
    json.insert(u"periodStart"_s, timeText(window.startMs, m_zone));
    json.insert(u"periodEnd"_s, timeText(window.endMs, m_zone));
    json.insert(u"usage"_s, instances);
    // The single-total figures at the top level, for the common case.
    if (instances.size() == 1) {
        const QJsonObject only = instances.first().toObject();
        for (auto it = only.constBegin(); it != only.constEnd(); ++it) {
            if (it.key() != u"instance")
                json.insert(it.key(), it.value());
        }
    }
    return json;
}
