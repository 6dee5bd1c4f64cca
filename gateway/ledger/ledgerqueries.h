#pragma once

#include "ledger/databaselocation.h"
#include "ledger/ledgeranswer.h"

#include <QSqlDatabase>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>

class QObject;

// Answers read-only questions about the ledger on its own thread, with its own read-only
// connection, so neither the gateway thread nor the store thread ever waits for a query. Each
// answer comes back on the asking object's thread as a value, and is dropped if that object is
// gone by then. Queries run one at a time; each must be bounded (a time window and a LIMIT):
// a reader that never pauses keeps the WAL from being checkpointed.
class LedgerQueries
{
public:
    // What runs on the reader thread: the connection in, the answer out.
    using Work = std::function<LedgerAnswer(const QSqlDatabase &)>;
    using Done = std::function<void(const LedgerAnswer &)>;

    // Starts the thread; the ledger is opened there at the first query (and again after a
    // failure), so the store must have created it by then.
    explicit LedgerQueries(DatabaseLocation location);
    // Waits for the query running; the others are dropped unanswered.
    ~LedgerQueries();
    LedgerQueries(const LedgerQueries &) = delete;
    LedgerQueries &operator=(const LedgerQueries &) = delete;

    // Thread-safe. done runs on context's thread, unless context is destroyed first.
    void post(QObject *context, Work work, Done done);

private:
    QThread m_thread;
    QObject *m_reader; // lives in m_thread
    std::shared_ptr<std::atomic_bool> m_stopping;
};
