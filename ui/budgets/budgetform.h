#pragma once

#include <QDialog>
#include <QHash>
#include <QJsonObject>
#include <QStringList>

#include <optional>

class GatewayConsole;
class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QRadioButton;

// The form that makes or edits a budget: its name, its scope (a layer, then the subject picked
// from what the gateway knows, or typed), its limits in dollars and/or tokens, period,
// enforcement and alert thresholds. Saving sends it to the gateway; when the gateway refuses,
// its message is shown in the form, which stays open.
class BudgetForm : public QDialog
{
    Q_OBJECT
public:
    // An empty definition makes a new budget.
    explicit BudgetForm(GatewayConsole *console, const QJsonObject &definition = {},
                        QWidget *parent = nullptr);

    bool isNew() const { return m_id.isEmpty(); }
    // The budget as the fields describe it; empty, with *error, when a field cannot be read.
    std::optional<QJsonObject> definition(QString *error) const;
    // The message shown for the last refusal (the form's own or the gateway's).
    QString errorText() const;
    // What the subject field offers for a layer ("*" first where a layer allows it).
    QStringList subjectsFor(const QString &layer) const;

    // "12.50", "$0.000125", "3,5": a dollar amount as exact micro-dollars.
    static std::optional<qint64> parseDollars(const QString &text);

    void accept() override;

Q_SIGNALS:
    // The gateway took the budget; status is its answer (the budget with its figures).
    void saved(const QJsonObject &status);

private:
    void fetchSubjects();
    void suggest(const QString &layer, const QStringList &names);
    void fillSubjects();
    void layerChanged();
    void load(const QJsonObject &definition);
    QString subject() const;
    void showError(const QString &message);

    GatewayConsole *m_console;
    QString m_id;
    QHash<QString, QStringList> m_suggestions; // layer -> names the gateway knows
    QFormLayout *m_form;
    QLineEdit *m_name;
    QComboBox *m_layer;
    QComboBox *m_subject;
    QComboBox *m_withinAccount;
    QComboBox *m_withinFlow;
    QCheckBox *m_usd;
    QLineEdit *m_usdLimit;
    QCheckBox *m_tokens;
    QLineEdit *m_tokenLimit;
    QComboBox *m_period;
    QRadioButton *m_hard;
    QRadioButton *m_soft;
    QLineEdit *m_alerts;
    QCheckBox *m_allowUnpriced;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};
