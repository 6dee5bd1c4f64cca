#include "storequeue.h"

#include <QMetaObject>
#include <QMutexLocker>

#include <iterator>

quint64 StoreQueue::push(StoreWrite write)
{
    QMutexLocker lock(&m_mutex);
    m_writes.push_back(std::move(write));
    ++m_pushed;
    if (m_writes.size() == 1)
        wake();
    return m_pushed;
}

void StoreQueue::setConsumer(QObject *consumer)
{
    QMutexLocker lock(&m_mutex);
    m_consumer = consumer;
    if (!m_writes.empty())
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
    const auto end = m_writes.begin() + qMin(qsizetype(m_writes.size()), max);
    QList<StoreWrite> batch;
    batch.reserve(end - m_writes.begin());
    std::move(m_writes.begin(), end, std::back_inserter(batch));
    m_writes.erase(m_writes.begin(), end);
    return batch;
}

void StoreQueue::putBack(QList<StoreWrite> writes)
{
    if (writes.isEmpty())
        return;
    QMutexLocker lock(&m_mutex);
    m_writes.insert(m_writes.begin(), std::make_move_iterator(writes.begin()),
                    std::make_move_iterator(writes.end()));
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
    return qsizetype(m_writes.size());
}

quint64 StoreQueue::written() const
{
    QMutexLocker lock(&m_mutex);
    return m_written;
}
