#pragma once

#include <QString>
#include <QStringList>

// Lists of names (allowed models, runtime types) as the store keeps them: a JSON array text.
namespace NameList {
QString toJsonText(const QStringList &names);
QStringList fromJsonText(const QString &text); // anything but strings is skipped
} // namespace NameList
