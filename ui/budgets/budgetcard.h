#pragma once

#include <QFrame>

struct BudgetFigures;
class BudgetGauge;
class QLabel;
class QToolButton;

// One budget on the Budgets page: its gauge, how many more typical calls fit, the last edit's
// error if the gateway refused it, and the Edit and Delete buttons.
class BudgetCard : public QFrame
{
    Q_OBJECT
public:
    explicit BudgetCard(QWidget *parent = nullptr);

    // Shows the budget (on the gauge, and in the buttons' accessible names).
    void setFigures(const BudgetFigures &figures);
    BudgetGauge *gauge() const { return m_gauge; }
    QToolButton *editButton() const { return m_edit; }
    QToolButton *deleteButton() const { return m_delete; }
    // "≈ 412 more calls of gpt-4o-mini"; empty hides the line.
    void setFitText(const QString &text);
    QString fitText() const;
    // Why the gateway refused the last edit; empty clears it.
    void setError(const QString &message);
    QString error() const;

Q_SIGNALS:
    void editRequested();
    void deleteRequested();

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    BudgetGauge *m_gauge;
    QLabel *m_fit;
    QLabel *m_error;
    QToolButton *m_edit;
    QToolButton *m_delete;
};
