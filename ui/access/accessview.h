#pragma once

#include <QTimer>
#include <QWidget>

class CredentialModel;
class GatewayConsole;
class QLabel;
class QPushButton;
class QStackedWidget;
class QTableView;
class QTreeView;
class RouteModel;

// Models and access: the providers with the aliases routed to them (upstream model, prices,
// through Gatehouse or direct), editable; and the runtime credentials, with minting (and the
// environment snippet for the runtime) and revocation. Everything goes through the admin API
// in process; the lists follow changes made elsewhere (the CLI, another console) every few
// seconds while the page is visible.
class AccessView : public QWidget
{
    Q_OBJECT
public:
    explicit AccessView(GatewayConsole *console, QWidget *parent = nullptr);

    RouteModel *routes() const { return m_routes; }
    CredentialModel *credentials() const { return m_credentials; }

public Q_SLOTS:
    // Reads providers and credentials now; while a read runs, once more after it.
    void refresh();
    void addAlias();
    void editAlias();   // the selected alias
    void removeAlias(); // the selected alias, once confirmed
    void mintCredential();
    void revokeCredential(); // the selected credential, once confirmed

Q_SIGNALS:
    void refreshed(); // both lists on screen are fresh
    void failed(const QString &error);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    QWidget *makeRouteSection();
    QWidget *makeCredentialSection();
    QString selectedAlias() const;
    QString selectedCredential() const;
    void updateActions();
    void report(const QString &error);
    // Asks, then sends DELETE path (after /admin/v1/) and refreshes; a refusal is reported.
    void confirmDelete(const QString &title, const QString &question, const QString &action,
                       const QString &objectName, const QString &path);
    void readDone();

    GatewayConsole *m_console;
    RouteModel *m_routes;
    CredentialModel *m_credentials;
    QTreeView *m_routeView = nullptr;
    QTableView *m_credentialView = nullptr;
    QStackedWidget *m_credentialStack = nullptr;
    QPushButton *m_editAlias = nullptr;
    QPushButton *m_removeAlias = nullptr;
    QPushButton *m_revoke = nullptr;
    QLabel *m_message = nullptr;
    QTimer m_poll;
    int m_pendingReads = 0;
    bool m_readAgain = false;
};
