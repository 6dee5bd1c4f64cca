#include "ledgerwriter.h"

#include "events/sharedtext.h"
#include "ledger/schemamigrator.h"
#include "ledger/storequeue.h"
#include "ledger/usagecost.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlRecord>
#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

Q_LOGGING_CATEGORY(lcLedger, "gatehouse.ledger.store")

constexpr int firstRetryMs = 100;

// Team mode's channels: finished requests, and changed shared state.
const QString usageChannel = QStringLiteral("gatehouse_usage");
const QString changesChannel = QStringLiteral("gatehouse_changes");
// NOTIFY payloads must stay under 8000 bytes: request ids go in chunks.
constexpr qsizetype maxPayloadChars = 7000;

constexpr int maxRetryMs = 5000;

} // namespace

LedgerWriter::LedgerWriter(StoreQueue *queue, DatabaseLocation location, EventSettings events)
    : m_queue(queue)
    , m_location(std::move(location))
    , m_dialect(m_location.dialect())
    , m_connectionName(u"gatehouse-ledger-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces))
    , m_origin(QUuid::createUuid().toString(QUuid::Id128))
    , m_eventSettings(events)
    , m_redactor(events.redactionPatterns)
    , m_events(events, &m_redactor)
    , m_retryTimer(this)
    , m_idleTimer(this)
    , m_gatherTimer(this)
    , m_connectionCheck(this)
{
    m_connectionCheck.setInterval(connectionCheckMs);
    connect(&m_connectionCheck, &QTimer::timeout, this, &LedgerWriter::checkConnection);
    m_gatherTimer.setSingleShot(true);
    m_gatherTimer.setInterval(gatherMs);
    connect(&m_gatherTimer, &QTimer::timeout, this, [this] {
        m_gathered = true;
        drain();
    });
    m_retryTimer.setSingleShot(true);
    m_idleTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &LedgerWriter::drain);
    connect(&m_idleTimer, &QTimer::timeout, this, &LedgerWriter::idleMaintenance);
}

LedgerWriter::~LedgerWriter()
{
    close();
}

bool LedgerWriter::open(QString *error)
{
    if (!connectDatabase(error))
        return false;
    m_open = true;
    if (m_dialect.networked)
        m_connectionCheck.start();
    QSqlQuery stored(m_db);
    if (stored.exec(u"SELECT COALESCE(SUM(stored_bytes), 0) FROM events"_s) && stored.next())
        m_eventBytes = stored.value(0).toLongLong();
    // A gateway that starts and then serves nothing still prunes what aged while it was down.
    m_idleTimer.start(idleMaintenanceMs);
    return true;
}

