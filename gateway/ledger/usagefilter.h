#pragma once

#include <QString>
#include <QVariantList>

#include <optional>

class QUrlQuery;

// Which usage rows a view or an export covers: a time window, the subject (a session with its
// child sessions), the model, the provider, the outcome, a page size and a cursor. Shared by the
// admin API's views, its exports and `gatehouse export`, so they all mean the same rows.
struct UsageFilter
{
    static constexpr qint64 kDefaultWindowMs = 24LL * 3600 * 1000;
    static constexpr int kDefaultLimit = 1000;

    // The row a page ended on; the next page continues after it in the listing's order.
    struct Cursor
    {
        qint64 startedAtMs = 0;
        qint64 id = 0;
        QString toText() const; // "MS.ID", what `cursor=` takes back
        static std::optional<Cursor> fromText(const QString &text);
    };

    // The condition on the usage table (alias "u"). `with` is a common table expression to put
    // first in the statement (the session tree) or empty; values bind in textual order: the
    // CTE's first, then the condition's.
    struct Sql
    {
        QString with;
        QString where;
        QVariantList values;
    };

    qint64 fromMs = 0; // inclusive
    qint64 toMs = 0;   // exclusive
    QString account;
    QString user;
    QString apiKey;
    QString flow;
    QString execution;
    QString session; // with its child sessions, at any depth
    QString model;   // the alias or the upstream model
    QString provider;
    QString outcome;
    int limit = kDefaultLimit;
    bool descending = false; // newest first
    std::optional<Cursor> cursor;

    Sql sql() const;
    // "ORDER BY" with the listing's order (started_at_ms, then id).
    QString orderBy() const;

    // The last windowMs up to now, at most limit rows.
    static UsageFilter window(qint64 nowMs, qint64 windowMs = kDefaultWindowMs);

    // Reads from, to, account, user, key, flow, execution, session, model, provider, outcome,
    // limit (at most maxLimit), order (asc/desc) and cursor from URL query parameters. A missing
    // `from` is `to` minus defaultWindowMs; a missing `to` is now. Empty with *error naming the
    // parameter when one is malformed.
    static std::optional<UsageFilter> fromQuery(const QUrlQuery &query, qint64 nowMs,
                                                qint64 defaultWindowMs, int maxLimit,
                                                QString *error);
    // Epoch milliseconds, ISO 8601 ("2026-11-24T05:00:00Z", "2026-11-24", UTC unless an offset
    // is given), or a duration ago ("90s", "30m", "24h", "7d").
    static std::optional<qint64> parseTime(const QString &text, qint64 nowMs);
};
