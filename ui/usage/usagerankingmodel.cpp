#include "usagerankingmodel.h"

#include "common/consolestyle.h"
#include "common/displaytext.h"

#include <QJsonObject>
#include <QLocale>

#include <algorithm>

using namespace Qt::StringLiterals;

UsageRankingModel::UsageRankingModel(QString nameHeader, QString noKey, QObject *parent)
    : QAbstractTableModel(parent)
    , m_nameHeader(std::move(nameHeader))
    , m_noKey(std::move(noKey))
{}

void UsageRankingModel::setGroups(const QJsonArray &groups)
{
    QList<Entry> entries;
    for (const QJsonValue &value : groups) {
        const QJsonObject group = value.toObject();
        entries.append({group.value(u"key"_s).toString(), UsageTotals::fromJson(group)});
    }
    std::sort(entries.begin(), entries.end(), [](const Entry &a, const Entry &b) {
        if (a.totals.costMicros != b.totals.costMicros)
            return a.totals.costMicros > b.totals.costMicros;
        if (a.totals.totalTokens != b.totals.totalTokens)
            return a.totals.totalTokens > b.totals.totalTokens;
        if (a.totals.requests != b.totals.requests)
            return a.totals.requests > b.totals.requests;
        return a.key < b.key;
    });
    entries.resize(std::min<qsizetype>(entries.size(), kLimit));
    beginResetModel();
    m_entries = entries;
    endResetModel();
}

QString UsageRankingModel::key(int row) const
{
    return m_entries.value(row).key;
}

UsageTotals UsageRankingModel::totals(int row) const
{
    return m_entries.value(row).totals;
}

int UsageRankingModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int UsageRankingModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant UsageRankingModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &entry = m_entries.at(index.row());
    const UsageTotals &totals = entry.totals;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name:
            return entry.key.isEmpty() ? m_noKey : entry.key;
        case Requests:
            return QLocale().toString(totals.requests);
        case Tokens:
            return DisplayText::tokens(totals.totalTokens);
        case Cost:
            return totals.costText();
        }
        break;
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(index.column() == Name ? Qt::AlignLeft | Qt::AlignVCenter
                                                          : Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if ((index.column() == Name && entry.key.isEmpty()) ||
            (index.column() == Cost && totals.pricedRequests == 0))
            return ConsoleStyle::muted();
        break;
    case Qt::ToolTipRole:
        return tr("%1 in, %2 out; %n failed or denied", nullptr, int(totals.errors))
            .arg(DisplayText::tokens(totals.promptTokens),
                 DisplayText::tokens(totals.completionTokens));
    default:
        break;
    }
    return {};
}

QVariant UsageRankingModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue(section == Name ? Qt::AlignLeft | Qt::AlignVCenter
                                                   : Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return m_nameHeader;
    case Requests:
        return tr("Requests");
    case Tokens:
        return tr("Tokens");
    case Cost:
        return tr("Cost");
    }
    return {};
}