bool LedgerWriter::connectDatabase(QString *error)
{
    const QString where = m_location.displayText();
    const auto fail = [&](const QString &message) {
        if (error)
            *error = message;
        disconnectDatabase();
        return false;
    };

    m_db = m_location.addConnection(m_connectionName);
    // Sums of BIGINT are NUMERIC in PostgreSQL: money and tokens come back as integers.
    m_db.setNumericalPrecisionPolicy(QSql::LowPrecisionInt64);
    if (!m_db.open())
        return fail(u"cannot open %1: %2"_s.arg(where, m_db.lastError().text()));

    for (const QString &statement : m_dialect.connectionSetup) {
        QSqlQuery query(m_db);
        if (!query.exec(statement))
            return fail(u"%1: %2"_s.arg(statement, query.lastError().text()));
    }

    QString migrationError;
    if (!SchemaMigrator(m_dialect).migrate(m_db, &migrationError))
        return fail(u"migrating %1: %2"_s.arg(where, migrationError));

    QString prepareError;
    // Per batch: prepared once, as the inserts are (at low load a batch is one row).
    if (!m_begin.prepare(m_db, m_dialect.beginWrite, &prepareError) ||
        !m_commit.prepare(m_db, u"COMMIT"_s, &prepareError))
        return fail(u"preparing the batch's transaction: %1"_s.arg(prepareError));
    const bool prepared = m_insert.prepare(
        m_db,
        u"INSERT INTO usage (request_id, started_at_ms, account, api_key, endpoint, provider, "
        "model_alias, upstream_model, prompt_tokens, completion_tokens, total_tokens, "
        "cached_tokens, cache_write_tokens, reasoning_tokens, usage_reported, cost_micros, "
        "price_source, first_byte_us, duration_us, http_status, stream, outcome, error, "
        "user_name, flow, execution_id, runtime_session, principal, principal_type, "
        "credential_id, governed, reserved_micros, reserved_tokens) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (request_id) DO NOTHING"_s,
        &prepareError);
    if (!prepared)
        return fail(u"preparing the usage insert: %1"_s.arg(prepareError));
    const QString &utf8 = m_dialect.utf8Text;
    if (!m_insertEvent.prepare(
            m_db,
            u"INSERT INTO events (request_id, started_at_ms, stored_bytes, queued_us, "
            "request_bytes, response_bytes, preview, request_body, response_body, "
            "system_digest) VALUES (?, ?, ?, ?, ?, ?, "_s +
                utf8 + u", "_s + utf8 + u", "_s + utf8 +
                u", ?) ON CONFLICT (request_id) DO NOTHING"_s,
            &prepareError))
        return fail(u"preparing the event insert: %1"_s.arg(prepareError));
    if (!m_insertText.prepare(
            m_db,
            u"INSERT INTO event_texts (digest, text, last_used_ms) VALUES (?, "_s + utf8 +
                u", ?) ON CONFLICT (digest) DO UPDATE SET last_used_ms = "
                "excluded.last_used_ms WHERE event_texts.last_used_ms < "
                "excluded.last_used_ms"_s,
            &prepareError))
        return fail(u"preparing the shared text insert: %1"_s.arg(prepareError));
    if (m_dialect.networked) {
        // The other gateways' commits arrive on this connection, between batches.
        QSqlDriver *driver = m_db.driver();
        if (!driver->subscribeToNotification(usageChannel) ||
            !driver->subscribeToNotification(changesChannel))
            return fail(u"LISTEN: %1"_s.arg(driver->lastError().text()));
        connect(driver,
                qOverload<const QString &, QSqlDriver::NotificationSource, const QVariant &>(
                    &QSqlDriver::notification),
                this, &LedgerWriter::onNotification);
        if (std::exchange(m_listened, true)) {
            for (const QString &table : StoreStatement::sharedTables())
                Q_EMIT changedElsewhere(table);
        }
    }
    return true;
}

void LedgerWriter::checkConnection()
{
    // A batch waiting for its retry reconnects on its own.
    if (!m_open || m_retryTimer.isActive() || !m_batch.isEmpty())
        return;
    if (!m_reconnect) {
        QSqlQuery ping(m_db);
        if (m_db.isOpen() && ping.exec(u"SELECT 1"_s))
            return;
        m_reconnect = true;
    }
    disconnectDatabase();
    QString error;
    if (!connectDatabase(&error)) {
        qCWarning(lcLedger).noquote() << u"the store's connection is lost: "_s + error;
        return;
    }
    m_reconnect = false;
}

