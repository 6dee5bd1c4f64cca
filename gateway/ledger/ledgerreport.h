#pragma once

#include "ledger/usagefilter.h"

#include <QJsonObject>
#include <QSqlDatabase>

#include <optional>

// What the ledger says about a scope, as JSON: its usage rows joined with their events (a
// timeline), one request's event, summaries by a dimension and a time bucket, and per-model
// observability. Money is summed in SQL as exact integer micro-dollars; unpriced rows are
// counted apart, never as $0. Runs on a read connection (the reader thread's or the CLI's).
class LedgerReport
{
public:
    enum class Dimension
    {
        None,
        Model,
        Provider,
        Flow,
        Key,
        Account,
        User,
        Execution,
        Session,
        Principal,
        Outcome
    };
    // UTC-aligned; minutes are for short windows (the console's last hour).
    enum class Bucket
    {
        None,
        Minute,
        Hour,
        Day
    };
    // A summary stops here (and says so): hours x keys can multiply.
    static constexpr int kMaxGroups = 10000;

    explicit LedgerReport(QSqlDatabase db)
        : m_db(std::move(db))
    {}

    // {"from","to","rows":[row with "event" (the preview, or null)],"nextCursor"}: the filter's
    // rows in its order, at most its limit; nextCursor is null on the last page. eventsOnly
    // leaves out rows whose event was not kept (pruned, or events off).
    std::optional<QJsonObject> rows(const UsageFilter &filter, bool eventsOnly,
                                    QString *error) const;
    // One request: its usage row, its event preview and, when kept, the redacted bodies. An
    // empty object when the ledger has no such request.
    std::optional<QJsonObject> event(const QString &requestId, QString *error) const;
    // {"by","bucket","groups":[{"key","bucketStartMs","requests","errors","promptTokens",
    // "completionTokens","totalTokens","cachedTokens","costMicros","pricedRequests",
    // "unpricedRequests"}],"totals":{...},"truncated"}; errors are rows whose outcome is not ok.
    std::optional<QJsonObject> summary(const UsageFilter &filter, Dimension by, Bucket bucket,
                                       QString *error) const;
    // {"models":[{"model","calls","errors","durationUs":{"p50","p95","p99","max"},
    // "firstByteUs":{"count","p50","p95","p99","max"},tokens,"costMicros","unpricedCalls"}]}.
    // Percentiles are exact: nearest rank over the window's rows, sorted in SQL.
    std::optional<QJsonObject> models(const UsageFilter &filter, QString *error) const;

    static std::optional<Dimension> dimension(const QString &name);
    static std::optional<Bucket> bucket(const QString &name); // none, minute, hour or day
    // A bucket's length in milliseconds; 0 for None.
    static qint64 bucketLengthMs(Bucket bucket);

private:
    QSqlDatabase m_db;
};
