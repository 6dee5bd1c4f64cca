#include "executionlistmodel.h"

#include "common/consolestyle.h"
#include "common/displaytext.h"
#include "keyedrows.h"

#include <QLocale>

using namespace Qt::StringLiterals;

ExecutionRow ExecutionRow::fromJson(const QJsonObject &execution, qint64 nowMs)
{
    ExecutionRow entry;
    entry.id = execution.value(u"id"_s).toString();
    entry.flow = execution.value(u"flow"_s).toString();
    entry.account = execution.value(u"account"_s).toString();
    entry.principal = execution.value(u"principal"_s).toString();
    entry.command = execution.value(u"command"_s).toString();
    if (const QJsonValue exit = execution.value(u"exitStatus"_s); exit.isDouble())
        entry.exitStatus = exit.toInt();
    entry.startedAtMs = execution.value(u"startedAtMs"_s).toInteger();
    const QJsonValue ended = execution.value(u"endedAtMs"_s);
    entry.durationMs = (ended.isDouble() ? ended.toInteger() : nowMs) - entry.startedAtMs;
    const QString status = execution.value(u"status"_s).toString();
    entry.state = status == u"succeeded" ? Activity::Succeeded
                  : status == u"failed"  ? Activity::Failed
                                         : Activity::Running;
    return entry;
}

ExecutionListModel::ExecutionListModel(QObject *parent)
    : KeyedTableModel(parent)
{}

void ExecutionListModel::setEntries(const QList<Entry> &entries)
{
    replaceEntries(entries, [](const Entry &entry) { return entry.id; });
}

int ExecutionListModel::rowOf(const QString &id) const
{
    for (int row = 0; row < m_entries.size(); ++row) {
        if (m_entries.at(row).id == id)
            return row;
    }
    return -1;
}

int ExecutionListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ExecutionListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &entry = m_entries.at(index.row());
    const auto orDash = [](const QString &text) {
        return text.isEmpty() ? QStringLiteral("–") : text;
    };
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Execution:
            return entry.command.isEmpty() ? entry.id : entry.command;
        case Flow:
            return orDash(entry.flow);
        case Principal:
            return orDash(entry.principal);
        case Started:
            return DisplayText::time(entry.startedAtMs);
        case Duration:
            return DisplayText::duration(entry.durationMs * 1000);
        case Requests:
            return QLocale().toString(entry.totals.requests);
        case Tokens:
            return DisplayText::tokens(entry.totals.totalTokens);
        case Cost:
            return entry.totals.costText();
        case Status:
            if (entry.state == Activity::Failed && entry.exitStatus)
                return tr("failed (exit %1)").arg(*entry.exitStatus);
            return Activity::text(entry.state);
        }
        break;
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(index.column() >= Duration && index.column() <= Cost
                                       ? Qt::AlignRight | Qt::AlignVCenter
                                       : Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (index.column() == Status) {
            const QColor color = Activity::color(entry.state);
            return color.isValid() ? QVariant(color) : QVariant();
        }
        if (index.column() == Cost && entry.totals.requests > 0 && entry.totals.pricedRequests == 0)
            return ConsoleStyle::muted();
        break;
    case Qt::ToolTipRole:
        if (index.column() == Execution)
            return tr("%1 in account %2").arg(entry.id, entry.account);
        break;
    case IdRole:
        return entry.id;
    default:
        break;
    }
    return {};
}

QVariant ExecutionListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue(section >= Duration && section <= Cost
                                       ? Qt::AlignRight | Qt::AlignVCenter
                                       : Qt::AlignLeft | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Execution:
        return tr("Execution");
    case Flow:
        return tr("Flow");
    case Principal:
        return tr("Principal");
    case Started:
        return tr("Started");
    case Duration:
        return tr("Duration");
    case Requests:
        return tr("Requests");
    case Tokens:
        return tr("Tokens");
    case Cost:
        return tr("Cost");
    case Status:
        return tr("Status");
    }
    return {};
}
