#pragma once

#include <QByteArray>
#include <QSet>

// The values one metric label may take, bounded: the first `limit` distinct values pass, later
// ones become "other", so clients cannot grow the metrics (and the scrape) without bound.
class BoundedLabel
{
public:
    explicit BoundedLabel(int limit)
        : m_limit(limit)
    {}

    QByteArray operator()(const QByteArray &value);

private:
    QSet<QByteArray> m_admitted;
    int m_limit;
};
