#include "runtimetype.h"

#include <QCoreApplication>

namespace RuntimeType {

QString displayName(const QString &type)
{
    // Product names stay as their makers write them.
    if (type == QLatin1String("claude-code"))
        return QStringLiteral("Claude Code");
    if (type == QLatin1String("codex"))
        return QStringLiteral("Codex");
    if (type == QLatin1String("opencode"))
        return QStringLiteral("OpenCode");
    if (type == QLatin1String("sdk"))
        return QCoreApplication::translate("RuntimeType", "SDK app");
    if (type == QLatin1String("custom"))
        return QCoreApplication::translate("RuntimeType", "Custom");
    return type;
}

} // namespace RuntimeType
