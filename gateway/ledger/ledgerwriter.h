#pragma once

#include "ledger/sqldialect.h"
#include "ledger/usagerecord.h"

#include <QList>
#include <QObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QTimer>

#include <optional>

class UsageQueue;

// The ledger's write side: owns the store thread's connection and drains the queue into it in
// batched transactions, keeping and retrying a batch that fails.
class LedgerWriter : public QObject
{
    Q_OBJECT

public:
    static constexpr qsizetype maxBatchRows = 1000;
    static constexpr int idleMaintenanceMs = 3000;
    static constexpr int gatherMs = 10; // the longest a record waits for others to join it

    LedgerWriter(UsageQueue *queue, SqlDialect dialect, QString databaseName);
    ~LedgerWriter() override;

    // Both run in the store thread: the connection is made and removed there.
    bool open(QString *error);
    void close();

public Q_SLOTS:
    // Writes one batch, then posts itself again while records wait.
    void drain();

Q_SIGNALS:
    void batchWritten(int count);
    void writeFailed(const QString &error);

private:
    bool writeBatch(QString *error);
    void bind(const UsageRecord &record);
    void idleMaintenance();

    UsageQueue *m_queue;
    SqlDialect m_dialect;
    QString m_databaseName;
    QString m_connectionName;
    QSqlDatabase m_db;
    std::optional<QSqlQuery> m_insert;
    QList<UsageRecord> m_batch; // taken from the queue, not yet committed
    QTimer m_retryTimer;
    QTimer m_idleTimer;
    QTimer m_gatherTimer; // a burst of records becomes one transaction
    bool m_gathered = false;
    int m_failures = 0;
};
