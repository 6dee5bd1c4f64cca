#pragma once

#include <QString>

class QWidget;

// Saves what a widget shows as $GATEHOUSE_SCREENSHOTS/<language>/<name>.png (the test
// artifacts CTest collects); does nothing when the variable is not set.
namespace Screenshot {
void save(QWidget *widget, const QString &name, const QString &language = QStringLiteral("en"));
} // namespace Screenshot
