#pragma once

#include <QString>
#include <QStringList>

// Splits a migration script into single statements, since Qt SQL runs one statement per exec.
namespace SqlScript {

// Splits at ';' outside quotes, identifiers and comments; drops comments and empty statements.
// Statements with nested ';' (trigger bodies, dollar-quoted functions) are not supported.
QStringList statements(const QString &script);

} // namespace SqlScript
