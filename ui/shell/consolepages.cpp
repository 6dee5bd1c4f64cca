#include "consolepages.h"

#include "access/accessview.h"
#include "budgets/budgetsview.h"
#include "live/liveview.h"
#include "mainwindow.h"
#include "sessions/sessionsview.h"
#include "settings/settingsview.h"
#include "usage/usageview.h"

namespace ConsolePages {

void addAll(MainWindow *window, GatewayConsole *console)
{
    using ConsoleIcons::Glyph;
    window->addPage(Glyph::Live, MainWindow::tr("Live"), new LiveView(console));
    window->addPage(Glyph::Sessions, MainWindow::tr("Sessions"), new SessionsView(console));
    window->addPage(Glyph::Usage, MainWindow::tr("Usage"), new UsageView(console));
    window->addPage(Glyph::Budgets, MainWindow::tr("Budgets"), new BudgetsView(console));
    window->addPage(Glyph::Access, MainWindow::tr("Models and access"), new AccessView(console));
    window->addPage(Glyph::Settings, MainWindow::tr("Settings"), new SettingsView(console));
}

} // namespace ConsolePages
