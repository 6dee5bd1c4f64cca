#include "ledger/ledgerreport.h"

#include "events/sharedtext.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace {

enum class Kind
{
    Text,
    Integer,
    Flag
};

struct Column
{
    const char16_t *sql;
    const char16_t *json;
    Kind kind;
};

// A usage row as the views show it: the attribution under the same names as the event preview.
constexpr Column kRowColumns[] = {
    {u"u.request_id", u"requestId", Kind::Text},
    {u"u.started_at_ms", u"startedAtMs", Kind::Integer},
    {u"u.account", u"account", Kind::Text},
    {u"u.user_name", u"user", Kind::Text},
    {u"u.api_key", u"apiKey", Kind::Text},
    {u"u.flow", u"flow", Kind::Text},
    {u"u.execution_id", u"execution", Kind::Text},
    {u"u.runtime_session", u"session", Kind::Text},
    {u"u.principal", u"principal", Kind::Text},
    {u"u.principal_type", u"principalType", Kind::Text},
    {u"u.credential_id", u"credential", Kind::Text},
    {u"u.governed", u"governed", Kind::Flag},
    {u"u.endpoint", u"endpoint", Kind::Text},
    {u"u.provider", u"provider", Kind::Text},
    {u"u.model_alias", u"modelAlias", Kind::Text},
    {u"u.upstream_model", u"upstreamModel", Kind::Text},
    {u"u.prompt_tokens", u"promptTokens", Kind::Integer},
    {u"u.completion_tokens", u"completionTokens", Kind::Integer},
    {u"u.total_tokens", u"totalTokens", Kind::Integer},
    {u"u.cached_tokens", u"cachedTokens", Kind::Integer},
    {u"u.cache_write_tokens", u"cacheWriteTokens", Kind::Integer},
    {u"u.reasoning_tokens", u"reasoningTokens", Kind::Integer},
    {u"u.usage_reported", u"usageReported", Kind::Flag},
    {u"u.cost_micros", u"costMicros", Kind::Integer},
    {u"u.price_source", u"priceSource", Kind::Text},
    {u"u.reserved_micros", u"reservedMicros", Kind::Integer},
    {u"u.first_byte_us", u"firstByteUs", Kind::Integer},
    {u"u.duration_us", u"durationUs", Kind::Integer},
    {u"u.http_status", u"status", Kind::Integer},
    {u"u.stream", u"stream", Kind::Flag},
    {u"u.outcome", u"outcome", Kind::Text},
    {u"u.error", u"error", Kind::Text},
};

QString rowColumns()
{
    QStringList columns;
    for (const Column &column : kRowColumns)
        columns += QString::fromUtf16(column.sql);
    return columns.join(u", "_s);
}

QJsonValue value(const QVariant &variant, Kind kind)
{
    if (variant.isNull())
        return QJsonValue::Null;
    switch (kind) {
    case Kind::Text:
        return variant.toString();
    case Kind::Integer:
        return variant.toLongLong();
    case Kind::Flag:
        return variant.toLongLong() != 0;
    }
    return QJsonValue::Null;
}

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

// The row's usage columns (the first ones of the statement) as JSON.
QJsonObject rowJson(const QSqlQuery &query)
{
    QJsonObject row;
    int index = 0;
    for (const Column &column : kRowColumns)
        row.insert(QString::fromUtf16(column.json), value(query.value(index++), column.kind));
    row.insert(u"startedAt"_s, isoTime(row.value(u"startedAtMs"_s).toInteger()));
    return row;
}

// The stored preview, with the system prompt's head put back when it is stored apart.
QJsonValue previewJson(const QVariant &preview, const QVariant &sharedText)
{
    if (preview.isNull())
        return QJsonValue::Null;
    return QJsonDocument::fromJson(
               SharedText::restore(preview.toByteArray(), sharedText.toByteArray()))
        .object();
}

// Joined after events e: the shared text of an event's system prompt, if any.
const QString kSharedTextJoin =
    QStringLiteral(" LEFT JOIN event_texts etext ON etext.digest = e.system_digest");

bool run(QSqlQuery &query, const QString &statement, const QVariantList &values, QString *error)
{
    query.setForwardOnly(true);
    if (!query.prepare(statement)) {
        *error = query.lastError().text();
        return false;
    }
    for (const QVariant &value : values)
        query.addBindValue(value);
    if (!query.exec()) {
        *error = query.lastError().text();
        return false;
    }
    return true;
}

