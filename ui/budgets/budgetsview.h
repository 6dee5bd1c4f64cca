#pragma once

#include "typicalcall.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QWidget>

class BudgetCard;
class BudgetForm;
class BudgetModel;
class GatewayConsole;
class QComboBox;
class QLabel;
class QModelIndex;
class QVBoxLayout;

// The Budgets page: every budget as a card with its gauge (drag the limit to change it), a
// "New budget" button, Edit and Delete per budget, and how many more typical calls of a chosen
// model still fit in each. Changes go to the gateway at once through the console (audited
// there); the gateway's next state refreshes the gauges.
class BudgetsView : public QWidget
{
    Q_OBJECT
public:
    explicit BudgetsView(GatewayConsole *console, QWidget *parent = nullptr);

    BudgetModel *model() const { return m_model; }
    // The card of a budget; null when there is none.
    BudgetCard *card(const QString &budgetId) const;
    QComboBox *modelPicker() const { return m_picker; }
    // What the typical call of the picked model is, or why there is none.
    QString typicalCallText() const;
    // The form for a new budget (empty id) or for the budget with this id, opened window-modal.
    BudgetForm *openForm(const QString &budgetId = {});
    // Reads the last days' typical calls from the ledger again (once more after the read under
    // way, if there is one).
    void refreshTypicalCalls();

Q_SIGNALS:
    // A read of the typical calls came back (and is shown).
    void typicalCallsRead();

private:
    void insertCards(int first, int last);
    void removeCards(int first, int last);
    void updateCards(const QModelIndex &topLeft, const QModelIndex &bottomRight);
    void connectCard(BudgetCard *card);
    QString idOf(const BudgetCard *card) const;
    void applyLimit(const QString &budgetId, bool tokens, qint64 limit);
    void confirmDelete(const QString &budgetId);
    void takeTypicalCalls(const QHash<QString, TypicalCall> &calls);
    void fillPicker();
    void showFits();
    QString fitText(const BudgetFigures &budget) const;
    std::optional<TypicalCall> picked() const;
    void showEmptyState();

    GatewayConsole *m_console;
    BudgetModel *m_model;
    QList<BudgetCard *> m_cards; // in the model's row order
    QVBoxLayout *m_cardLayout;
    QLabel *m_empty;
    QComboBox *m_picker;
    QLabel *m_typical;
    QHash<QString, TypicalCall> m_calls;   // model -> its typical call, from the ledger
    QHash<QString, QJsonObject> m_aliases; // alias -> its definition (provider, model)
    bool m_reading = false;
    bool m_readAgain = false;
    qint64 m_readAtMs = 0;
};
