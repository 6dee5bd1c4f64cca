#pragma once

#include "config/configuration.h"
#include "ledger/databaselocation.h"
#include "ledger/storequeue.h"

#include <QDeadlineTimer>
#include <QObject>
#include <QString>

#include <optional>

class LedgerWriter;
class QThread;

// Reads done on the store thread for the gateway thread (LedgerStore::readLater).
struct StoreReading
{
    std::optional<QList<QList<QVariantList>>> results; // one per query; empty when one failed
    QString error;
    // The writes queued up to this place (LedgerStore::execute()'s answer) were committed before
    // the reads ran: a later one of the reader's own may be missing from the results.
    quint64 writtenBefore = 0;
};

// The usage ledger on a SQLite file or a PostgreSQL database: request threads enqueue records
// without ever waiting on the database; the store's own thread writes them in batches.
class LedgerStore : public QObject
{
    Q_OBJECT

public:
    // The store thread's nice value (Linux): below the request path.
    static constexpr int kStoreNice = 10;

    explicit LedgerStore(QObject *parent = nullptr);
    ~LedgerStore() override;

    // What the events keep (previews, bodies, retention, redaction); set before open().
    void setEventSettings(const EventSettings &settings) { m_eventSettings = settings; }

    // Starts the store thread, opens the connection inside it and applies the migrations.
    // Returns once the store is ready or has failed.
    bool open(const DatabaseLocation &location, QString *error);
    bool isOpen() const { return m_writer != nullptr; }
    // Where the store is (after open()).
    const DatabaseLocation &location() const { return m_location; }

    // Thread-safe; never blocks on the database. Records enqueued while closed wait for open().
    void enqueue(UsageRecord record);
    // The same for any other change; runs after everything queued before it. Returns its place
    // in the queue (see StoreReading::writtenBefore).
    quint64 execute(StoreStatement statement);

    // Runs a query on the store thread and waits for its rows (start-up and administration
    // only: it waits behind the batch being written). Empty with *error when it fails.
    std::optional<QList<QVariantList>> select(StoreStatement query, QString *error);
    // The same without waiting: done runs on context's thread with the rows (empty when the
    // query failed), unless context is gone by then.
    void selectLater(StoreStatement query, QObject *context,
                     std::function<void(const QList<QVariantList> &)> done);
    // Several queries, one after the other on the store thread, without waiting: done runs on
    // context's thread with all their rows, or the first failure.
    void readLater(QList<StoreStatement> queries, QObject *context,
                   std::function<void(const StoreReading &)> done);

    // Blocks until every record enqueued before the call is written, or the deadline passes.
    // Returns whether everything was written; false at once when the store is not open and
    // records wait.
    bool flush(QDeadlineTimer deadline = QDeadlineTimer(QDeadlineTimer::Forever));

    // Flushes (until the deadline), stops the thread and removes the connection. Records
    // still unwritten when the deadline passes stay queued for a later open().
    void close(QDeadlineTimer deadline = QDeadlineTimer(QDeadlineTimer::Forever));

    qsizetype pending() const { return m_queue.pending(); }
    // Usage records enqueued and not written yet (lock-free, see StoreQueue::recordBacklog()).
    quint64 recordBacklog() const { return m_queue.recordBacklog(); }

Q_SIGNALS:
    // A batch of count records was committed (duplicates included: they are already stored).
    void recordsWritten(int count);
    // A batch failed; it is kept and retried with backoff.
    void writeFailed(const QString &error);
    // Team mode: what other gateways on the same database finished and changed (from the
    // store thread; see LedgerWriter).
    void usageElsewhere(const QList<UsageRecord> &records);
    void changedElsewhere(const QString &table);

private:
    StoreQueue m_queue;
    EventSettings m_eventSettings;
    DatabaseLocation m_location;
    QThread *m_thread = nullptr;
    LedgerWriter *m_writer = nullptr; // lives in m_thread
};
