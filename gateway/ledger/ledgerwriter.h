#pragma once

#include "config/configuration.h"
#include "events/eventbuilder.h"
#include "events/redactor.h"
#include "ledger/databaselocation.h"
#include "ledger/sqldialect.h"
#include "ledger/storepace.h"
#include "ledger/storestatement.h"
#include "ledger/writerstatement.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlQuery>
#include <QString>
#include <QTimer>

#include <optional>

class StoreQueue;

// The store's write side: owns the store thread's connection and drains the queue (usage rows
// and other statements, in order) into it in batched transactions, keeping and retrying a
// batch that fails.
class LedgerWriter : public QObject
{
    Q_OBJECT

public:
    static constexpr qsizetype maxBatchRows = 1000;
    static constexpr int idleMaintenanceMs = 3000;
    // Events age past retention while nothing is written too: an idle writer looks again hourly.
    static constexpr int idleRecheckMs = 3'600'000;
    static constexpr int gatherMs = 10; // the longest a record waits for others to join it
    static constexpr int connectionCheckMs = 2000;

    // Events of the oldest requests are pruned this many rows per statement, so retention never
    // holds the write lock for long.
    static constexpr int pruneChunkRows = 500;
    // A shared text's last use is refreshed this often at most (per writer).
    static constexpr qint64 textRefreshMs = 3'600'000;

    LedgerWriter(StoreQueue *queue, DatabaseLocation location, EventSettings events = {});
    ~LedgerWriter() override;

    // Both run in the store thread: the connection is made and removed there.
    bool open(QString *error);
    void close();
    // Runs a read on the writer's connection (the store thread's only one). For start-up and
    // administration, never for a request's path.
    std::optional<QList<QVariantList>> select(const StoreStatement &query, QString *error);

public Q_SLOTS:
    // Writes one batch, then posts itself again while writes wait.
    void drain();

Q_SIGNALS:
    void batchWritten(int count);
    void writeFailed(const QString &error);
    // Team mode (PostgreSQL): another gateway on the same database committed these requests'
    // usage rows (read back here), or changed a table of shared state
    // (StoreStatement::sharedTable()). Never emitted for this writer's own commits.
    void usageElsewhere(const QList<UsageRecord> &records);
    void changedElsewhere(const QString &table);

private:
    // The connection with its setup, the migrations and the prepared inserts; and its end.
    bool connectDatabase(QString *error);
    void disconnectDatabase();
    void retryLater(const QString &error);
    bool writeBatch(QString *error);
    // Inside the batch's transaction: NOTIFY is delivered on commit, with the rows.
    bool notifyBatch(QString *error);
    void onNotification(const QString &channel, QSqlDriver::NotificationSource source,
                        const QVariant &payload);
    bool write(const StoreStatement &statement, QString *error);
    // *refused: the statement was dropped as one the schema will never take.
    bool writeStatement(const StoreStatement &statement, QString *error, bool *refused);
    bool writeUsage(const UsageRecord &record, QString *error);
    bool writeEvent(const UsageRecord &record, QString *error);
    void idleMaintenance();
    // Team mode: a connection lost while no batch is written is found here and made again.
    void checkConnection();
    // Deletes events past the retention age or the size cap, a chunk at a time; true when
    // more may be left.
    bool pruneEvents();
    // Deletes the shared texts no event left may use (see migrations 0009).
    void pruneTexts();
    // Inside the batch: the head's text in event_texts, unless this writer stored or refreshed
    // it within the hour. Its size when written, else 0.
    std::optional<qint64> storeText(const QByteArray &digest, const QByteArray &json,
                                    qint64 usedAtMs, QString *error);

    StoreQueue *m_queue;
    DatabaseLocation m_location;
    SqlDialect m_dialect;
    QString m_connectionName;
    QString m_origin; // tells this writer's notifications from other gateways'
    QSqlDatabase m_db;
    WriterStatement m_begin;
    WriterStatement m_commit;
    WriterStatement m_insert;
    WriterStatement m_insertEvent;
    WriterStatement m_insertText;
    EventSettings m_eventSettings;
    Redactor m_redactor;
    EventBuilder m_events;
    qint64 m_eventBytes = 0;                // what the events table holds, for the size cap
    // The shared texts this writer stored or refreshed (digest: the request start it used),
    // forgotten when a batch rolls back; and the last head with its digest, hashed once.
    QHash<QByteArray, qint64> m_textsStored;
    QByteArray m_lastHead;
    QByteArray m_lastDigest;
    QHash<QString, QSqlQuery> m_statements; // prepared once per distinct SQL text
    QList<StoreWrite> m_batch;              // taken from the queue, not yet committed
    StorePace m_pace;
    QTimer m_retryTimer;
    QTimer m_idleTimer;
    QTimer m_gatherTimer; // a burst of records becomes one transaction
    QTimer m_connectionCheck;
    // Team mode: LISTEN ran once. Notifications sent while a connection was lost are gone; a
    // new connection has every shared table read again instead.
    bool m_listened = false;
    bool m_gathered = false;
    bool m_open = false;
    // A server's connection may be dead after a failure: the retry starts with a new one.
    bool m_reconnect = false;
    int m_failures = 0;
};
