#include "timelinemodel.h"

#include "common/consolestyle.h"
#include "common/displaytext.h"
#include "keyedrows.h"

#include <QJsonValue>

using namespace Qt::StringLiterals;

TimelineRow TimelineRow::fromJson(const QJsonObject &row)
{
    TimelineRow entry;
    entry.requestId = row.value(u"requestId"_s).toString();
    entry.startedAtMs = row.value(u"startedAtMs"_s).toInteger();
    entry.session = row.value(u"session"_s).toString();
    entry.model = row.value(u"modelAlias"_s).toString();
    if (entry.model.isEmpty())
        entry.model = row.value(u"upstreamModel"_s).toString();
    entry.provider = row.value(u"provider"_s).toString();
    entry.httpStatus = row.value(u"status"_s).toInt();
    entry.outcome = row.value(u"outcome"_s).toString();
    entry.error = row.value(u"error"_s).toString();
    entry.promptTokens = row.value(u"promptTokens"_s).toInteger();
    entry.completionTokens = row.value(u"completionTokens"_s).toInteger();
    entry.totalTokens = row.value(u"totalTokens"_s).toInteger();
    const QJsonValue cost = row.value(u"costMicros"_s);
    if (!cost.isNull() && !cost.isUndefined())
        entry.costMicros = cost.toInteger();
    entry.durationUs = row.value(u"durationUs"_s).toInteger();
    entry.firstByteUs = row.value(u"firstByteUs"_s).toInteger(-1);
    return entry;
}

TimelineModel::TimelineModel(QObject *parent)
    : KeyedTableModel(parent)
{}

void TimelineModel::setSessionName(SessionName name)
{
    m_sessionName = std::move(name);
    if (!m_entries.isEmpty())
        Q_EMIT dataChanged(index(0, Session), index(rowCount() - 1, Session));
}

void TimelineModel::setEntries(const QList<Entry> &entries)
{
    replaceEntries(entries, [](const Entry &entry) { return entry.requestId; });
}

int TimelineModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TimelineModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &entry = m_entries.at(index.row());
    const bool ok = entry.outcome == u"ok";
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time:
            return DisplayText::time(entry.startedAtMs);
        case Session:
            return m_sessionName ? m_sessionName(entry.session) : entry.session;
        case Model:
            return entry.model;
        case Status:
            return ok ? QString::number(entry.httpStatus)
                      : u"%1 %2"_s.arg(entry.httpStatus).arg(entry.outcome);
        case InputTokens:
            return DisplayText::tokens(entry.promptTokens);
        case OutputTokens:
            return DisplayText::tokens(entry.completionTokens);
        case Cost:
            return DisplayText::money(entry.costMicros);
        case Duration:
            return DisplayText::duration(entry.durationUs);
        }
        break;
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(index.column() >= InputTokens
                                       ? Qt::AlignRight | Qt::AlignVCenter
                                       : Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (index.column() == Status && !ok)
            return ConsoleStyle::failure();
        if (index.column() == Cost && !entry.costMicros)
            return ConsoleStyle::muted();
        break;
    case Qt::ToolTipRole:
        switch (index.column()) {
        case Session:
            return entry.session;
        case Model:
            return tr("%1 via %2").arg(entry.model, entry.provider);
        case Status:
            return entry.error.isEmpty() ? QVariant() : QVariant(entry.error);
        case Duration:
            return entry.firstByteUs >= 0
                       ? tr("first byte after %1").arg(DisplayText::duration(entry.firstByteUs))
                       : QVariant();
        default:
            break;
        }
        break;
    case RequestIdRole:
        return entry.requestId;
    default:
        break;
    }
    return {};
}

QVariant TimelineModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue(section >= InputTokens ? Qt::AlignRight | Qt::AlignVCenter
                                                          : Qt::AlignLeft | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return tr("Time");
    case Session:
        return tr("Session");
    case Model:
        return tr("Model");
    case Status:
        return tr("Status");
    case InputTokens:
        return tr("In");
    case OutputTokens:
        return tr("Out");
    case Cost:
        return tr("Cost");
    case Duration:
        return tr("Duration");
    }
    return {};
}
