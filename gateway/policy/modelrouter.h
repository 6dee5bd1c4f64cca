#pragma once

#include "config/configuration.h"
#include "policy/modelroute.h"

#include <QHash>
#include <QList>
#include <QStringList>

#include <optional>

// Maps a requested model name to a provider and upstream model through the configured aliases.
class ModelRouter
{
public:
    ModelRouter() = default;
    explicit ModelRouter(const Configuration &configuration);

    // Exact aliases first, then patterns in configuration order.
    std::optional<ModelRoute> resolve(const QString &requestedModel) const;
    // Exact aliases in configuration order (patterns name no model, so they are not listed).
    QStringList listableAliases() const;
    // Every alias, exact ones first, then patterns in matching order.
    QList<ModelAlias> aliases() const;
    const ModelAlias *alias(const QString &name) const;
    // Adds or replaces an alias (a new exact one lists last, a new pattern matches last).
    void put(const ModelAlias &alias);
    bool remove(const QString &name);
    // The configuration's aliases again, then these (made through the admin API) put over them:
    // the router as a start with this store would make it.
    void setStored(const QList<ModelAlias> &stored);

    static bool isPattern(QStringView alias);
    // '*' matches any run of characters (also none), '?' exactly one; case-sensitive.
    static bool matches(QStringView pattern, QStringView name);

private:
    QList<ModelAlias> m_configured;
    QHash<QString, ModelAlias> m_exact;
    QStringList m_exactOrder;
    QList<ModelAlias> m_patterns;
};
