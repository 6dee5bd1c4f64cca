#pragma once

#include "usagetotals.h"

#include <QAbstractTableModel>
#include <QJsonArray>

// The largest keys of one dimension (flows, API keys, models) by spend, then tokens: requests,
// tokens and cost of each, unpriced requests counted apart ("$1.20 + 3 unpriced").
class UsageRankingModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Name,
        Requests,
        Tokens,
        Cost,
        ColumnCount
    };
    static constexpr int kLimit = 10;

    // nameHeader: the first column's title; noKey: what a group without a key is called.
    UsageRankingModel(QString nameHeader, QString noKey, QObject *parent = nullptr);

    // The groups of a summary without time buckets.
    void setGroups(const QJsonArray &groups);
    QString key(int row) const;
    UsageTotals totals(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Entry
    {
        QString key;
        UsageTotals totals;
    };
    QString m_nameHeader;
    QString m_noKey;
    QList<Entry> m_entries;
};
