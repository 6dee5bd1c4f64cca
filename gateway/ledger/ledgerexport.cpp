#include "ledger/ledgerexport.h"

#include "events/sharedtext.h"
#include "protocol/jsonescape.h"

#include <QIODevice>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <span>

using namespace Qt::StringLiterals;

namespace {

enum class Kind
{
    Text,
    Integer,
    Json // already JSON (the event preview): spliced as it is into JSON Lines
};

struct Column
{
    const char *name; // the CSV header and the JSON key: the ledger's own column names
    const char16_t *sql;
    Kind kind;
};

constexpr Column kUsageColumns[] = {
    {"request_id", u"u.request_id", Kind::Text},
    {"started_at_ms", u"u.started_at_ms", Kind::Integer},
    {"account", u"u.account", Kind::Text},
    {"user_name", u"u.user_name", Kind::Text},
    {"api_key", u"u.api_key", Kind::Text},
    {"flow", u"u.flow", Kind::Text},
    {"execution_id", u"u.execution_id", Kind::Text},
    {"runtime_session", u"u.runtime_session", Kind::Text},
    {"principal", u"u.principal", Kind::Text},
    {"principal_type", u"u.principal_type", Kind::Text},
    {"credential_id", u"u.credential_id", Kind::Text},
    {"governed", u"u.governed", Kind::Integer},
    {"endpoint", u"u.endpoint", Kind::Text},
    {"provider", u"u.provider", Kind::Text},
    {"model_alias", u"u.model_alias", Kind::Text},
    {"upstream_model", u"u.upstream_model", Kind::Text},
    {"prompt_tokens", u"u.prompt_tokens", Kind::Integer},
    {"completion_tokens", u"u.completion_tokens", Kind::Integer},
    {"total_tokens", u"u.total_tokens", Kind::Integer},
    {"cached_tokens", u"u.cached_tokens", Kind::Integer},
    {"cache_write_tokens", u"u.cache_write_tokens", Kind::Integer},
    {"reasoning_tokens", u"u.reasoning_tokens", Kind::Integer},
    {"usage_reported", u"u.usage_reported", Kind::Integer},
    {"cost_micros", u"u.cost_micros", Kind::Integer},
    {"price_source", u"u.price_source", Kind::Text},
    {"reserved_micros", u"u.reserved_micros", Kind::Integer},
    {"reserved_tokens", u"u.reserved_tokens", Kind::Integer},
    {"first_byte_us", u"u.first_byte_us", Kind::Integer},
    {"duration_us", u"u.duration_us", Kind::Integer},
    {"http_status", u"u.http_status", Kind::Integer},
    {"stream", u"u.stream", Kind::Integer},
    {"outcome", u"u.outcome", Kind::Text},
    {"error", u"u.error", Kind::Text},
};

constexpr Column kEventColumns[] = {
    {"request_id", u"u.request_id", Kind::Text},
    {"started_at_ms", u"u.started_at_ms", Kind::Integer},
    {"account", u"u.account", Kind::Text},
    {"user_name", u"u.user_name", Kind::Text},
    {"api_key", u"u.api_key", Kind::Text},
    {"flow", u"u.flow", Kind::Text},
    {"execution_id", u"u.execution_id", Kind::Text},
    {"runtime_session", u"u.runtime_session", Kind::Text},
    {"provider", u"u.provider", Kind::Text},
    {"model_alias", u"u.model_alias", Kind::Text},
    {"http_status", u"u.http_status", Kind::Integer},
    {"outcome", u"u.outcome", Kind::Text},
    {"queued_us", u"e.queued_us", Kind::Integer},
    {"request_bytes", u"e.request_bytes", Kind::Integer},
    {"response_bytes", u"e.response_bytes", Kind::Integer},
    {"stored_bytes", u"e.stored_bytes", Kind::Integer},
    {"preview", u"e.preview", Kind::Json},
    {"request_body", u"e.request_body", Kind::Text},
    {"response_body", u"e.response_body", Kind::Text},
};

QByteArray csvValue(const QVariant &value, Kind kind)
{
    if (value.isNull())
        return {};
    if (kind == Kind::Integer)
        return QByteArray::number(value.toLongLong());
    return LedgerExport::csvField(value.toString().toUtf8());
}

QByteArray jsonValue(const QVariant &value, Kind kind)
{
    if (value.isNull())
        return QByteArrayLiteral("null");
    switch (kind) {
    case Kind::Integer:
        return QByteArray::number(value.toLongLong());
    case Kind::Json: {
        // Valid JSON has no raw line break inside a string: outside them one is whitespace,
        // and a line of JSON Lines must not hold one.
        QByteArray json = value.toByteArray();
        json.replace('\n', ' ').replace('\r', ' ');
        return json;
    }
    case Kind::Text:
        break;
    }
    return jsonString(value.toString());
}

} // namespace

