#pragma once

#include <QString>

class QCoreApplication;

// The console's language: the operator's setting ("en", "de") or, when empty, the system's
// first UI language we have. Installs our translation and Qt's own (standard buttons).
namespace ConsoleLanguage {
// The languages the console is translated into, as setting values.
QStringList available();
// Returns the language installed ("en" when nothing matched). Called again, it replaces the
// earlier language (for widgets made afterwards).
QString install(QCoreApplication &app, const QString &setting);
} // namespace ConsoleLanguage
