#pragma once

#include "activity.h"
#include "usage/usagetotals.h"

#include <QAbstractTableModel>
#include <QJsonObject>

#include <optional>

// The flow executions the gateway knows (running, and those that ended in the last day), newest
// first, with their totals from the ledger and how they ended. Refreshing keeps rows in place.
class ExecutionListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Execution,
        Flow,
        Principal,
        Started,
        Duration,
        Requests,
        Tokens,
        Cost,
        Status,
        ColumnCount
    };
    static constexpr int IdRole = Qt::UserRole;

    struct Entry
    {
        QString id;
        QString flow;
        QString account;
        QString principal;
        QString command;
        std::optional<int> exitStatus;
        qint64 startedAtMs = 0;
        qint64 durationMs = 0; // to its end, or to now while it runs
        Activity::State state = Activity::Running;
        UsageTotals totals;

        // An item of GET executions; durationMs and state follow from nowMs.
        static Entry fromJson(const QJsonObject &execution, qint64 nowMs);
        bool operator==(const Entry &other) const = default;
    };

    explicit ExecutionListModel(QObject *parent = nullptr);

    void setEntries(const QList<Entry> &entries); // newest first
    const QList<Entry> &entries() const { return m_entries; }
    int rowOf(const QString &id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<Entry> m_entries;
};
