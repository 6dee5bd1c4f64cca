#include "ledgerreader.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>
#include <QUuid>

LedgerReader::LedgerReader(const DatabaseLocation &location)
    : m_connection(QUuid::createUuid().toString())
{
    QSqlDatabase db = location.addConnection(m_connection);
    // Sums come back as integers on both databases.
    db.setNumericalPrecisionPolicy(QSql::LowPrecisionInt64);
    if (!location.isPostgres())
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open())
        qWarning("LedgerReader: %s", qPrintable(db.lastError().text()));
}

LedgerReader::~LedgerReader()
{
    QSqlDatabase::database(m_connection).close();
    QSqlDatabase::removeDatabase(m_connection);
}

QList<QVariantMap> LedgerReader::query(const QString &sql, const QVariantList &values) const
{
    QSqlQuery query(QSqlDatabase::database(m_connection));
    query.prepare(sql);
    for (const QVariant &value : values)
        query.addBindValue(value);
    QList<QVariantMap> result;
    if (!query.exec()) {
        qWarning("LedgerReader: %s: %s", qPrintable(sql), qPrintable(query.lastError().text()));
        return result;
    }
    while (query.next()) {
        QVariantMap row;
        const QSqlRecord record = query.record();
        for (int i = 0; i < record.count(); ++i)
            row.insert(record.fieldName(i), query.value(i));
        result.append(row);
    }
    return result;
}

QList<QVariantMap> LedgerReader::rows() const
{
    return query(QStringLiteral("SELECT * FROM usage ORDER BY id"));
}

QVariantMap LedgerReader::row(const QByteArray &requestId) const
{
    return query(QStringLiteral("SELECT * FROM usage WHERE request_id = ?"),
                 {QString::fromLatin1(requestId)})
        .value(0);
}

bool LedgerReader::waitForRows(int count, int timeoutMs) const
{
    return QTest::qWaitFor([&] { return rows().size() >= count; }, timeoutMs);
}
