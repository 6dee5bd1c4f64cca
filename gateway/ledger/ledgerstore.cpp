#include "ledgerstore.h"

#include "ledger/ledgerwriter.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QThread>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#endif

using namespace Qt::StringLiterals;

namespace {
Q_LOGGING_CATEGORY(lcStore, "gatehouse.ledger.store")

// The store is background work: at nice 10 its batches give way to the request path (the gateway
// thread, and on a small machine the client and the provider beside it) when they compete for a
// CPU; the queue holds what is not written yet, and on an idle CPU the store runs at full speed.
// On the bench machine (2 CPUs, everything on it) worth 1-3% more requests per second at c=32, in
// six of six alternating runs. Lowering one's own priority needs no privilege.
void runInTheBackground()
{
#ifdef Q_OS_LINUX
    if (setpriority(PRIO_PROCESS, id_t(gettid()), LedgerStore::kStoreNice) != 0)
        qCWarning(lcStore, "could not lower the store thread's priority: %s", strerror(errno));
#endif
}
} // namespace

LedgerStore::LedgerStore(QObject *parent)
    : QObject(parent)
{}

LedgerStore::~LedgerStore()
{
    close();
}

bool LedgerStore::open(const DatabaseLocation &location, QString *error)
{
    if (isOpen()) {
        if (error)
            *error = u"the ledger store is already open"_s;
        return false;
    }

    auto *thread = new QThread(this);
    thread->setObjectName(u"ledger-store"_s);
    auto *writer = new LedgerWriter(&m_queue, location, m_eventSettings);
    writer->moveToThread(thread);
    connect(thread, &QThread::finished, writer, &QObject::deleteLater);
    thread->start();

    bool opened = false;
    QString openError;
    QMetaObject::invokeMethod(
        writer,
        [&] {
            runInTheBackground();
            opened = writer->open(&openError);
        },
        Qt::BlockingQueuedConnection);
    if (!opened) {
        thread->quit();
        thread->wait();
        delete thread;
        if (error)
            *error = openError;
        return false;
    }

    connect(writer, &LedgerWriter::batchWritten, this, &LedgerStore::recordsWritten);
    connect(writer, &LedgerWriter::writeFailed, this, &LedgerStore::writeFailed);
    connect(writer, &LedgerWriter::usageElsewhere, this, &LedgerStore::usageElsewhere);
    connect(writer, &LedgerWriter::changedElsewhere, this, &LedgerStore::changedElsewhere);
    m_location = location;
    m_thread = thread;
    m_writer = writer;
    m_queue.setConsumer(writer);
    return true;
}

void LedgerStore::enqueue(UsageRecord record)
{
    m_queue.push(std::move(record));
}

quint64 LedgerStore::execute(StoreStatement statement)
{
    return m_queue.push(std::move(statement));
}

std::optional<QList<QVariantList>> LedgerStore::select(StoreStatement query, QString *error)
{
    if (!isOpen()) {
        if (error)
            *error = u"the ledger store is not open"_s;
        return std::nullopt;
    }
    std::optional<QList<QVariantList>> rows;
    QString failure;
    QMetaObject::invokeMethod(
        m_writer, [&] { rows = m_writer->select(query, &failure); }, Qt::BlockingQueuedConnection);
    if (!rows && error)
        *error = failure;
    return rows;
}

void LedgerStore::selectLater(StoreStatement query, QObject *context,
                              std::function<void(const QList<QVariantList> &)> done)
{
    readLater({std::move(query)}, context, [done = std::move(done)](const StoreReading &reading) {
        done(reading.results ? reading.results->constFirst() : QList<QVariantList>());
    });
}

void LedgerStore::readLater(QList<StoreStatement> queries, QObject *context,
                            std::function<void(const StoreReading &)> done)
{
    if (!isOpen())
        return;
    LedgerWriter *writer = m_writer;
    StoreQueue *queue = &m_queue;
    QMetaObject::invokeMethod(
        writer,
        [writer, queue, queries = std::move(queries), context = QPointer<QObject>(context),
         done = std::move(done)]() mutable {
            StoreReading reading;
            reading.writtenBefore = queue->written();
            QList<QList<QVariantList>> results;
            for (const StoreStatement &query : std::as_const(queries)) {
                auto rows = writer->select(query, &reading.error);
                if (!rows)
                    break;
                results.append(std::move(*rows));
            }
            if (results.size() == queries.size())
                reading.results = std::move(results);
            if (!context)
                return;
            QMetaObject::invokeMethod(
                context.data(), [done = std::move(done), reading] { done(reading); },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

bool LedgerStore::flush(QDeadlineTimer deadline)
{
    if (!isOpen())
        return m_queue.pending() == 0;
    return m_queue.waitUntilWritten(deadline);
}

void LedgerStore::close(QDeadlineTimer deadline)
{
    if (!isOpen())
        return;
    if (!flush(deadline))
        qCWarning(lcStore) << "closing the ledger with" << m_queue.pending()
                           << "usage records not yet written; they stay queued";

    m_queue.setConsumer(nullptr);
    LedgerWriter *writer = std::exchange(m_writer, nullptr);
    QMetaObject::invokeMethod(
        writer, [writer] { writer->close(); }, Qt::BlockingQueuedConnection);
    // The writer is deleted in its own thread as the thread finishes.
    m_thread->quit();
    m_thread->wait();
    delete std::exchange(m_thread, nullptr);
}
