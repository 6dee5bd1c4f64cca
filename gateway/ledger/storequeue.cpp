#include "storequeue.h"

#include <QMetaObject>
#include <QMutexLocker>

quint64 StoreQueue::push(StoreWrite write)
{
    QMutexLocker lock(&m_mutex);
    m_writes.append(std::move(write));
    ++m_pushed;
    if (m_writes.size() == 1)
        wake();
    return m_pushed;
}

void StoreQueue::setConsumer(QObject *consumer)
{
    QMutexLocker lock(&m_mutex);
    m_consumer = consumer;
    if (!m_writes.isEmpty())
        wake();
}

void StoreQueue::wake()
{
    // Posting under the lock is what keeps the consumer alive: setConsumer(nullptr) cannot
    // return while a push is about to post to it. A post only queues an event; it never waits.
    if (m_consumer)
        QMetaObject::invokeMethod(m_consumer, "drain", Qt::QueuedConnection);
}

QList<StoreWrite> StoreQueue::take(qsizetype max)
{
    QMutexLocker lock(&m_mutex);
    if (m_writes.size() <= max)
        return std::exchange(m_writes, {});
    QList<StoreWrite> batch = m_writes.first(max);
    m_writes.remove(0, max);
    return batch;
}

void StoreQueue::putBack(QList<StoreWrite> writes)
{
    if (writes.isEmpty())
        return;
    QMutexLocker lock(&m_mutex);
    writes.append(std::move(m_writes));
    m_writes = std::move(writes);
}

void StoreQueue::markWritten(qsizetype count)
{
    QMutexLocker lock(&m_mutex);
    m_written += quint64(count);
    m_writtenChanged.wakeAll();
}

bool StoreQueue::waitUntilWritten(QDeadlineTimer deadline)
{
    QMutexLocker lock(&m_mutex);
    const quint64 target = m_pushed;
    while (m_written < target) {
        if (!m_writtenChanged.wait(&m_mutex, deadline))
            return m_written >= target;
    }
    return true;
}

qsizetype StoreQueue::pending() const
{
    QMutexLocker lock(&m_mutex);
    return m_writes.size();
}

quint64 StoreQueue::written() const
{
    QMutexLocker lock(&m_mutex);
    return m_written;
}