QString withClause(const UsageFilter::Sql &sql, const QString &more = {})
{
    QStringList parts;
    if (!sql.with.isEmpty())
        parts += sql.with;
    if (!more.isEmpty())
        parts += more;
    return parts.isEmpty() ? QString() : u"WITH RECURSIVE "_s + parts.join(u", "_s) + u' ';
}

QString dimensionColumn(LedgerReport::Dimension dimension)
{
    using D = LedgerReport::Dimension;
    switch (dimension) {
    case D::None:
        return u"NULL"_s;
    case D::Model:
        return u"u.model_alias"_s;
    case D::Provider:
        return u"u.provider"_s;
    case D::Flow:
        return u"u.flow"_s;
    case D::Key:
        return u"u.api_key"_s;
    case D::Account:
        return u"u.account"_s;
    case D::User:
        return u"u.user_name"_s;
    case D::Execution:
        return u"u.execution_id"_s;
    case D::Session:
        return u"u.runtime_session"_s;
    case D::Principal:
        return u"u.principal"_s;
    case D::Outcome:
        return u"u.outcome"_s;
    }
    return u"NULL"_s;
}

const QStringList &dimensionNames()
{
    static const QStringList names{u"none"_s,    u"model"_s,     u"provider"_s, u"flow"_s,
                                   u"key"_s,     u"account"_s,   u"user"_s,     u"execution"_s,
                                   u"session"_s, u"principal"_s, u"outcome"_s};
    return names;
}

const QStringList &bucketNames()
{
    static const QStringList names{u"none"_s, u"minute"_s, u"hour"_s, u"day"_s};
    return names;
}

// The sums every summary group and every total carries.
struct Sums
{
    qint64 requests = 0;
    qint64 errors = 0;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 totalTokens = 0;
    qint64 cachedTokens = 0;
    qint64 costMicros = 0;
    qint64 priced = 0;

    void add(const Sums &other)
    {
        requests += other.requests;
        errors += other.errors;
        promptTokens += other.promptTokens;
        completionTokens += other.completionTokens;
        totalTokens += other.totalTokens;
        cachedTokens += other.cachedTokens;
        costMicros += other.costMicros;
        priced += other.priced;
    }
    void toJson(QJsonObject *object) const
    {
        object->insert(u"requests"_s, requests);
        object->insert(u"errors"_s, errors);
        object->insert(u"promptTokens"_s, promptTokens);
        object->insert(u"completionTokens"_s, completionTokens);
        object->insert(u"totalTokens"_s, totalTokens);
        object->insert(u"cachedTokens"_s, cachedTokens);
        object->insert(u"costMicros"_s, costMicros);
        object->insert(u"pricedRequests"_s, priced);
        object->insert(u"unpricedRequests"_s, requests - priced);
    }
};

QJsonObject windowJson(const UsageFilter &filter)
{
    return {{u"fromMs"_s, filter.fromMs},
            {u"toMs"_s, filter.toMs},
            {u"from"_s, isoTime(filter.fromMs)},
            {u"to"_s, isoTime(filter.toMs)}};
}

} // namespace

std::optional<QJsonObject> LedgerReport::rows(const UsageFilter &filter, bool eventsOnly,
                                              QString *error) const
{
    const UsageFilter::Sql sql = filter.sql();
    // One row past the page says whether another page follows.
    const QString statement = withClause(sql) + u"SELECT "_s + rowColumns() +
                              u", e.preview, u.id, etext.text FROM usage u "_s +
                              (eventsOnly ? u"JOIN"_s : u"LEFT JOIN"_s) +
                              u" events e ON e.request_id = u.request_id"_s + kSharedTextJoin +
                              u" WHERE "_s + sql.where + u' ' + filter.orderBy() + u" LIMIT "_s +
                              QString::number(qint64(filter.limit) + 1);
    QSqlQuery query(m_db);
    if (!run(query, statement, sql.values, error))
        return std::nullopt;
    QJsonArray rows;
    QJsonValue nextCursor = QJsonValue::Null;
    UsageFilter::Cursor last;
    const int previewIndex = int(std::size(kRowColumns));
    while (query.next()) {
        if (rows.size() == filter.limit) {
            nextCursor = last.toText();
            break;
        }
        QJsonObject row = rowJson(query);
        last = {row.value(u"startedAtMs"_s).toInteger(),
                query.value(previewIndex + 1).toLongLong()};
        row.insert(u"event"_s,
                   previewJson(query.value(previewIndex), query.value(previewIndex + 2)));
        rows.append(row);
    }
    QJsonObject answer = windowJson(filter);
    answer.insert(u"rows"_s, rows);
    answer.insert(u"nextCursor"_s, nextCursor);
    return answer;
}

