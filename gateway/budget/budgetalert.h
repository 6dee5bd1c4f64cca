#pragma once

#include <QString>

// A budget crossing an alert threshold, or starting to deny.
struct BudgetAlert
{
    QString budgetId;
    QString kind; // "threshold" or "denying"
    int percent = 0;
    QString message;
};
