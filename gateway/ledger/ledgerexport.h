#pragma once

#include "ledger/usagefilter.h"

#include <QSqlDatabase>

#include <optional>

class QIODevice;

// Usage rows or events as CSV (RFC 4180, a header row) or JSON Lines, written row by row to a
// device. Rows are read in pages (keyset on started_at_ms and id), each its own short read, so
// a long export never holds a snapshot that stops the WAL from being checkpointed.
class LedgerExport
{
public:
    enum class Table
    {
        Usage,
        Events
    };
    enum class Format
    {
        Csv,
        JsonLines
    };
    struct Result
    {
        qint64 rows = 0;
        bool truncated = false; // more rows matched than maxRows / maxBytes allowed
    };
    static constexpr int kPageRows = 5000;

    LedgerExport(QSqlDatabase db, Table table, Format format)
        : m_db(std::move(db))
        , m_table(table)
        , m_format(format)
    {}

    // Every row the filter selects, in its order from its cursor on (its limit is ignored), up
    // to maxRows rows; a row that would take the output past maxBytes is not written. Empty
    // with *error when a query or a write fails (what was written stays written).
    std::optional<Result> write(UsageFilter filter, QIODevice *out, qint64 maxRows, qint64 maxBytes,
                                QString *error) const;

    // usage, events / csv, jsonl
    static std::optional<Table> table(const QString &name);
    static std::optional<Format> format(const QString &name);
    static QByteArray contentType(Format format);

    // One CSV field: quoted when it holds a comma, a quote, CR or LF (quotes doubled).
    static QByteArray csvField(const QByteArray &utf8);

private:
    QSqlDatabase m_db;
    Table m_table;
    Format m_format;
};