std::optional<QJsonObject> LedgerReport::event(const QString &requestId, QString *error) const
{
    QSqlQuery query(m_db);
    if (!run(query,
             u"SELECT "_s + rowColumns() +
                 u", e.preview, e.request_body, e.response_body, e.queued_us, e.request_bytes, "
                 "e.response_bytes, etext.text FROM usage u LEFT JOIN events e ON e.request_id = "
                 "u.request_id"_s +
                 kSharedTextJoin + u" WHERE u.request_id = ?"_s,
             {requestId}, error))
        return std::nullopt;
    if (!query.next())
        return QJsonObject();
    const int at = int(std::size(kRowColumns));
    const auto orNull = [](const QVariant &v) {
        return v.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(v.toString());
    };
    QJsonObject answer{{u"usage"_s, rowJson(query)},
                       {u"event"_s, previewJson(query.value(at), query.value(at + 6))},
                       {u"requestBody"_s, orNull(query.value(at + 1))},
                       {u"responseBody"_s, orNull(query.value(at + 2))}};
    if (!query.value(at).isNull()) {
        answer.insert(u"queuedUs"_s, value(query.value(at + 3), Kind::Integer));
        answer.insert(u"requestBytes"_s, value(query.value(at + 4), Kind::Integer));
        answer.insert(u"responseBytes"_s, value(query.value(at + 5), Kind::Integer));
    }
    return answer;
}

std::optional<QJsonObject> LedgerReport::summary(const UsageFilter &filter, Dimension by,
                                                 Bucket bucket, QString *error) const
{
    const UsageFilter::Sql sql = filter.sql();
    const qint64 bucketMs = bucketLengthMs(bucket);
    const QString bucketColumn =
        bucketMs > 0 ? u"(u.started_at_ms / %1) * %1"_s.arg(bucketMs) : u"NULL"_s;
    const QString statement =
        withClause(sql) + u"SELECT "_s + dimensionColumn(by) + u" AS k, "_s + bucketColumn +
        u" AS b, COUNT(*), SUM(CASE WHEN u.outcome <> 'ok' THEN 1 ELSE 0 END), "
        u"SUM(u.prompt_tokens), "
        "SUM(u.completion_tokens), SUM(u.total_tokens), SUM(u.cached_tokens), "
        "SUM(u.cost_micros), COUNT(u.cost_micros) FROM usage u WHERE "_s +
        sql.where + u" GROUP BY k, b ORDER BY b, k LIMIT "_s + QString::number(kMaxGroups + 1);
    QSqlQuery query(m_db);
    if (!run(query, statement, sql.values, error))
        return std::nullopt;
    QJsonArray groups;
    Sums totals;
    bool truncated = false;
    while (query.next()) {
        if (groups.size() == kMaxGroups) {
            truncated = true;
            break;
        }
        Sums sums{query.value(2).toLongLong(), query.value(3).toLongLong(),
                  query.value(4).toLongLong(), query.value(5).toLongLong(),
                  query.value(6).toLongLong(), query.value(7).toLongLong(),
                  query.value(8).toLongLong(), query.value(9).toLongLong()};
        QJsonObject group;
        if (by != Dimension::None)
            group.insert(u"key"_s, value(query.value(0), Kind::Text));
        if (bucket != Bucket::None) {
            const qint64 start = query.value(1).toLongLong();
            group.insert(u"bucketStartMs"_s, start);
            group.insert(u"bucketStart"_s, isoTime(start));
        }
        sums.toJson(&group);
        totals.add(sums);
        groups.append(group);
    }
    QJsonObject totalJson;
    totals.toJson(&totalJson);
    QJsonObject answer = windowJson(filter);
    answer.insert(u"by"_s, dimensionNames().at(int(by)));
    answer.insert(u"bucket"_s, bucketNames().at(int(bucket)));
    answer.insert(u"groups"_s, groups);
    answer.insert(u"totals"_s, totalJson);
    answer.insert(u"truncated"_s, truncated);
    return answer;
}

