#pragma once

#include "activity.h"
#include "keyedtablemodel.h"
#include "usage/usagetotals.h"

#include <QJsonObject>

#include <optional>

// One flow execution as the Sessions page lists it.
struct ExecutionRow
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
    static ExecutionRow fromJson(const QJsonObject &execution, qint64 nowMs);
    bool operator==(const ExecutionRow &other) const = default;
};

// The flow executions the gateway knows (running, and those that ended in the last day), newest
// first, with their totals from the ledger and how they ended. Refreshing keeps rows in place.
class ExecutionListModel : public KeyedTableModel<ExecutionRow>
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

    using Entry = ExecutionRow;

    explicit ExecutionListModel(QObject *parent = nullptr);

    void setEntries(const QList<Entry> &entries); // newest first
    int rowOf(const QString &id) const;

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
};
