#pragma once

#include <QString>
#include <QStringList>

// One layer's list of allowed models (a key's, a flow's, a principal's, a credential's):
// aliases or patterns ('*', '?'). An empty list restricts nothing.
struct AllowedModels
{
    QString layer; // how the layer is named to the caller, e.g. "flow 'nightly'"
    QStringList patterns;

    bool restricts() const { return !patterns.isEmpty(); }
    bool allows(const QString &model) const;
};
