#include "common/figurecard.h"

#include "common/consolestyle.h"

#include <QLabel>
#include <QVBoxLayout>

FigureCard::FigureCard(const QString &caption, QWidget *parent)
    : QFrame(parent)
    , m_figure(new QLabel(this))
    , m_detail(new QLabel(this))
{
    setObjectName(QStringLiteral("figureCard"));
    setStyleSheet(QStringLiteral("#figureCard { background: %1; border: 1px solid %2; "
                                 "border-radius: 6px; }")
                      .arg(palette().color(QPalette::Base).name(),
                           palette().color(QPalette::Midlight).name()));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(14, 10, 14, 10);
    layout->setSpacing(2);
    auto *title = new QLabel(caption, this);
    QPalette muted = title->palette();
    muted.setColor(QPalette::WindowText, ConsoleStyle::muted());
    title->setPalette(muted);
    QFont big = m_figure->font();
    big.setPointSizeF(big.pointSizeF() * 1.7);
    big.setWeight(QFont::DemiBold);
    m_figure->setFont(big);
    m_figure->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detail->setPalette(muted);
    layout->addWidget(title);
    layout->addWidget(m_figure);
    layout->addWidget(m_detail);
}

void FigureCard::setFigure(const QString &figure, const QString &detail, const QColor &detailColor)
{
    m_figure->setText(figure);
    // An empty line keeps the cards of a row the same height.
    m_detail->setText(detail.isEmpty() ? QStringLiteral(" ") : detail);
    QPalette palette = m_detail->palette();
    palette.setColor(QPalette::WindowText,
                     detailColor.isValid() ? detailColor : ConsoleStyle::muted());
    m_detail->setPalette(palette);
}

QString FigureCard::figure() const
{
    return m_figure->text();
}

QString FigureCard::detail() const
{
    return m_detail->text().trimmed();
}
