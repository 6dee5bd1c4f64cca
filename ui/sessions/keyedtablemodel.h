#pragma once

#include "keyedrows.h"

#include <QAbstractTableModel>

// A table of entries known by a key, refreshed in place (KeyedRows::reconcile, then one
// dataChanged over the rows whose values changed), so that views keep their selection and
// scroll position. Entry needs operator==; keyOf(entry) gives its key.
template<typename Entry> class KeyedTableModel : public QAbstractTableModel
{
public:
    using QAbstractTableModel::QAbstractTableModel;

    const QList<Entry> &entries() const { return m_entries; }
    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_entries.size());
    }

protected:
    template<typename KeyOf> void replaceEntries(const QList<Entry> &entries, KeyOf keyOf)
    {
        QStringList current;
        for (const Entry &entry : std::as_const(m_entries))
            current += keyOf(entry);
        QStringList next;
        for (const Entry &entry : entries)
            next += keyOf(entry);
        KeyedRows::reconcile(
            current, next,
            [this](int first, int last) {
                beginRemoveRows({}, first, last);
                m_entries.remove(first, last - first + 1);
                endRemoveRows();
            },
            [this, &entries](int row, int from) {
                beginInsertRows({}, row, row);
                m_entries.insert(row, entries.at(from));
                endInsertRows();
            });
        int first = -1;
        int last = -1;
        for (int row = 0; row < m_entries.size(); ++row) {
            if (m_entries.at(row) == entries.at(row))
                continue;
            m_entries[row] = entries.at(row);
            first = first < 0 ? row : first;
            last = row;
        }
        if (first >= 0)
            Q_EMIT dataChanged(index(first, 0), index(last, columnCount() - 1));
    }

    QList<Entry> m_entries;
};
