#pragma once

#include "ledger/storestatement.h"
#include "policy/flowexecution.h"
#include "policy/policyclock.h"

#include <QHash>
#include <QList>

// The flow executions: opened when a run starts, closed with its exit status. Lives on the
// gateway thread; changes go to the store. Finished executions older than a day are forgotten
// in memory (the store keeps them).
class ExecutionBook
{
public:
    ExecutionBook(StoreSink store, PolicyClock clock);

    static StoreStatement loadQuery(qint64 nowMs);
    // Replaces the book's executions by these rows (at start, and in team mode when another
    // gateway opened or closed one).
    void load(const QList<QVariantList> &rows);

    FlowExecution open(FlowExecution execution); // id, status and start time are set here
    // Records the end; closing twice keeps the first end. Empty when there is no such id.
    std::optional<FlowExecution> close(const QString &id, int exitStatus);
    const FlowExecution *find(const QString &id) const;
    QList<FlowExecution> list() const; // newest first

private:
    void forgetOld();

    StoreSink m_store;
    PolicyClock m_clock;
    QHash<QString, FlowExecution> m_executions;
};
