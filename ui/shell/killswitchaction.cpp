#include "killswitchaction.h"

#include "admin/adminreply.h"
#include "common/consoleicons.h"
#include "common/consolestyle.h"
#include "gatewayconsole.h"

#include <QJsonObject>
#include <QMessageBox>
#include <QPushButton>
#include <QWidget>

KillSwitchAction::KillSwitchAction(GatewayConsole *console, QObject *parent)
    : QAction(parent)
    , m_console(console)
{
    setCheckable(true);
    setIcon(ConsoleIcons::icon(ConsoleIcons::Glyph::Stop, ConsoleStyle::failure()));
    setText(tr("Stop all traffic"));
    setToolTip(tr("Kill switch: refuse every model call until released"));
    connect(console, &GatewayConsole::stateChanged, this,
            [this](const QJsonArray &, const QJsonArray &orders) { follow(orders); });
    connect(this, &QAction::triggered, this, &KillSwitchAction::onTriggered);
}

void KillSwitchAction::engage(bool cut)
{
    m_console->call(
        "POST", QStringLiteral("kill-switch"),
        {{QStringLiteral("scope"), QStringLiteral("all")},
         {QStringLiteral("mode"), cut ? QStringLiteral("cut") : QStringLiteral("finish")},
         {QStringLiteral("reason"), tr("stopped from the console")}},
        [this](const AdminReply &reply) {
            if (reply.failed())
                Q_EMIT failed(reply.error);
        });
}

void KillSwitchAction::release()
{
    m_console->call("DELETE", QStringLiteral("kill-switch/all"), {},
                    [this](const AdminReply &reply) {
                        if (reply.failed())
                            Q_EMIT failed(reply.error);
                    });
}

void KillSwitchAction::follow(const QJsonArray &orders)
{
    bool engaged = false;
    for (const QJsonValue &value : orders) {
        const QJsonObject order = value.toObject();
        if (order.value(QStringLiteral("scope")).toString() == QLatin1String("all")) {
            engaged = true;
            m_reason = order.value(QStringLiteral("reason")).toString();
            m_atMs = order.value(QStringLiteral("atMs")).toInteger();
        }
    }
    setChecked(engaged);
    setText(engaged ? tr("Resume traffic") : tr("Stop all traffic"));
    if (engaged != m_engaged) {
        m_engaged = engaged;
        Q_EMIT stateChanged(engaged);
    }
}

void KillSwitchAction::onTriggered()
{
    setChecked(m_engaged); // the gateway's answer decides, through stateChanged
    if (m_engaged)
        return release();
    auto *parentWidget = qobject_cast<QWidget *>(parent());
    QMessageBox box(QMessageBox::Warning, tr("Stop all traffic"),
                    tr("Refuse every model call until you resume?"), QMessageBox::Cancel,
                    parentWidget);
    box.setInformativeText(
        tr("Runtimes get a clear error. Calls already running can finish, or be cut now."));
    QPushButton *finish =
        box.addButton(tr("Stop, let running calls finish"), QMessageBox::AcceptRole);
    QPushButton *cut =
        box.addButton(tr("Stop and cut running calls"), QMessageBox::DestructiveRole);
    box.setDefaultButton(finish);
    box.exec();
    if (box.clickedButton() == finish)
        engage(false);
    else if (box.clickedButton() == cut)
        engage(true);
}
