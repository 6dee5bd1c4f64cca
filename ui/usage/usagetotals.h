#pragma once

#include <QJsonObject>
#include <QString>

// The sums of a set of ledger rows as LedgerReport::summary gives them: money over the priced
// rows only, with the unpriced rows counted apart so they are never shown as $0.
struct UsageTotals
{
    qint64 requests = 0;
    qint64 errors = 0;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 totalTokens = 0;
    qint64 costMicros = 0;
    qint64 pricedRequests = 0;
    qint64 unpricedRequests = 0;

    // A summary group or its "totals".
    static UsageTotals fromJson(const QJsonObject &object);
    void add(const UsageTotals &other);
    bool isEmpty() const { return requests == 0; }
    bool operator==(const UsageTotals &other) const = default;

    // "$1.20", "$1.20 + 3 unpriced", "3 unpriced", or "–" without requests.
    QString costText() const;
};
