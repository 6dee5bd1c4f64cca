#include "budgetmodel.h"

#include "admin/adminreply.h"
#include "common/consolestyle.h"
#include "gatewayconsole.h"

#include <QColor>
#include <QPointer>
#include <QSet>

BudgetModel::BudgetModel(GatewayConsole *console, QObject *parent)
    : QAbstractTableModel(parent)
{
    connect(console, &GatewayConsole::stateChanged, this,
            [this](const QJsonArray &budgets) { setBudgets(budgets); });
    // The console's first state may have gone out before this model existed.
    console->call("GET", QStringLiteral("budgets"), {},
                  [model = QPointer(this)](const AdminReply &reply) {
                      if (model && !reply.failed())
                          model->setBudgets(reply.body.toArray());
                  });
}

int BudgetModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int BudgetModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BudgetModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const BudgetFigures &budget = m_rows.at(index.row()).figures;
    switch (role) {
    case IdRole:
        return budget.id;
    case FiguresRole:
        return QVariant::fromValue(budget);
    case LevelRole:
        return int(budget.level());
    case Qt::TextAlignmentRole:
        return index.column() >= SpentColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                             : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (index.column() != UsedColumn)
            return {};
        switch (budget.level()) {
        case BudgetFigures::Level::Ok:
            return ConsoleStyle::ok();
        case BudgetFigures::Level::Warning:
            return ConsoleStyle::warning();
        case BudgetFigures::Level::Failure:
            return ConsoleStyle::failure();
        }
        return {};
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case NameColumn:
            return budget.name.isEmpty() ? budget.id : budget.name;
        case ScopeColumn:
            return budget.scopeText();
        case PeriodColumn:
            return budget.periodText();
        case EnforcementColumn:
            return budget.hard ? tr("Hard") : tr("Soft");
        case SpentColumn:
            return budget.amountText(budget.spent());
        case ReservedColumn:
            return budget.amountText(budget.reserved());
        case LimitColumn:
            return budget.amountText(budget.limit());
        case UsedColumn:
            return budget.denying() ? tr("%1% · denying").arg(budget.percent())
                                    : tr("%1%").arg(budget.percent());
        case ColumnCount:
            break;
        }
        return {};
    default:
        return {};
    }
}

QVariant BudgetModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case NameColumn:
        return tr("Budget");
    case ScopeColumn:
        return tr("Scope");
    case PeriodColumn:
        return tr("Period");
    case EnforcementColumn:
        return tr("Enforcement");
    case SpentColumn:
        return tr("Spent");
    case ReservedColumn:
        return tr("Reserved");
    case LimitColumn:
        return tr("Limit");
    case UsedColumn:
        return tr("Used");
    case ColumnCount:
        break;
    }
    return {};
}

int BudgetModel::rowOf(const QString &id) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).figures.id == id)
            return row;
    }
    return -1;
}

void BudgetModel::setBudgets(const QJsonArray &statuses)
{
    QSet<QString> present;
    for (const QJsonValue &value : statuses)
        present.insert(value.toObject().value(u"id").toString());
    // Removed budgets go first, from the end, so the rows before them keep their numbers.
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (present.contains(m_rows.at(row).figures.id))
            continue;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }
    QList<QJsonObject> added;
    for (const QJsonValue &value : statuses) {
        const QJsonObject status = value.toObject();
        const int row = rowOf(status.value(u"id").toString());
        if (row >= 0)
            update(row, status);
        else
            added.append(status);
    }
    append(added);
}

void BudgetModel::upsert(const QJsonObject &status)
{
    const int row = rowOf(status.value(u"id").toString());
    if (row >= 0)
        update(row, status);
    else
        append({status});
}

void BudgetModel::update(int row, const QJsonObject &status)
{
    Row &current = m_rows[row];
    if (current.status == status)
        return;
    current.status = status;
    current.figures = BudgetFigures::fromStatus(status);
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void BudgetModel::append(const QList<QJsonObject> &statuses)
{
    if (statuses.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(statuses.size()) - 1);
    for (const QJsonObject &status : statuses)
        m_rows.append({status, BudgetFigures::fromStatus(status)});
    endInsertRows();
}
