#pragma once

#include "common/consoleicons.h"

#include <QMainWindow>

class AlertNotifier;
class GatewayConsole;
class KillSwitchAction;
class QLabel;
class QListWidget;
class QStackedWidget;
class QSystemTrayIcon;
class TrafficPulse;

// The operator console's window: a sidebar of pages (live, sessions, usage, budgets, models
// and access, settings), the kill switch always at hand, banners for a stopped gateway and
// budget alerts, the status bar (listening URL, requests per second, spend today) and a tray
// icon with the same. Its geometry and last page come back on the next start.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(GatewayConsole *console, QWidget *parent = nullptr);
    ~MainWindow() override;

    void addPage(ConsoleIcons::Glyph glyph, const QString &title, QWidget *page);
    int pageCount() const;
    QWidget *page(int index) const;
    void showPage(int index);
    KillSwitchAction *killSwitch() const { return m_killSwitch; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void rememberState() const;
    QWidget *makeSidebar();
    QWidget *makeBanner(QLabel **text, const QColor &colour);
    void setUpTray();
    void showPulse();
    void showAlert(const QString &title, const QString &message, bool denying);
    void followKillSwitch(bool engaged);

    GatewayConsole *m_console;
    KillSwitchAction *m_killSwitch;
    TrafficPulse *m_pulse;
    AlertNotifier *m_alerts;
    QListWidget *m_pages = nullptr;
    QStackedWidget *m_stack = nullptr;
    QWidget *m_stoppedBanner = nullptr;
    QLabel *m_stoppedText = nullptr;
    QWidget *m_alertBanner = nullptr;
    QLabel *m_alertText = nullptr;
    QLabel *m_urlLabel = nullptr;
    QLabel *m_rateLabel = nullptr;
    QLabel *m_spendLabel = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
};
