#pragma once

class GatewayConsole;
class MainWindow;

// The console's pages, in the sidebar's order: live, sessions, usage, budgets, models and
// access, settings.
namespace ConsolePages {
enum Page
{
    Live,
    Sessions,
    Usage,
    Budgets,
    Access,
    Settings
};
void addAll(MainWindow *window, GatewayConsole *console);
} // namespace ConsolePages
