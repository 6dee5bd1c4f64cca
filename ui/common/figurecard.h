#pragma once

#include <QFrame>

class QLabel;

// One headline figure on a card: a caption, the figure, and a line of detail under it
// ("Spend", "$1.20", "+ 3 unpriced requests").
class FigureCard : public QFrame
{
    Q_OBJECT
public:
    explicit FigureCard(const QString &caption, QWidget *parent = nullptr);

    // detailColor: invalid for the usual muted text.
    void setFigure(const QString &figure, const QString &detail = {},
                   const QColor &detailColor = {});
    QString figure() const;
    QString detail() const;

private:
    QLabel *m_figure;
    QLabel *m_detail;
};
