#pragma once

#include "ledger/storestatement.h"

#include <QDeadlineTimer>
#include <QList>
#include <QMutex>
#include <QObject>
#include <QWaitCondition>

#include <atomic>
#include <deque>

// The hand-off between the gateway's threads and the store's writer: append-only under a short
// lock, with counters that let a caller wait until what it enqueued is written.
//
// Bounded in memory: while the store is behind (its database locked or away), the request and
// response bodies queued for events stop at kMaxQueuedBodyBytes; past it a record keeps its
// usage, sizes and timings and sheds its bodies (RequestCapture::bodiesShed). Money is never shed.
class StoreQueue
{
public:
    static constexpr qint64 kMaxQueuedBodyBytes = qint64(64) << 20;

    // Appends; on the empty-to-non-empty transition, posts one drain() call to the consumer.
    // Returns the write's place in the queue: it is written once written() reaches it.
    quint64 push(StoreWrite write);

    // Who is woken on push; nullptr while no writer runs. Wakes a new consumer at once when
    // writes are waiting.
    void setConsumer(QObject *consumer);

    // Moves up to max writes from the front to the end of into (a list kept from batch to
    // batch keeps its capacity: no fresh pages to fault in for every batch).
    void take(qsizetype max, QList<StoreWrite> *into);
    // Puts writes taken but not written back at the front, in their order.
    void putBack(QList<StoreWrite> writes);

    // Counts writes (records of them) as durable and wakes callers of waitUntilWritten().
    void markWritten(qsizetype count, qsizetype records);
    // Blocks until every record pushed so far is written or the deadline passes.
    bool waitUntilWritten(QDeadlineTimer deadline);

    qsizetype pending() const;
    // The bytes of bodies queued: up to kMaxQueuedBodyBytes (a failed batch put back may pass
    // it).
    qint64 queuedBodyBytes() const;
    // How many writes, from the first, are written (never decreases).
    quint64 written() const;
    // Usage records pushed and not written yet, the batch being written included. Lock-free:
    // for the request path, which refuses model traffic while the store is too far behind.
    quint64 recordBacklog() const
    {
        // Written first: a record is counted pushed before it is counted written, so the
        // difference never goes below zero.
        const quint64 written = m_recordsWritten.load(std::memory_order_acquire);
        return m_recordsPushed.load(std::memory_order_relaxed) - written;
    }

private:
    void wake();

    mutable QMutex m_mutex;
    QWaitCondition m_writtenChanged;
    // A deque: a backlog (the database locked for seconds) grows without ever moving what it
    // holds, so a push never copies the whole queue while the gateway thread waits.
    std::deque<StoreWrite> m_writes;
    QObject *m_consumer = nullptr;
    qint64 m_bodyBytes = 0;
    quint64 m_pushed = 0;
    quint64 m_written = 0;
    // Changed under m_mutex; atomic for recordBacklog().
    std::atomic<quint64> m_recordsPushed = 0;
    std::atomic<quint64> m_recordsWritten = 0;
};
