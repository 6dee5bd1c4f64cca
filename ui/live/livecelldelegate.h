#pragma once

#include <QStyledItemDelegate>

// Paints a live table cell as one line of elided text in the model's colour and alignment. The
// stock delegate lays each cell's text out three times (size, rectangle, drawing); following a
// busy gateway the whole table is repainted every batch, and that was most of the GUI thread's
// work.
class LiveCellDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
};
