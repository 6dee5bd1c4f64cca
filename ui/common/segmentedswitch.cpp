#include "common/segmentedswitch.h"

#include <QAbstractButton>
#include <QButtonGroup>
#include <QHBoxLayout>
#include <QPalette>
#include <QToolButton>

SegmentedSwitch::SegmentedSwitch(const QStringList &labels, QWidget *parent)
    : QWidget(parent)
    , m_group(new QButtonGroup(this))
{
    // As wide as its labels, wherever it is put.
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    const QPalette palette = this->palette();
    const QString border = palette.color(QPalette::Mid).name();
    const QString checked = palette.color(QPalette::Highlight).name();
    const QString checkedText = palette.color(QPalette::HighlightedText).name();
    const QString base = palette.color(QPalette::Button).name();
    for (qsizetype i = 0; i < labels.size(); ++i) {
        auto *button = new QToolButton(this);
        button->setText(labels.at(i));
        button->setCheckable(true);
        button->setAutoRaise(false);
        button->setCursor(Qt::PointingHandCursor);
        button->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
        // Only the outer corners are round, and neighbours share one border line.
        const bool first = i == 0;
        const bool last = i == labels.size() - 1;
        button->setStyleSheet(
            QStringLiteral("QToolButton { background: %1; border: 1px solid %2; %3 padding: 4px "
                           "12px; border-top-left-radius: %4px; border-bottom-left-radius: %4px; "
                           "border-top-right-radius: %5px; border-bottom-right-radius: %5px; }"
                           "QToolButton:checked { background: %6; color: %7; border-color: %6; }")
                .arg(base, border, first ? QString() : QStringLiteral("border-left: none;"))
                .arg(first ? 4 : 0)
                .arg(last ? 4 : 0)
                .arg(checked, checkedText));
        m_group->addButton(button, int(i));
        layout->addWidget(button);
    }
    if (!labels.isEmpty())
        m_group->button(0)->setChecked(true);
    connect(m_group, &QButtonGroup::idClicked, this, &SegmentedSwitch::currentChanged);
}

int SegmentedSwitch::current() const
{
    return m_group->checkedId();
}

void SegmentedSwitch::setCurrent(int index)
{
    if (QAbstractButton *button = m_group->button(index))
        button->setChecked(true);
}
