#pragma once

#include "budget/budget.h"
#include "budget/budgetalert.h"
#include "budget/budgethold.h"
#include "ledger/storestatement.h"
#include "policy/policyclock.h"

#include <QHash>
#include <QTimeZone>

class TeamBudgets;

// What a request is expected to cost before it is sent: micro-dollars (empty: the model is
// unpriced) and tokens.
struct BudgetEstimate
{
    std::optional<qint64> micros;
    qint64 tokens = 0;
};

// The budgets and their running totals, on the gateway thread. Before dispatch every budget
// that applies is checked and the request's estimate reserved on all of them at once (one
// thread: nothing runs between the check and the reservation); after the response the
// reservation is replaced by the real cost. Totals live in memory and are rebuilt from the
// ledger at start (reservations of a crashed run are gone with it); a new or re-scoped budget
// reads its period's spending from the ledger once.
class BudgetBook
{
public:
    // Runs a read on the store (start-up and administration only).
    using StoreReader = std::function<std::optional<QList<QVariantList>>(const StoreStatement &)>;
    using AlertSink = std::function<void(const BudgetAlert &)>;

    BudgetBook(StoreSink store, StoreReader reader, PolicyClock clock, QTimeZone zone);
    void setAlertSink(AlertSink sink) { m_alertSink = std::move(sink); }

    // Loads the stored budgets and their current period's spending.
    bool load(QString *error);
    static StoreStatement definitionsQuery();
    // Team mode: the budgets as another gateway stored them (rows of definitionsQuery()). The
    // spending is the shared totals', so nothing is read from the ledger here.
    void replace(const QList<QVariantList> &rows);

    QList<Budget> budgets() const;
    const Budget *find(const QString &id) const;
    // Adds (no id) or replaces a budget; spending is re-read when its scope or period changed.
    std::optional<Budget> put(Budget budget, QString *error);
    bool remove(const QString &id);

    struct Admission
    {
        bool allowed = true;
        quint64 ticket = 0; // for settle(); 0 when nothing was reserved
        QString message;    // denied: the budget, its scope, limit, spent, reserved, estimate
        QString budgetId;   // denied: which budget
        std::optional<qint64> reservedMicros; // what was reserved (the largest layer's hold)
        qint64 reservedTokens = 0;
    };
    Admission reserve(const BudgetCharge &charge, const BudgetEstimate &estimate);
    // Team mode: what reserve() would hold, for the shared totals to check and hold at once
    // (nothing is held here). Empty with *denial when a layer refuses on its own terms (an
    // unpriced model under a hard USD budget).
    std::optional<BudgetHolds> holdsFor(const BudgetCharge &charge, const BudgetEstimate &estimate,
                                        QString *denial);
    // Replaces the reservation by the real cost (empty micros: unpriced usage).
    void settle(quint64 ticket, std::optional<qint64> micros, qint64 tokens);
    // The request never reached the provider: the reservation goes, nothing is charged.
    void release(quint64 ticket);

    qsizetype openReservations() const { return m_holds.size(); }
    // Team mode: the running totals are the database's (budget_totals, shared by every gateway
    // on it, held through TeamBudgets). This book keeps the latest snapshot of them for
    // status() and the alerts; threshold alerts are recorded once for the team.
    void setTeam(TeamBudgets *team) { m_team = team; }
    // The current periods' starts of every budget: which shared totals to read.
    QList<qint64> periodStarts() const;
    // A snapshot of the shared totals (budget_id, instance, period_start_ms, spent_micros,
    // spent_tokens, reserved_micros, reserved_tokens, unpriced_requests); alerts thresholds
    // crossed. True when a figure changed.
    bool applyShared(const QList<QVariantList> &rows);
    // The shared totals refused a request on this budget: the first refusal alerts.
    void deniedShared(const QString &budgetId, const QString &instance, const QString &message);
    // A budget with its totals for the current period (every instance for per-run ceilings).
    QJsonObject status(const Budget &budget) const;

private:
    struct Totals
    {
        PeriodWindow window;
        qint64 spentMicros = 0;
        qint64 spentTokens = 0;
        qint64 reservedMicros = 0;
        qint64 reservedTokens = 0;
        qint64 unpricedRequests = 0;
        int alertedPercent = 0;
        bool denying = false;
    };
    struct Hold
    {
        QString budgetId;
        QString instance;
        qint64 periodStartMs = 0;
        qint64 micros = 0;
        qint64 tokens = 0;
    };
    // The usage rows a budget counts: a WHERE over the ledger with its values (the period's
    // bounds first), and the column that tells a per-subject budget's totals apart ('' if none).
    struct SpendingScope
    {
        QString instanceColumn;
        QString where;
        QVariantList values;
    };
    static SpendingScope spendingScope(const Budget &budget, const PeriodWindow &window);
    static StoreStatement seedQuery(const Budget &budget, const PeriodWindow &window,
                                    const QString &instance);
    Totals &totals(const Budget &budget, const QString &instance);
    bool readSpending(const Budget &budget, QString *error);
    void checkThresholds(const Budget &budget, const QString &instance, Totals &totals);
    void raise(const Budget &budget, const QString &instance, const Totals &totals,
               const QString &kind, int percent, const QString &message);
    QString denial(const Budget &budget, const Totals &totals, const BudgetEstimate &estimate,
                   bool tokens) const;
    void finish(quint64 ticket, std::optional<qint64> micros, qint64 tokens, bool charged);
    void store(const Budget &budget);

    StoreSink m_store;
    StoreReader m_reader;
    PolicyClock m_clock;
    QTimeZone m_zone;
    AlertSink m_alertSink;
    QList<Budget> m_budgets;
    QHash<QString, QHash<QString, Totals>> m_totals; // budget id -> instance -> totals
    QHash<quint64, QList<Hold>> m_holds;
    quint64 m_nextTicket = 1;
    TeamBudgets *m_team = nullptr;
};
