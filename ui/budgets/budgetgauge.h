#pragma once

#include "budgetfigures.h"

#include <QTimer>
#include <QWidget>

#include <optional>

// One budget drawn as a bar: spent (solid), reserved (hatched) and the limit (a handle),
// coloured by the budget's threshold level, with its name, scope, period, enforcement, figures
// and reset time. The limit handle can be dragged (the new value follows it, snapped to steps
// that suit its size) or moved with + and - (arrow keys too; Shift for fine steps); the new
// limit is asked for with limitEdited, and shown as pending until the gateway's figures carry it.
class BudgetGauge : public QWidget
{
    Q_OBJECT
public:
    explicit BudgetGauge(QWidget *parent = nullptr);

    void setFigures(const BudgetFigures &figures);
    const BudgetFigures &figures() const { return m_figures; }

    // The limit being dragged, typed or applied; empty when none.
    std::optional<qint64> pendingLimit() const { return m_pending; }
    bool isDragging() const { return m_dragging; }
    // The value shown next to the handle while it is moved; empty when it is not.
    QString pendingText() const;
    // The bar's rectangle and the limit handle's x (the pending limit's while editing).
    QRect barRect() const;
    int handleX() const;
    // Where an amount of the gauge's measure sits on the bar (the bar holds still while editing).
    int xOf(qint64 value) const;
    // The edit was refused: the gauge shows the budget's own limit again.
    void applyFailed();

    // The step a limit snaps to: a cent below $10, ten cents up to $100, a dollar above (tokens:
    // 10, 100, 1,000 below 10k, 100k and above).
    static qint64 snapStep(qint64 value, bool tokens);
    static qint64 snap(qint64 value, bool tokens);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void limitEdited(const QString &budgetId, bool tokens, qint64 limit);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;

private:
    struct Layout
    {
        int titleHeight = 0;
        QRect bar;
        int figuresTop = 0;
        int height = 0;
    };
    Layout layout() const;
    qint64 scale() const;
    // The figures with the limit being edited in place of the budget's own.
    BudgetFigures shown() const;
    qint64 valueAt(int x) const;
    bool onHandle(const QPoint &point) const;
    void startEditing();
    void commit();
    void cancel();
    void describe();
    QColor levelColour() const;
    void paintTitle(QPainter &painter, const Layout &layout) const;
    void paintBar(QPainter &painter, const Layout &layout) const;
    void paintFigures(QPainter &painter, const Layout &layout) const;
    void paintBubble(QPainter &painter, const Layout &layout) const;

    BudgetFigures m_figures;
    std::optional<qint64> m_pending;
    bool m_dragging = false;
    bool m_applying = false; // sent: waiting for figures that carry the pending limit
    qint64 m_editScale = 0;  // the bar's scale, held while the limit is moved
    QTimer m_keyCommit;
};
