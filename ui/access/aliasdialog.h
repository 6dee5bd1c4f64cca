#pragma once

#include "routemodel.h"

#include <QDialog>

#include <optional>

class GatewayConsole;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;

// Adds or edits one model alias: its provider, upstream model and routing (through Gatehouse,
// or direct for some runtime types). Saved with PUT /admin/v1/aliases/<alias>, so the next
// request uses it; a refusal is shown in the dialog, which then stays open.
class AliasDialog : public QDialog
{
    Q_OBJECT
public:
    // No alias: a new one.
    AliasDialog(GatewayConsole *console, const QStringList &providers,
                const std::optional<RouteModel::Alias> &alias, QWidget *parent = nullptr);

Q_SIGNALS:
    void saved(const QString &alias);

private:
    void save();
    void updateState();

    GatewayConsole *m_console;
    QLineEdit *m_name;
    QComboBox *m_provider;
    QLineEdit *m_model;
    QRadioButton *m_governed;
    QRadioButton *m_directSome;
    QRadioButton *m_directAll;
    QList<QCheckBox *> m_directTypes;
    QLabel *m_patternNote;
    QLabel *m_error;
    QPushButton *m_save;
};
