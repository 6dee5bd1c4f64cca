#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

// The token that guards the admin API: a file in the data directory, readable by its owner
// only (0600), made at the first start and kept afterwards.
namespace AdminToken {
// The token from <dataDir>/admin-token, created when missing. Empty with *error when it
// cannot be read or made, or when its file is readable by others.
std::optional<QByteArray> ensure(const QString &dataDir, QString *error);
QString fileName(const QString &dataDir);
} // namespace AdminToken