std::optional<LedgerExport::Result> LedgerExport::write(UsageFilter filter, QIODevice *out,
                                                        qint64 maxRows, qint64 maxBytes,
                                                        QString *error) const
{
    const std::span<const Column> columns = m_table == Table::Usage
                                                ? std::span<const Column>(kUsageColumns)
                                                : std::span<const Column>(kEventColumns);
    QStringList select;
    for (const Column &column : columns)
        select += QString::fromUtf16(column.sql);
    // Events: the shared text of a system prompt's head comes last, for the preview (Kind::Json).
    if (m_table == Table::Events)
        select += u"etext.text"_s;
    const QString from = m_table == Table::Usage
                             ? u" FROM usage u"_s
                             : u" FROM usage u JOIN events e ON e.request_id = u.request_id LEFT "
                               "JOIN event_texts etext ON etext.digest = e.system_digest"_s;

    // JSON Lines: each column's key with what precedes it, made once.
    QByteArrayList keys;
    for (const Column &column : columns)
        keys += (keys.isEmpty() ? "{\"" : ",\"") + QByteArray(column.name) + "\":";
    QByteArray line; // reused: its capacity stays between rows

    Result result;
    qint64 written = 0;
    const auto put = [&](const QByteArray &bytes) {
        if (out->write(bytes) != bytes.size()) {
            *error = u"writing the export: %1"_s.arg(out->errorString());
            return false;
        }
        written += bytes.size();
        return true;
    };
    if (m_format == Format::Csv) {
        QByteArrayList header;
        for (const Column &column : columns)
            header += column.name;
        if (!put(header.join(',') + "\r\n"))
            return std::nullopt;
    }

    for (;;) {
        // One row past maxRows says whether the export was cut.
        const qint64 left = maxRows - result.rows;
        const qint64 wanted = left >= kPageRows ? kPageRows : left + 1;
        const UsageFilter::Sql sql = filter.sql();
        QSqlQuery query(m_db);
        query.setForwardOnly(true);
        const QString statement =
            (sql.with.isEmpty() ? QString() : u"WITH RECURSIVE "_s + sql.with + u' ') +
            u"SELECT u.id, "_s + select.join(u", "_s) + from + u" WHERE "_s + sql.where + u' ' +
            filter.orderBy() + u" LIMIT "_s + QString::number(wanted);
        if (!query.prepare(statement)) {
            *error = query.lastError().text();
            return std::nullopt;
        }
        for (const QVariant &value : sql.values)
            query.addBindValue(value);
        if (!query.exec()) {
            *error = query.lastError().text();
            return std::nullopt;
        }
        qint64 pageRows = 0;
        while (query.next()) {
            ++pageRows;
            if (result.rows == maxRows) {
                result.truncated = true;
                return result;
            }
            line.resize(0);
            int index = 1;
            const QVariant sharedText =
                m_table == Table::Events ? query.value(int(columns.size()) + 1) : QVariant();
            for (const Column &column : columns) {
                QVariant value = query.value(index);
                if (column.kind == Kind::Json && !value.isNull())
                    value = SharedText::restore(value.toByteArray(), sharedText.toByteArray());
                if (m_format == Format::Csv) {
                    if (index > 1)
                        line += ',';
                    line += csvValue(value, column.kind);
                } else {
                    line += keys[index - 1];
                    line += jsonValue(value, column.kind);
                }
                ++index;
            }
            line += m_format == Format::Csv ? QByteArrayView("\r\n") : QByteArrayView("}\n");
            if (written + line.size() > maxBytes) {
                result.truncated = true;
                return result;
            }
            if (!put(line))
                return std::nullopt;
            ++result.rows;
            filter.cursor =
                UsageFilter::Cursor{query.value(2).toLongLong(), query.value(0).toLongLong()};
        }
        // A short page is the last one; the page's read ends here, before the next begins.
        if (pageRows < wanted)
            break;
    }
    return result;
}

std::optional<LedgerExport::Table> LedgerExport::table(const QString &name)
{
    if (name == u"usage")
        return Table::Usage;
    if (name == u"events")
        return Table::Events;
    return std::nullopt;
}

std::optional<LedgerExport::Format> LedgerExport::format(const QString &name)
{
    if (name.isEmpty() || name == u"csv")
        return Format::Csv;
    if (name == u"jsonl" || name == u"ndjson")
        return Format::JsonLines;
    return std::nullopt;
}

QByteArray LedgerExport::contentType(Format format)
{
    return format == Format::Csv ? QByteArrayLiteral("text/csv; charset=utf-8; header=present")
                                 : QByteArrayLiteral("application/jsonl; charset=utf-8");
}

QByteArray LedgerExport::csvField(const QByteArray &utf8)
{
    const bool quote = std::any_of(utf8.cbegin(), utf8.cend(), [](char c) {
        return c == ',' || c == '"' || c == '\r' || c == '\n';
    });
    if (!quote)
        return utf8;
    QByteArray field = utf8;
    field.replace('"', QByteArrayLiteral("\"\""));
    return '"' + field + '"';
}
