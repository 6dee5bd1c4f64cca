#pragma once

#include <QJsonArray>
#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <QVariant>

// Optional names as the books write them out: absent (empty) text is JSON null in the admin
// API and SQL NULL in the store, never an empty string.
namespace OptionalText {

inline QJsonValue json(const QString &text)
{
    return text.isEmpty() ? QJsonValue() : QJsonValue(text);
}

inline QVariant sql(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

// The non-empty strings of a JSON array (anything else in it is skipped).
inline QStringList names(const QJsonValue &array)
{
    QStringList list;
    for (const QJsonValue &item : array.toArray()) {
        if (item.isString() && !item.toString().isEmpty())
            list += item.toString();
    }
    return list;
}

} // namespace OptionalText
