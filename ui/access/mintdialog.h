#pragma once

#include "policy/mintedcredential.h"

#include <QDialog>
#include <QJsonObject>

class GatewayConsole;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

// Mints a runtime credential (POST /admin/v1/credentials) for Claude Code, Codex, OpenCode, an
// SDK app or a custom runtime, then shows the environment that runtime needs, exactly as
// `gatehouse env` prints it, with a Copy button. This is the one time the token exists outside
// Gatehouse: it is masked on screen until the operator presses Show.
class MintDialog : public QDialog
{
    Q_OBJECT
public:
    explicit MintDialog(GatewayConsole *console, QWidget *parent = nullptr);

Q_SIGNALS:
    void minted(const QString &credentialId);

private:
    void mint();
    // After the principal is known to exist (or is a bare runtime type).
    void issue(const QString &principal);
    void showCredential(const MintedCredential &credential);
    void fail(const QString &message);
    QString snippet(bool masked) const;
    void loadChoices();

    GatewayConsole *m_console;
    QWidget *m_formPage;
    QWidget *m_resultPage;
    QComboBox *m_runtime;
    QLineEdit *m_principal;
    QLineEdit *m_flow;
    QComboBox *m_model;
    QLineEdit *m_allowedModels;
    QComboBox *m_lifetime;
    QLabel *m_error;
    QPushButton *m_mint;

    QLabel *m_heading;
    QLabel *m_notice;
    QLabel *m_hint;
    QPlainTextEdit *m_snippet;
    QPushButton *m_show;
    QLabel *m_copied;
    MintedCredential m_credential;
};
