#pragma once

#include "budget/budgetalert.h"
#include "budget/budgethold.h"
#include "ledger/databaselocation.h"

#include <QByteArray>
#include <QMetaType>
#include <QObject>
#include <QThread>
#include <QVariantList>

#include <functional>
#include <optional>

// Team mode's budgets: the totals every gateway on one PostgreSQL database shares. A request's
// reservation is one transaction (a conditional UPDATE per layer, all or none), made on a
// connection and a thread of its own so the gateway thread never waits on the database; the
// answer comes back to the asking object's thread. Reservations carry this gateway's id and a
// lease it renews; any gateway releases the reservations whose lease has passed (a crashed
// one's). Settles and releases that fail (the database is away) are kept and retried.
class TeamBudgets
{
public:
    struct Answer
    {
        enum class Verdict
        {
            Admitted,
            Denied,     // a layer would be exceeded; message names it and the numbers
            Unavailable // the database could not be asked; message says why
        };
        Verdict verdict = Verdict::Admitted;
        QString message;
        QString budgetId; // denied: the budget and the total that refused
        QString instance;
    };
    using Done = std::function<void(const Answer &)>;
    // The totals read, or nothing when the database could not be asked.
    using TotalsRead = std::function<void(const std::optional<QList<QVariantList>> &)>;

    TeamBudgets(DatabaseLocation location, QString gatewayId, qint64 leaseMs);
    // Waits for the job running; settles not yet written are lost with the process (their
    // reservations are released by the lease).
    ~TeamBudgets();
    TeamBudgets(const TeamBudgets &) = delete;
    TeamBudgets &operator=(const TeamBudgets &) = delete;

    const QString &gatewayId() const { return m_gatewayId; }

    // Thread-safe; jobs run in the order they are posted. done runs on context's thread
    // unless context is gone by then.
    void reserve(const QByteArray &ticket, BudgetHolds holds, QObject *context, Done done);
    // The real cost replaces the reservation (micros empty: unpriced).
    void settle(const QByteArray &ticket, BudgetHolds holds, std::optional<qint64> micros,
                qint64 tokens);
    // Nothing was spent: the reservation goes.
    void release(const QByteArray &ticket);

    // The shared totals of these periods (rows as BudgetBook::applyShared takes them); done
    // runs on context's thread.
    void readTotals(const QList<qint64> &periodStarts, QObject *context, TotalsRead done);
    // Records a threshold alert in the ledger unless another gateway already recorded this
    // crossing of this total (kept and retried while the database is away).
    void recordAlert(const BudgetTotalKey &total, const BudgetAlert &alert, qint64 atMs);
    // A budget's new limit: its thresholds may be crossed, and recorded, again.
    void resetAlerts(const QString &budgetId);

private:
    QString m_gatewayId;
    QThread m_thread;
    QObject *m_desk; // lives in m_thread
};

Q_DECLARE_METATYPE(TeamBudgets::Answer)
