#pragma once

#include <QAction>
#include <QJsonArray>

class GatewayConsole;

// "Stop all traffic": engages the gateway's kill switch for everything, or releases it. Checked
// while an order for everything is engaged (whoever engaged it: the console, the admin API or
// an earlier run). The same action sits in the window and in the tray menu.
class KillSwitchAction : public QAction
{
    Q_OBJECT
public:
    explicit KillSwitchAction(GatewayConsole *console, QObject *parent = nullptr);

    bool engaged() const { return m_engaged; }
    QString reason() const { return m_reason; }
    qint64 engagedAtMs() const { return m_atMs; }

    // cut: running calls are cut at once; otherwise they finish and only new ones are refused.
    void engage(bool cut);
    void release();

Q_SIGNALS:
    void stateChanged(bool engaged);
    // The gateway refused a change (shown to the operator).
    void failed(const QString &message);

private:
    void follow(const QJsonArray &orders);
    void onTriggered();

    GatewayConsole *m_console;
    bool m_engaged = false;
    QString m_reason;
    qint64 m_atMs = 0;
};
