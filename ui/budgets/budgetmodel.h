#pragma once

#include "budgetfigures.h"

#include <QAbstractTableModel>
#include <QJsonArray>

class GatewayConsole;

// The gateway's budgets with their current figures, one row per budget, kept stable by budget
// id: the gateway's state pushes update rows in place, add new budgets at the end and remove
// the deleted ones, so views over it keep their selection and scroll position.
class BudgetModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        NameColumn,
        ScopeColumn,
        PeriodColumn,
        EnforcementColumn,
        SpentColumn,
        ReservedColumn,
        LimitColumn,
        UsedColumn,
        ColumnCount
    };
    enum Role
    {
        IdRole = Qt::UserRole + 1, // QString
        FiguresRole,               // BudgetFigures
        LevelRole                  // int, BudgetFigures::Level
    };

    // Follows the console's state and asks for the budgets once to start with.
    explicit BudgetModel(GatewayConsole *console, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    const BudgetFigures &figures(int row) const { return m_rows.at(row).figures; }
    // The row of a budget id, -1 when there is none.
    int rowOf(const QString &id) const;

    // Every budget's status (GET budgets, or the console's state): the whole list.
    void setBudgets(const QJsonArray &statuses);
    // One budget's status (the answer to a create or an edit): updated or added.
    void upsert(const QJsonObject &status);

private:
    struct Row
    {
        QJsonObject status;
        BudgetFigures figures;
    };
    void update(int row, const QJsonObject &status);
    void append(const QList<QJsonObject> &statuses);

    QList<Row> m_rows;
};
