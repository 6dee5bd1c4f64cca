#include "ledger/usagefilter.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace {

// Sessions nest through sub-agents; a cycle in hostile data must not make the tree endless.
constexpr int kMaxSessionDepth = 32;

QString parameter(const QUrlQuery &query, const QString &name)
{
    return query.queryItemValue(name, QUrl::FullyDecoded).trimmed();
}

} // namespace

QString UsageFilter::Cursor::toText() const
{
    return QString::number(startedAtMs) + u'.' + QString::number(id);
}

std::optional<UsageFilter::Cursor> UsageFilter::Cursor::fromText(const QString &text)
{
    const QStringList parts = text.split(u'.');
    if (parts.size() != 2)
        return std::nullopt;
    bool msOk = false;
    bool idOk = false;
    Cursor cursor{parts[0].toLongLong(&msOk), parts[1].toLongLong(&idOk)};
    if (!msOk || !idOk)
        return std::nullopt;
    return cursor;
}

UsageFilter::Sql UsageFilter::sql() const
{
    Sql sql;
    QStringList terms{u"u.started_at_ms >= ?"_s, u"u.started_at_ms < ?"_s};
    QVariantList values{fromMs, toMs};
    const auto equal = [&](const QString &column, const QString &value) {
        if (value.isEmpty())
            return;
        terms += column + u" = ?"_s;
        values += value;
    };
    equal(u"u.account"_s, account);
    equal(u"u.user_name"_s, user);
    equal(u"u.api_key"_s, apiKey);
    equal(u"u.flow"_s, flow);
    equal(u"u.execution_id"_s, execution);
    equal(u"u.provider"_s, provider);
    equal(u"u.outcome"_s, outcome);
    if (!model.isEmpty()) {
        terms += u"(u.model_alias = ? OR u.upstream_model = ?)"_s;
        values += model;
        values += model;
    }
    if (!session.isEmpty()) {
        sql.with = u"scope_sessions(id, depth) AS (SELECT ?, 0 UNION "
                   "SELECT s.id, t.depth + 1 FROM runtime_sessions s "
                   "JOIN scope_sessions t ON s.parent_id = t.id WHERE t.depth < %1)"_s.arg(
                       kMaxSessionDepth);
        sql.values += session;
        terms += u"u.runtime_session IN (SELECT id FROM scope_sessions)"_s;
    }
    if (cursor) {
        // The first term is a plain range on started_at_ms, which an index can seek to.
        terms += descending ? u"u.started_at_ms <= ? AND (u.started_at_ms < ? OR u.id < ?)"_s
                            : u"u.started_at_ms >= ? AND (u.started_at_ms > ? OR u.id > ?)"_s;
        values += cursor->startedAtMs;
        values += cursor->startedAtMs;
        values += cursor->id;
    }
    sql.where = terms.join(u" AND "_s);
    sql.values += values;
    return sql;
}

QString UsageFilter::orderBy() const
{
    return descending ? u"ORDER BY u.started_at_ms DESC, u.id DESC"_s
                      : u"ORDER BY u.started_at_ms, u.id"_s;
}

UsageFilter UsageFilter::window(qint64 nowMs, qint64 windowMs)
{
    UsageFilter filter;
    filter.toMs = nowMs + 1;
    filter.fromMs = filter.toMs - windowMs;
    return filter;
}

std::optional<UsageFilter> UsageFilter::fromQuery(const QUrlQuery &query, qint64 nowMs,
                                                  qint64 defaultWindowMs, int maxLimit,
                                                  QString *error)
{
    UsageFilter filter = window(nowMs, defaultWindowMs);
    const auto time = [&](const QString &name, qint64 *target) {
        const QString text = parameter(query, name);
        if (text.isEmpty())
            return true;
        const auto parsed = parseTime(text, nowMs);
        if (!parsed) {
            *error = u"%1: expected epoch milliseconds, an ISO 8601 time or a duration ago such "
                     "as 24h (got \"%2\")"_s.arg(name, text);
            return false;
        }
        *target = *parsed;
        return true;
    };
    if (!time(u"to"_s, &filter.toMs))
        return std::nullopt;
    filter.fromMs = filter.toMs - defaultWindowMs;
    if (!time(u"from"_s, &filter.fromMs))
        return std::nullopt;
    if (filter.fromMs > filter.toMs) {
        *error = u"from is after to"_s;
        return std::nullopt;
    }
    filter.account = parameter(query, u"account"_s);
    filter.user = parameter(query, u"user"_s);
    filter.apiKey = parameter(query, u"key"_s);
    filter.flow = parameter(query, u"flow"_s);
    filter.execution = parameter(query, u"execution"_s);
    filter.session = parameter(query, u"session"_s);
    filter.model = parameter(query, u"model"_s);
    filter.provider = parameter(query, u"provider"_s);
    filter.outcome = parameter(query, u"outcome"_s);
    filter.limit = std::min(kDefaultLimit, maxLimit);
    if (const QString limit = parameter(query, u"limit"_s); !limit.isEmpty()) {
        bool ok = false;
        const int value = limit.toInt(&ok);
        if (!ok || value < 1 || value > maxLimit) {
            *error = u"limit: expected 1 to %1 (got \"%2\")"_s.arg(maxLimit).arg(limit);
            return std::nullopt;
        }
        filter.limit = value;
    }
    const QString order = parameter(query, u"order"_s);
    if (!order.isEmpty() && order != u"asc" && order != u"desc") {
        *error = u"order: expected asc or desc (got \"%1\")"_s.arg(order);
        return std::nullopt;
    }
    filter.descending = order == u"desc";
    if (const QString cursor = parameter(query, u"cursor"_s); !cursor.isEmpty()) {
        filter.cursor = Cursor::fromText(cursor);
        if (!filter.cursor) {
            *error =
                u"cursor: expected the nextCursor of a previous page (got \"%1\")"_s.arg(cursor);
            return std::nullopt;
        }
    }
    return filter;
}

std::optional<qint64> UsageFilter::parseTime(const QString &text, qint64 nowMs)
{
    static const QRegularExpression digits(u"^[0-9]{1,15}$"_s);
    if (digits.match(text).hasMatch())
        return text.toLongLong();
    static const QRegularExpression ago(u"^([0-9]{1,9})([smhd])$"_s);
    if (const auto match = ago.match(text); match.hasMatch()) {
        const qint64 count = match.captured(1).toLongLong();
        const QChar unit = match.captured(2).at(0);
        const qint64 unitMs = unit == u's'   ? 1000
                              : unit == u'm' ? 60'000
                              : unit == u'h' ? 3'600'000
                                             : 86'400'000;
        return nowMs - count * unitMs;
    }
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid())
        return std::nullopt;
    // Without an offset an ISO time is read as UTC, the ledger's own time base.
    if (time.timeSpec() == Qt::LocalTime)
        time.setTimeSpec(Qt::UTC);
    return time.toMSecsSinceEpoch();
}
