#pragma once

#include "ledger/storestatement.h"

#include <QDeadlineTimer>
#include <QList>
#include <QMutex>
#include <QObject>
#include <QWaitCondition>

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

    // Takes up to max writes from the front.
    QList<StoreWrite> take(qsizetype max);
    // Puts writes taken but not written back at the front, in their order.
    void putBack(QList<StoreWrite> writes);

    // Counts writes as durable and wakes callers of waitUntilWritten().
    void markWritten(qsizetype count);
    // Blocks until every record pushed so far is written or the deadline passes.
    bool waitUntilWritten(QDeadlineTimer deadline);

    qsizetype pending() const;
    // The bytes of bodies queued: up to kMaxQueuedBodyBytes (a failed batch put back may pass
    // it).
    qint64 queuedBodyBytes() const;
    // How many writes, from the first, are written (never decreases).
    quint64 written() const;

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
};
