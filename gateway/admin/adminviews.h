#pragma once

#include <QStringList>

class HttpExchange;
class LedgerQueries;

// The admin API's read side: a flow execution's, a runtime session's (with its child
// sessions) or an account's timeline, events, summaries, per-model observability and exports
// of usage and events, all with the same filters. Queries run on the ledger's reader thread;
// the answer is sent when it comes back, and dropped if the client has left by then.
class AdminViews
{
public:
    // Views of a scope look this far back unless `from` says otherwise.
    static constexpr qint64 kScopeWindowMs = 30LL * 24 * 3600 * 1000;
    static constexpr int kMaxViewRows = 10000;
    // An export answered in one body stops here and says so (x-gatehouse-truncated: true);
    // `gatehouse export` has no such cap.
    static constexpr qint64 kMaxExportRows = 100000;
    static constexpr qint64 kMaxExportBytes = 64LL << 20;

    AdminViews(LedgerQueries *queries, qint64 nowMs)
        : m_queries(queries)
        , m_nowMs(nowMs)
    {}

    // Whether the first segment after /admin/v1/ is one of these views'.
    static bool serves(const QString &resource);
    // segments: the path after /admin/v1/, decoded. Answers now (a bad request) or later.
    void handle(HttpExchange *exchange, const QStringList &segments);

private:
    LedgerQueries *m_queries;
    qint64 m_nowMs;
};
