#pragma once

#include "events/redactionpattern.h"

#include <QAbstractTableModel>
#include <QList>

// The operator's redaction patterns as an editable list: a name and a regular expression per
// row, each checked as it is typed, with the problem (if any) in its own column. The built-in
// patterns are not here: they always apply.
class RedactionPatternModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Name,
        Regex,
        Problem,
        ColumnCount
    };

    explicit RedactionPatternModel(QObject *parent = nullptr);

    void setPatterns(const QList<RedactionPattern> &patterns);
    const QList<RedactionPattern> &patterns() const { return m_patterns; }
    // A new row with a fresh name and no regex yet (so it shows what to fill in); its row.
    int addPattern();
    void removePattern(int row);
    // Empty when the pattern can be used.
    QString problem(int row) const;
    bool allValid() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    // Any pattern was added, removed or edited.
    void edited();

private:
    QList<RedactionPattern> m_patterns;
};
