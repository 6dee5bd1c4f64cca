#pragma once

#include "ledger/databaselocation.h"

#include <QList>
#include <QString>
#include <QVariantMap>

// Reads the usage ledger (its SQLite file or its PostgreSQL database) the way an operator
// would, through its own connection.
class LedgerReader
{
public:
    explicit LedgerReader(const DatabaseLocation &location);
    ~LedgerReader();

    // Every usage row, oldest first, as column -> value.
    QList<QVariantMap> rows() const;
    // The row of one request id (empty map when absent).
    QVariantMap row(const QByteArray &requestId) const;
    // Waits (running the event loop) until the ledger holds at least `count` rows.
    bool waitForRows(int count, int timeoutMs = 15'000) const;
    // Any read on the store (sessions, credentials, the audit ...).
    QList<QVariantMap> query(const QString &sql, const QVariantList &values = {}) const;

private:
    QString m_connection;
};
