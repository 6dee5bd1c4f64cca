#include "budgetcard.h"

#include "budgetgauge.h"
#include "common/consolestyle.h"

#include <QGridLayout>
#include <QLabel>
#include <QPainter>
#include <QToolButton>
#include <QVBoxLayout>

BudgetCard::BudgetCard(QWidget *parent)
    : QFrame(parent)
    , m_gauge(new BudgetGauge(this))
    , m_fit(new QLabel(this))
    , m_error(new QLabel(this))
    , m_edit(new QToolButton(this))
    , m_delete(new QToolButton(this))
{
    setObjectName(QStringLiteral("budgetCard"));
    setFrameShape(QFrame::NoFrame);

    m_fit->setObjectName(QStringLiteral("fit"));
    QPalette muted = m_fit->palette();
    muted.setColor(QPalette::WindowText, ConsoleStyle::muted());
    m_fit->setPalette(muted);
    m_fit->hide();
    m_error->setObjectName(QStringLiteral("error"));
    QPalette failure = m_error->palette();
    failure.setColor(QPalette::WindowText, ConsoleStyle::failure());
    m_error->setPalette(failure);
    m_error->setWordWrap(true);
    m_error->hide();

    m_edit->setText(tr("Edit…"));
    m_edit->setObjectName(QStringLiteral("edit"));
    m_delete->setText(tr("Delete"));
    m_delete->setObjectName(QStringLiteral("delete"));
    for (QToolButton *button : {m_edit, m_delete}) {
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        button->setAutoRaise(true);
        button->setMinimumWidth(64);
        // Never narrower than its text (German "Bearbeiten…"): the gauge takes what is left.
        button->setSizePolicy(QSizePolicy::Minimum, QSizePolicy::Fixed);
    }
    connect(m_edit, &QToolButton::clicked, this, &BudgetCard::editRequested);
    connect(m_delete, &QToolButton::clicked, this, &BudgetCard::deleteRequested);

    auto *buttons = new QVBoxLayout;
    buttons->setSpacing(2);
    buttons->addWidget(m_edit);
    buttons->addWidget(m_delete);
    buttons->addStretch();

    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(16, 12, 10, 12);
    grid->setHorizontalSpacing(16);
    grid->setVerticalSpacing(4);
    grid->addWidget(m_gauge, 0, 0);
    grid->addWidget(m_fit, 1, 0);
    grid->addWidget(m_error, 2, 0);
    grid->addLayout(buttons, 0, 1, 3, 1);
    grid->setColumnStretch(0, 1);
}

void BudgetCard::setFigures(const BudgetFigures &figures)
{
    m_gauge->setFigures(figures);
    const QString name = figures.name.isEmpty() ? figures.id : figures.name;
    m_edit->setAccessibleName(tr("Edit budget %1").arg(name));
    m_delete->setAccessibleName(tr("Delete budget %1").arg(name));
}

void BudgetCard::setFitText(const QString &text)
{
    m_fit->setText(text);
    m_fit->setVisible(!text.isEmpty());
}

QString BudgetCard::fitText() const
{
    return m_fit->text();
}

void BudgetCard::setError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

QString BudgetCard::error() const
{
    return m_error->text();
}

void BudgetCard::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QColor(0xdf, 0xe3, 0xea));
    painter.setBrush(palette().color(QPalette::Base));
    painter.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8);
}
