#include "usagequeue.h"

#include <QMetaObject>
#include <QMutexLocker>

void UsageQueue::push(UsageRecord record)
{
    QMutexLocker lock(&m_mutex);
    m_records.append(std::move(record));
    ++m_pushed;
    if (m_records.size() == 1)
        wake();
}

void UsageQueue::setConsumer(QObject *consumer)
{
    QMutexLocker lock(&m_mutex);
    m_consumer = consumer;
    if (!m_records.isEmpty())
        wake();
}

void UsageQueue::wake()
{
    // Posting under the lock is what keeps the consumer alive: setConsumer(nullptr) cannot
    // return while a push is about to post to it. A post only queues an event; it never waits.
    if (m_consumer)
        QMetaObject::invokeMethod(m_consumer, "drain", Qt::QueuedConnection);
}

QList<UsageRecord> UsageQueue::take(qsizetype max)
{
    QMutexLocker lock(&m_mutex);
    if (m_records.size() <= max)
        return std::exchange(m_records, {});
    QList<UsageRecord> batch = m_records.first(max);
    m_records.remove(0, max);
    return batch;
}

void UsageQueue::putBack(QList<UsageRecord> records)
{
    if (records.isEmpty())
        return;
    QMutexLocker lock(&m_mutex);
    records.append(std::move(m_records));
    m_records = std::move(records);
}

void UsageQueue::markWritten(qsizetype count)
{
    QMutexLocker lock(&m_mutex);
    m_written += quint64(count);
    m_writtenChanged.wakeAll();
}

bool UsageQueue::waitUntilWritten(QDeadlineTimer deadline)
{
    QMutexLocker lock(&m_mutex);
    const quint64 target = m_pushed;
    while (m_written < target) {
        if (!m_writtenChanged.wait(&m_mutex, deadline))
            return m_written >= target;
    }
    return true;
}

qsizetype UsageQueue::pending() const
{
    QMutexLocker lock(&m_mutex);
    return m_records.size();
}