void LedgerWriter::disconnectDatabase()
{
    m_begin.reset();
    m_commit.reset();
    m_insert.reset();
    m_insertEvent.reset();
    m_insertText.reset();
    m_textsStored.clear(); // a new connection may be to another database
    m_statements.clear();
    if (!m_db.isValid())
        return;
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

void LedgerWriter::close()
{
    m_open = false;
    m_retryTimer.stop();
    m_idleTimer.stop();
    m_connectionCheck.stop();
    // A batch that never committed goes back to the queue: a later writer takes it again.
    m_queue->putBack(std::exchange(m_batch, {}));
    disconnectDatabase();
}

void LedgerWriter::retryLater(const QString &error)
{
    ++m_failures;
    m_reconnect = m_dialect.networked;
    const int delay = std::min(maxRetryMs, firstRetryMs << std::min(m_failures - 1, 8));
    qCWarning(lcLedger).noquote() << u"writing %1 ledger rows failed (attempt %2), retrying in "
                                     "%3 ms: %4"_s.arg(m_batch.size())
                                         .arg(m_failures)
                                         .arg(delay)
                                         .arg(error);
    m_retryTimer.start(delay);
    Q_EMIT writeFailed(error);
}

void LedgerWriter::drain()
{
    // While a failed batch waits for its retry, wake-ups from new records change nothing.
    if (m_retryTimer.isActive() || !m_open)
        return;
    m_idleTimer.stop();
    // Under load, committing each record as it comes costs a transaction and a thread wake-up
    // per request: records gather for a few milliseconds (or until a full batch) first.
    if (m_batch.isEmpty() && !m_gathered && m_queue->pending() < maxBatchRows) {
        if (!m_gatherTimer.isActive())
            m_gatherTimer.start();
        return;
    }
    m_gathered = false;

    if (m_batch.isEmpty())
        m_queue->take(maxBatchRows, &m_batch);
    if (m_batch.isEmpty()) {
        m_idleTimer.start(idleMaintenanceMs);
        return;
    }

    QString error;
    if (m_reconnect) {
        disconnectDatabase();
        if (!connectDatabase(&error)) {
            retryLater(error);
            return;
        }
        m_reconnect = false;
    }
    // The batch is idempotent (usage and events by request id), so one that committed without
    // its answer arriving is written again harmlessly.
    if (!writeBatch(&error)) {
        retryLater(error);
        return;
    }

    m_failures = 0;
    // Over the size cap under sustained load (never idle): a chunk goes after each batch.
    if (m_eventBytes > m_eventSettings.maxStoredBytes)
        pruneEvents();
    const auto records = std::count_if(m_batch.cbegin(), m_batch.cend(), [](const StoreWrite &w) {
        return std::holds_alternative<UsageRecord>(w);
    });
    m_queue->markWritten(m_batch.size(), records);
    m_batch.clear(); // its capacity stays for the next batch
    if (records > 0)
        Q_EMIT batchWritten(int(records));

    if (m_queue->pending() > 0)
        QMetaObject::invokeMethod(this, &LedgerWriter::drain, Qt::QueuedConnection);
    else
        m_idleTimer.start(idleMaintenanceMs);
}

bool LedgerWriter::writeBatch(QString *error)
{
    const auto rollback = [this] {
        QSqlQuery query(m_db);
        query.exec(u"ROLLBACK"_s);
        m_textsStored.clear(); // what the batch stored is gone
    };

    if (!m_begin.exec(error))
        return false;
    m_pace.start();
    for (const StoreWrite &item : std::as_const(m_batch)) {
        m_pace.written(); // between two writes, it may give way
        if (const auto *statement = std::get_if<StoreStatement>(&item)) {
            if (!write(*statement, error)) {
                rollback();
                return false;
            }
            continue;
        }
        const UsageRecord &record = std::get<UsageRecord>(item);
        if (!writeUsage(record, error) || !writeEvent(record, error)) {
            rollback();
            return false;
        }
    }
    if (m_dialect.networked && !notifyBatch(error)) {
        rollback();
        return false;
    }
    if (!m_commit.exec(error)) {
        rollback();
        return false;
    }
    return true;
}

bool LedgerWriter::notifyBatch(QString *error)
{
    QStringList payloads;
    QString ids;
    QSet<QString> tables;
    for (const StoreWrite &item : std::as_const(m_batch)) {
        if (const auto *statement = std::get_if<StoreStatement>(&item)) {
            if (const QString table = statement->sharedTable(); !table.isEmpty())
                tables.insert(table);
            continue;
        }
        const QString id = QString::fromLatin1(std::get<UsageRecord>(item).requestId);
        if (ids.size() + id.size() > maxPayloadChars) {
            payloads.append(std::exchange(ids, {}));
        }
        if (!ids.isEmpty())
            ids += u',';
        ids += id;
    }
    if (!ids.isEmpty())
        payloads.append(ids);
    QSqlQuery notify(m_db);
    const auto send = [&](const QString &channel, const QString &what) {
        notify.prepare(u"SELECT pg_notify(?, ?)"_s);
        notify.addBindValue(channel);
        notify.addBindValue(QString(m_origin + u' ' + what));
        if (notify.exec())
            return true;
        *error = notify.lastError().text();
        return false;
    };
    for (const QString &payload : std::as_const(payloads)) {
        if (!send(usageChannel, payload))
            return false;
    }
    for (const QString &table : std::as_const(tables)) {
        if (!send(changesChannel, table))
            return false;
    }
    return true;
}

void LedgerWriter::onNotification(const QString &channel, QSqlDriver::NotificationSource,
                                  const QVariant &payload)
{
    const QString text = payload.toString();
    const qsizetype space = text.indexOf(u' ');
    if (space < 0 || QStringView(text).left(space) == m_origin)
        return;
    const QString what = text.mid(space + 1);
    if (channel == changesChannel) {
        Q_EMIT changedElsewhere(what);
        return;
    }
    const QStringList ids = what.split(u',', Qt::SkipEmptyParts);
    if (ids.isEmpty())
        return;
    QStringList marks;
    for (qsizetype i = 0; i < ids.size(); ++i)
        marks.append(u"?"_s);
    QSqlQuery rows(m_db);
    rows.setForwardOnly(true);
    rows.prepare(
        u"SELECT request_id, started_at_ms, account, api_key, user_name, flow, "
        "execution_id, runtime_session, principal, principal_type, endpoint, provider, "
        "model_alias, upstream_model, prompt_tokens, completion_tokens, cached_tokens, "
        "cache_write_tokens, reasoning_tokens, usage_reported, cost_micros, "
        "price_source, first_byte_us, duration_us, http_status, stream, outcome, error, "
        "governed FROM usage WHERE request_id IN (%1) ORDER BY id"_s.arg(marks.join(u", "_s)));
    for (const QString &id : ids)
        rows.addBindValue(id);
    if (!rows.exec()) {
        qCWarning(lcLedger).noquote()
            << u"reading another gateway's requests failed: "_s + rows.lastError().text();
        return;
    }
    QList<UsageRecord> records;
    while (rows.next()) {
        int i = 0;
        const auto next = [&] { return rows.value(i++); };
        UsageRecord r;
        r.requestId = next().toString().toLatin1();
        r.startedAtMs = next().toLongLong();
        r.account = next().toString();
        r.apiKey = next().toString();
        r.user = next().toString();
        r.flow = next().toString();
        r.executionId = next().toString();
        r.runtimeSession = next().toString();
        r.principal = next().toString();
        r.principalType = next().toString();
        r.endpoint = next().toString().toLatin1();
        r.provider = next().toString();
        r.modelAlias = next().toString();
        r.upstreamModel = next().toString();
        r.usage.promptTokens = next().toLongLong();
        r.usage.completionTokens = next().toLongLong();
        r.usage.cachedTokens = next().toLongLong();
        r.usage.cacheWriteTokens = next().toLongLong();
        r.usage.reasoningTokens = next().toLongLong();
        r.usage.reported = next().toInt() != 0;
        const QVariant cost = next();
        if (!cost.isNull())
            r.costMicros = cost.toLongLong();
        r.priceSource = next().toString();
        const QVariant firstByte = next();
        r.firstByteUs = firstByte.isNull() ? -1 : firstByte.toLongLong();
        r.durationUs = next().toLongLong();
        r.httpStatus = next().toInt();
        r.stream = next().toInt() != 0;
        r.outcome = next().toString().toLatin1();
        r.error = next().toString();
        r.governed = next().toInt() != 0;
        records.append(std::move(r));
    }
    if (!records.isEmpty())
        Q_EMIT usageElsewhere(records);
}

bool LedgerWriter::write(const StoreStatement &statement, QString *error)
{
    if (!m_dialect.savepointPerStatement) {
        bool refused = false;
        return writeStatement(statement, error, &refused);
    }
    // A refused statement aborts a PostgreSQL transaction: it is undone alone, so the rows
    // around it still commit.
    QSqlQuery savepoint(m_db);
    if (!savepoint.exec(u"SAVEPOINT statement"_s)) {
        *error = savepoint.lastError().text();
        return false;
    }
    bool refused = false;
    if (!writeStatement(statement, error, &refused))
        return false;
    if (!savepoint.exec(refused ? u"ROLLBACK TO SAVEPOINT statement"_s
                                : u"RELEASE SAVEPOINT statement"_s)) {
        *error = savepoint.lastError().text();
        return false;
    }
    return true;
}

bool LedgerWriter::writeStatement(const StoreStatement &statement, QString *error, bool *refused)
{
    auto prepared = m_statements.find(statement.sql);
    if (prepared == m_statements.end()) {
        QSqlQuery query(m_db);
        if (!query.prepare(statement.sql)) {
            // A statement the schema cannot take is a bug, not a busy database: retrying the
            // batch forever would stop every usage row behind it.
            qCCritical(lcLedger).noquote()
                << u"dropping a statement that does not prepare: %1: %2"_s.arg(
                       statement.sql, query.lastError().text());
            *refused = true;
            return true;
        }
        prepared = m_statements.insert(statement.sql, std::move(query));
    }
    for (qsizetype i = 0; i < statement.values.size(); ++i)
        prepared->bindValue(int(i), statement.values.at(i));
    if (prepared->exec())
        return true;
    const QSqlError failure = prepared->lastError();
    if (m_dialect.isTransient(failure)) {
        *error = failure.text();
        return false;
    }
    qCCritical(lcLedger).noquote()
        << u"dropping a statement the store refuses: %1: %2"_s.arg(statement.sql, failure.text());
    *refused = true;
    return true;
}

std::optional<QList<QVariantList>> LedgerWriter::select(const StoreStatement &query, QString *error)
{
    if (m_reconnect) {
        disconnectDatabase();
        if (!connectDatabase(error))
            return std::nullopt;
        m_reconnect = false;
    }
    QSqlQuery select(m_db);
    select.setForwardOnly(true);
    if (!select.prepare(query.sql)) {
        *error = select.lastError().text();
        return std::nullopt;
    }
    for (qsizetype i = 0; i < query.values.size(); ++i)
        select.bindValue(int(i), query.values.at(i));
    if (!select.exec()) {
        *error = select.lastError().text();
        m_reconnect = m_dialect.networked && m_dialect.isTransient(select.lastError());
        return std::nullopt;
    }
    QList<QVariantList> rows;
    const int columns = select.record().count();
    while (select.next()) {
        QVariantList row;
        row.reserve(columns);
        for (int c = 0; c < columns; ++c)
            row.append(select.value(c));
        rows.append(std::move(row));
    }
    return rows;
}

bool LedgerWriter::writeUsage(const UsageRecord &record, QString *error)
{
    const TokenUsage &usage = record.usage;
    int i = 0;
    m_insert.bindText(i++, record.requestId);
    m_insert.bindInteger(i++, record.startedAtMs);
    m_insert.bindOptionalText(i++, record.account);
    m_insert.bindOptionalText(i++, record.apiKey);
    m_insert.bindOptionalText(i++, record.endpoint);
    m_insert.bindOptionalText(i++, record.provider);
    m_insert.bindOptionalText(i++, record.modelAlias);
    m_insert.bindOptionalText(i++, record.upstreamModel);
    m_insert.bindInteger(i++, usage.promptTokens);
    m_insert.bindInteger(i++, usage.completionTokens);
    m_insert.bindInteger(i++, usage.totalTokens());
    m_insert.bindInteger(i++, usage.cachedTokens);
    m_insert.bindInteger(i++, usage.cacheWriteTokens);
    m_insert.bindInteger(i++, usage.reasoningTokens);
    m_insert.bindInteger(i++, usage.reported ? 1 : 0);
    m_insert.bindInteger(i++, record.costMicros);
    // Unpriced is one state in the ledger: no cost and the "unpriced" source, never a $0 row.
    if (record.costMicros)
        m_insert.bindText(i++, record.priceSource);
    else
        m_insert.bindText(i++, UsageCost::unpricedSource.toString());
    m_insert.bindInteger(i++, record.firstByteUs >= 0 ? std::optional<qint64>(record.firstByteUs)
                                                      : std::nullopt);
    m_insert.bindInteger(i++, record.durationUs);
    m_insert.bindInteger(i++, record.httpStatus);
    m_insert.bindInteger(i++, record.stream ? 1 : 0);
    m_insert.bindText(i++, record.outcome);
    m_insert.bindOptionalText(
        i++, record.error.isEmpty() ? QByteArray() : m_redactor.redact(record.error.toUtf8()));
    m_insert.bindOptionalText(i++, record.user);
    m_insert.bindOptionalText(i++, record.flow);
    m_insert.bindOptionalText(i++, record.executionId);
    m_insert.bindOptionalText(i++, record.runtimeSession);
    m_insert.bindOptionalText(i++, record.principal);
    m_insert.bindOptionalText(i++, record.principalType);
    m_insert.bindOptionalText(i++, record.credentialId);
    m_insert.bindInteger(i++, record.governed ? 1 : 0);
    m_insert.bindInteger(i++, record.reservedMicros);
    m_insert.bindInteger(i++, record.reservedTokens);
    return m_insert.exec(error);
}

bool LedgerWriter::writeEvent(const UsageRecord &record, QString *error)
{
    const EventRow row = m_events.build(record);
    const RequestCapture *capture = record.capture.get();
    QByteArray preview = row.preview;
    QByteArray digest;
    qint64 textBytes = 0;
    if (!row.system.json.isEmpty()) {
        // The builder hands the same bytes for a repeated head: most rows skip the comparison.
        if (row.system.json.constData() != m_lastHead.constData() &&
            row.system.json != m_lastHead) {
            m_lastHead = row.system.json;
            m_lastDigest = SharedText::digest(m_lastHead);
        }
        digest = m_lastDigest;
        const std::optional<qint64> stored =
            storeText(digest, row.system.json, record.startedAtMs, error);
        if (!stored)
            return false;
        textBytes = *stored;
        preview = SharedText::cut(row.preview, row.system.at, row.system.json.size());
    }
    // A shared text counts once, with the event that stored it.
    const qint64 storedBytes =
        preview.size() + row.requestBody.size() + row.responseBody.size() + textBytes;
    int i = 0;
    m_insertEvent.bindText(i++, record.requestId);
    m_insertEvent.bindInteger(i++, record.startedAtMs);
    m_insertEvent.bindInteger(i++, storedBytes);
    m_insertEvent.bindInteger(i++, capture && capture->queuedUs >= 0
                                       ? std::optional<qint64>(capture->queuedUs)
                                       : std::nullopt);
    m_insertEvent.bindInteger(i++, capture ? capture->requestBytes : 0);
    m_insertEvent.bindInteger(i++, capture ? capture->responseBytes : 0);
    m_insertEvent.bindUtf8Text(i++, preview);
    m_insertEvent.bindUtf8Text(i++, row.requestBody);
    m_insertEvent.bindUtf8Text(i++, row.responseBody);
    m_insertEvent.bindOptionalText(i++, digest);
    if (!m_insertEvent.exec(error))
        return false;
    m_eventBytes += storedBytes;
    return true;
}

std::optional<qint64> LedgerWriter::storeText(const QByteArray &digest, const QByteArray &json,
                                              qint64 usedAtMs, QString *error)
{
    const auto stored = m_textsStored.constFind(digest);
    if (stored != m_textsStored.cend() && *stored >= usedAtMs - textRefreshMs)
        return 0;
    // A long-lived writer meets many prompts: it forgets them all now and then.
    if (m_textsStored.size() >= 1024)
        m_textsStored.clear();
    m_insertText.bindText(0, digest);
    m_insertText.bindUtf8Text(1, json);
    m_insertText.bindInteger(2, usedAtMs);
    if (!m_insertText.exec(error))
        return std::nullopt;
    m_textsStored.insert(digest, usedAtMs);
    return json.size();
}

bool LedgerWriter::pruneEvents()
{
    const qint64 horizon =
        QDateTime::currentMSecsSinceEpoch() - qint64(m_eventSettings.retentionDays) * 86'400'000;
    const bool overSize = m_eventBytes > m_eventSettings.maxStoredBytes;
    QSqlQuery prune(m_db);
    // The oldest first, one chunk per statement: by age, or by size while over the cap.
    prune.prepare(u"DELETE FROM events WHERE request_id IN (SELECT request_id FROM events "
                  "WHERE started_at_ms < ? OR ? = 1 ORDER BY started_at_ms LIMIT ?) "
                  "RETURNING stored_bytes"_s);
    prune.addBindValue(horizon);
    prune.addBindValue(overSize ? 1 : 0);
    prune.addBindValue(pruneChunkRows);
    if (!prune.exec()) {
        qCWarning(lcLedger).noquote()
            << u"pruning events failed: %1"_s.arg(prune.lastError().text());
        return false;
    }
    int rows = 0;
    while (prune.next()) {
        m_eventBytes -= prune.value(0).toLongLong();
        ++rows;
    }
    return rows == pruneChunkRows;
}

void LedgerWriter::pruneTexts()
{
    // A text's last use is at most textRefreshMs older than any event that uses it.
    QSqlQuery prune(m_db);
    prune.prepare(u"DELETE FROM event_texts WHERE last_used_ms < COALESCE((SELECT "
                  "MIN(started_at_ms) FROM events), ?) - ?"_s);
    prune.addBindValue(QDateTime::currentMSecsSinceEpoch());
    prune.addBindValue(textRefreshMs);
    if (!prune.exec())
        qCWarning(lcLedger).noquote()
            << u"pruning shared texts failed: %1"_s.arg(prune.lastError().text());
}

void LedgerWriter::idleMaintenance()
{
    // Retention works in chunks between batches, so the writer never stalls on it.
    if (m_db.isOpen() && pruneEvents()) {
        QMetaObject::invokeMethod(this, &LedgerWriter::idleMaintenance, Qt::QueuedConnection);
        return;
    }
    if (m_db.isOpen())
        pruneTexts();
    m_idleTimer.start(idleRecheckMs); // the next batch brings it back to idleMaintenanceMs
    if (m_dialect.idleMaintenance.isEmpty() || !m_db.isOpen())
        return;
    QSqlQuery query(m_db);
    if (!query.exec(m_dialect.idleMaintenance))
        qCWarning(lcLedger).noquote()
            << m_dialect.idleMaintenance << "failed:" << query.lastError().text();
}
