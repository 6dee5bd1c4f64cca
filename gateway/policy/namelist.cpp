#include "policy/namelist.h"

#include <QJsonArray>
#include <QJsonDocument>

QString NameList::toJsonText(const QStringList &names)
{
    return QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(names)).toJson(QJsonDocument::Compact));
}

QStringList NameList::fromJsonText(const QString &text)
{
    QStringList names;
    const QJsonArray array = QJsonDocument::fromJson(text.toUtf8()).array();
    for (const QJsonValue &value : array) {
        if (value.isString() && !value.toString().isEmpty())
            names.append(value.toString());
    }
    return names;
}
