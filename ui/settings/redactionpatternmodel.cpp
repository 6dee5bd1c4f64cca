#include "redactionpatternmodel.h"

#include "common/consolestyle.h"
#include "events/redactor.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

RedactionPatternModel::RedactionPatternModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void RedactionPatternModel::setPatterns(const QList<RedactionPattern> &patterns)
{
    beginResetModel();
    m_patterns = patterns;
    endResetModel();
    Q_EMIT edited();
}

int RedactionPatternModel::addPattern()
{
    QString name;
    for (int n = int(m_patterns.size()) + 1;; ++n) {
        name = u"secret-%1"_s.arg(n);
        const bool taken = std::any_of(m_patterns.cbegin(), m_patterns.cend(),
                                       [&](const RedactionPattern &p) { return p.name == name; });
        if (!taken)
            break;
    }
    const int row = int(m_patterns.size());
    beginInsertRows({}, row, row);
    m_patterns.append({name, QString()});
    endInsertRows();
    Q_EMIT edited();
    return row;
}

void RedactionPatternModel::removePattern(int row)
{
    if (row < 0 || row >= m_patterns.size())
        return;
    beginRemoveRows({}, row, row);
    m_patterns.removeAt(row);
    endRemoveRows();
    Q_EMIT edited();
}

QString RedactionPatternModel::problem(int row) const
{
    const RedactionPattern &pattern = m_patterns.at(row);
    static const QRegularExpression name(u"^[A-Za-z0-9_.\\-]{1,64}$"_s);
    if (!name.match(pattern.name).hasMatch())
        return tr("The name takes 1 to 64 letters, digits, _, - or .");
    if (pattern.regex.isEmpty())
        return tr("Enter a regular expression.");
    const QRegularExpression regex(pattern.regex);
    if (!regex.isValid())
        return tr("%1 at position %2").arg(regex.errorString()).arg(regex.patternErrorOffset());
    if (regex.match(QString()).hasMatch())
        return tr("It matches empty text, so it would match everywhere.");
    // Anything else the redactor would refuse, in its own words.
    QString error;
    if (!Redactor::validate(pattern, &error))
        return error;
    return {};
}

bool RedactionPatternModel::allValid() const
{
    for (int row = 0; row < m_patterns.size(); ++row) {
        if (!problem(row).isEmpty())
            return false;
    }
    return true;
}

int RedactionPatternModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_patterns.size());
}

int RedactionPatternModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RedactionPatternModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RedactionPattern &pattern = m_patterns.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        if (index.column() == Name)
            return pattern.name;
        if (index.column() == Regex)
            return pattern.regex;
        return role == Qt::DisplayRole ? problem(index.row()) : QVariant();
    case Qt::ToolTipRole:
        return index.column() == Problem ? problem(index.row()) : QVariant();
    case Qt::ForegroundRole:
        return index.column() == Problem ? QVariant(ConsoleStyle::failure()) : QVariant();
    default:
        return {};
    }
}

bool RedactionPatternModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) ||
        index.column() == Problem)
        return false;
    RedactionPattern &pattern = m_patterns[index.row()];
    QString &field = index.column() == Name ? pattern.name : pattern.regex;
    const QString text = index.column() == Name ? value.toString().trimmed() : value.toString();
    if (field == text)
        return true;
    field = text;
    Q_EMIT dataChanged(this->index(index.row(), 0), this->index(index.row(), ColumnCount - 1));
    Q_EMIT edited();
    return true;
}

Qt::ItemFlags RedactionPatternModel::flags(const QModelIndex &index) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    const Qt::ItemFlags base = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    return index.column() == Problem ? base : base | Qt::ItemIsEditable;
}

QVariant RedactionPatternModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Name");
    case Regex:
        return tr("Regular expression");
    case Problem:
        return tr("Problem");
    default:
        return {};
    }
}
