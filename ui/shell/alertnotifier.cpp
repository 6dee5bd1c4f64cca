#include "alertnotifier.h"

#include "gatewayconsole.h"

#include <QJsonObject>
#include <QSystemTrayIcon>

AlertNotifier::AlertNotifier(GatewayConsole *console, QObject *parent)
    : QObject(parent)
{
    connect(console, &GatewayConsole::stateChanged, this, [this](const QJsonArray &budgets) {
        for (const QJsonValue &value : budgets) {
            const QJsonObject budget = value.toObject();
            const QString name = budget.value(QStringLiteral("name")).toString();
            const QString id = budget.value(QStringLiteral("id")).toString();
            m_names.insert(id, name.isEmpty() ? id : name);
        }
    });
    connect(console, &GatewayConsole::alertRaised, this, &AlertNotifier::notify);
}

void AlertNotifier::notify(const BudgetAlert &alert)
{
    const QString name = m_names.value(alert.budgetId, alert.budgetId);
    const bool denying = alert.kind == QLatin1String("denying");
    const QString title = denying ? tr("Budget “%1” is refusing calls").arg(name)
                                  : tr("Budget “%1” at %2%").arg(name).arg(alert.percent);
    const QString message =
        denying ? tr("Calls it covers are denied until its period ends or its limit is raised.")
                : tr("“%1” has used %2% of its limit.").arg(name).arg(alert.percent);
    if (m_tray && m_tray->isVisible())
        m_tray->showMessage(title, message,
                            denying ? QSystemTrayIcon::Critical : QSystemTrayIcon::Warning);
    Q_EMIT notified(title, message, denying);
}