std::optional<QJsonObject> LedgerReport::models(const UsageFilter &filter, QString *error) const
{
    const UsageFilter::Sql sql = filter.sql();
    const QString with = withClause(sql);
    QSqlQuery totals(m_db);
    if (!run(totals,
             with +
                 u"SELECT u.model_alias, COUNT(*), SUM(CASE WHEN u.outcome <> 'ok' THEN 1 ELSE 0 "
                 u"END), MAX(u.duration_us), "
                 "COUNT(u.first_byte_us), MAX(u.first_byte_us), SUM(u.prompt_tokens), "
                 "SUM(u.completion_tokens), SUM(u.total_tokens), SUM(u.cost_micros), "
                 "COUNT(*) - COUNT(u.cost_micros) FROM usage u WHERE "_s +
                 sql.where + u" GROUP BY u.model_alias ORDER BY COUNT(*) DESC, u.model_alias"_s,
             sql.values, error))
        return std::nullopt;
    struct Model
    {
        QJsonObject json;
        qint64 calls = 0;
        qint64 firstBytes = 0;
        QJsonObject duration;
        QJsonObject firstByte;
    };
    QList<Model> models;
    QHash<QString, qsizetype> index;
    while (totals.next()) {
        const auto integer = [&](int i) { return value(totals.value(i), Kind::Integer); };
        Model model;
        model.calls = totals.value(1).toLongLong();
        model.firstBytes = totals.value(4).toLongLong();
        model.json = {{u"model"_s, value(totals.value(0), Kind::Text)},
                      {u"calls"_s, integer(1)},
                      {u"errors"_s, integer(2)},
                      {u"promptTokens"_s, integer(6)},
                      {u"completionTokens"_s, integer(7)},
                      {u"totalTokens"_s, integer(8)},
                      {u"costMicros"_s, totals.value(9).toLongLong()},
                      {u"unpricedCalls"_s, integer(10)}};
        model.duration = {{u"p50"_s, QJsonValue::Null},
                          {u"p95"_s, QJsonValue::Null},
                          {u"p99"_s, QJsonValue::Null},
                          {u"max"_s, integer(3)}};
        model.firstByte = {{u"count"_s, integer(4)},
                           {u"p50"_s, QJsonValue::Null},
                           {u"p95"_s, QJsonValue::Null},
                           {u"p99"_s, QJsonValue::Null},
                           {u"max"_s, integer(5)}};
        index.insert(totals.value(0).toString(), models.size());
        models.append(model);
    }
    // Exact percentiles: each model's values come sorted from SQL; the nearest rank (the
    // smallest value with at least p% of the values at or below it) is picked as they pass.
    const auto percentiles = [&](const QString &column, bool firstByte) {
        QSqlQuery sorted(m_db);
        if (!run(sorted,
                 with + u"SELECT u.model_alias, "_s + column + u" FROM usage u WHERE "_s +
                     sql.where + u" AND "_s + column + u" IS NOT NULL ORDER BY u.model_alias, "_s +
                     column,
                 sql.values, error))
            return false;
        QString current;
        qsizetype at = -1;
        qint64 rank = 0;
        while (sorted.next()) {
            const QString model = sorted.value(0).toString();
            if (at < 0 || model != current) {
                current = model;
                at = index.value(model, -1);
                rank = 0;
            }
            if (at < 0)
                continue;
            ++rank;
            Model &m = models[at];
            const qint64 count = firstByte ? m.firstBytes : m.calls;
            QJsonObject &target = firstByte ? m.firstByte : m.duration;
            for (const int p : {50, 95, 99}) {
                if (rank == (p * count + 99) / 100)
                    target.insert(u"p"_s + QString::number(p), sorted.value(1).toLongLong());
            }
        }
        return true;
    };
    if (!percentiles(u"u.duration_us"_s, false) || !percentiles(u"u.first_byte_us"_s, true))
        return std::nullopt;
    QJsonArray list;
    for (Model &model : models) {
        model.json.insert(u"durationUs"_s, model.duration);
        model.json.insert(u"firstByteUs"_s, model.firstByte);
        list.append(model.json);
    }
    QJsonObject answer = windowJson(filter);
    answer.insert(u"models"_s, list);
    return answer;
}

std::optional<LedgerReport::Dimension> LedgerReport::dimension(const QString &name)
{
    const qsizetype index = dimensionNames().indexOf(name.isEmpty() ? u"none"_s : name);
    if (index < 0)
        return std::nullopt;
    return Dimension(index);
}

std::optional<LedgerReport::Bucket> LedgerReport::bucket(const QString &name)
{
    const qsizetype index = bucketNames().indexOf(name.isEmpty() ? u"none"_s : name);
    if (index < 0)
        return std::nullopt;
    return Bucket(index);
}

qint64 LedgerReport::bucketLengthMs(Bucket bucket)
{
    switch (bucket) {
    case Bucket::None:
        return 0;
    case Bucket::Minute:
        return 60'000;
    case Bucket::Hour:
        return 3'600'000;
    case Bucket::Day:
        return 86'400'000;
    }
    return 0;
}
