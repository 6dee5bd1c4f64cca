#pragma once

#include "budget/budgetbook.h"

#include <QHash>
#include <QJsonArray>
#include <QObject>

class GatewayConsole;
class QSystemTrayIcon;

// Turns the gateway's budget alerts into operator notifications: a desktop notification
// through the tray icon when there is one, and always the notified() signal the window shows
// as a banner. The text is the console's own (translated), naming the budget.
class AlertNotifier : public QObject
{
    Q_OBJECT
public:
    explicit AlertNotifier(GatewayConsole *console, QObject *parent = nullptr);
    void setTrayIcon(QSystemTrayIcon *tray) { m_tray = tray; }

Q_SIGNALS:
    void notified(const QString &title, const QString &message, bool denying);

private:
    void notify(const BudgetAlert &alert);

    QSystemTrayIcon *m_tray = nullptr;
    QHash<QString, QString> m_names; // budget id -> what the operator calls it
};
