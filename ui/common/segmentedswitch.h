#pragma once

#include <QWidget>

class QButtonGroup;

// A row of joined, mutually exclusive buttons ("1 h | 24 h | 7 d"): a choice that is always
// visible, unlike a combo box. Exactly one segment is current.
class SegmentedSwitch : public QWidget
{
    Q_OBJECT
public:
    explicit SegmentedSwitch(const QStringList &labels, QWidget *parent = nullptr);

    int current() const;
    void setCurrent(int index); // does not emit currentChanged

Q_SIGNALS:
    void currentChanged(int index); // the operator chose another segment

private:
    QButtonGroup *m_group;
};
