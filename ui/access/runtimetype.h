#pragma once

#include <QString>

// The runtime types a credential is minted for (config/configuration.h principalTypes()), as
// the operator reads them: "claude-code" is "Claude Code".
namespace RuntimeType {
QString displayName(const QString &type);
} // namespace RuntimeType
