#pragma once

#include "budget/budgethold.h"
#include "ledger/databaselocation.h"

#include <QByteArray>
#include <QMetaType>
#include <QObject>
#include <QThread>

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
        QString budgetId;
    };
    using Done = std::function<void(const Answer &)>;

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

private:
    QString m_gatewayId;
    QThread m_thread;
    QObject *m_desk; // lives in m_thread
};

Q_DECLARE_METATYPE(TeamBudgets::Answer)
