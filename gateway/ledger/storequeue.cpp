#include "storequeue.h"

#include <QMetaObject>
#include <QMutexLocker>

#include <iterator>
#include <memory>

namespace {

qint64 bodyBytes(const StoreWrite &write)
{
    const auto *record = std::get_if<UsageRecord>(&write);
    if (!record || !record->capture)
        return 0;
    return record->capture->requestBody.size() + record->capture->responseBody.size();
}

qint64 bodyBytes(const QList<StoreWrite> &writes)
{
    qint64 bytes = 0;
    for (const StoreWrite &write : writes)
        bytes += bodyBytes(write);
    return bytes;
}

} // namespace

quint64 StoreQueue::push(StoreWrite write)
{
    qint64 bytes = bodyBytes(write);
    QMutexLocker lock(&m_mutex);
    if (bytes > 0 && m_bodyBytes + bytes > kMaxQueuedBodyBytes) {
        auto &capture = std::get<UsageRecord>(write).capture;
        auto shed = std::make_shared<RequestCapture>(*capture);
        shed->requestBody.clear();
        shed->responseBody.clear();
        shed->bodiesShed = true;
        capture = std::move(shed);
        bytes = 0;
    }
    m_bodyBytes += bytes;
    m_writes.push_back(std::move(write));
    if (std::holds_alternative<UsageRecord>(m_writes.back()))
        ++m_recordsPushed;
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

void StoreQueue::take(qsizetype max, QList<StoreWrite> *into)
{
    const qsizetype from = into->size();
    QMutexLocker lock(&m_mutex);
    const auto end = m_writes.begin() + qMin(qsizetype(m_writes.size()), max);
    into->reserve(from + (end - m_writes.begin()));
    std::move(m_writes.begin(), end, std::back_inserter(*into));
    m_writes.erase(m_writes.begin(), end);
    for (qsizetype i = from; i < into->size(); ++i)
        m_bodyBytes -= bodyBytes(into->at(i));
}

void StoreQueue::putBack(QList<StoreWrite> writes)
{
    if (writes.isEmpty())
        return;
    const qint64 bytes = bodyBytes(writes);
    QMutexLocker lock(&m_mutex);
    m_bodyBytes += bytes;
    m_writes.insert(m_writes.begin(), std::make_move_iterator(writes.begin()),
                    std::make_move_iterator(writes.end()));
}

void StoreQueue::markWritten(qsizetype count, qsizetype records)
{
    QMutexLocker lock(&m_mutex);
    m_written += quint64(count);
    m_recordsWritten += quint64(records);
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

qint64 StoreQueue::queuedBodyBytes() const
{
    QMutexLocker lock(&m_mutex);
    return m_bodyBytes;
}

quint64 StoreQueue::written() const
{
    QMutexLocker lock(&m_mutex);
    return m_written;
}
