#include "livecelldelegate.h"

#include <QApplication>
#include <QPainter>

void LiveCellDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                             const QModelIndex &index) const
{
    const QWidget *widget = option.widget;
    const QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &option, painter, widget);
    const QString text = index.data(Qt::DisplayRole).toString();
    if (text.isEmpty())
        return;
    QColor colour;
    if (option.state & QStyle::State_Selected) {
        const QPalette::ColorGroup group =
            !(option.state & QStyle::State_Enabled) ? QPalette::Disabled
            : option.state & QStyle::State_Active   ? QPalette::Active
                                                    : QPalette::Inactive;
        colour = option.palette.color(group, QPalette::HighlightedText);
    } else {
        const QVariant foreground = index.data(Qt::ForegroundRole);
        colour = foreground.isValid() ? foreground.value<QColor>()
                                      : option.palette.color(QPalette::Text);
    }
    // The stock delegate's text margin, so that headers and cells line up.
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
    const QRect rect = option.rect.adjusted(margin, 0, -margin, 0);
    const int alignment = index.data(Qt::TextAlignmentRole).toInt();
    painter->save();
    painter->setFont(option.font);
    painter->setPen(colour);
    painter->drawText(rect, alignment | Qt::TextSingleLine,
                      option.fontMetrics.elidedText(text, Qt::ElideRight, rect.width()));
    painter->restore();
}
