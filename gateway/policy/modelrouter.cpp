#include "policy/modelrouter.h"

ModelRouter::ModelRouter(const Configuration &configuration)
    : m_configured(configuration.models)
{
    setStored({});
}

void ModelRouter::setStored(const QList<ModelAlias> &stored)
{
    m_exact.clear();
    m_exactOrder.clear();
    m_patterns.clear();
    for (const ModelAlias &alias : std::as_const(m_configured)) {
        if (isPattern(alias.alias)) {
            m_patterns += alias;
        } else if (!m_exact.contains(alias.alias)) {
            m_exact.insert(alias.alias, alias);
            m_exactOrder += alias.alias;
        }
    }
    for (const ModelAlias &alias : stored)
        put(alias);
}

std::optional<ModelRoute> ModelRouter::resolve(const QString &requestedModel) const
{
    const auto exact = m_exact.constFind(requestedModel);
    if (exact != m_exact.constEnd()) {
        // An alias without a model passes its own name through.
        return ModelRoute{exact->alias, exact->provider,
                          exact->model.isEmpty() ? requestedModel : exact->model};
    }
    for (const ModelAlias &pattern : m_patterns) {
        if (matches(pattern.alias, requestedModel))
            return ModelRoute{pattern.alias, pattern.provider, requestedModel};
    }
    return std::nullopt;
}

QStringList ModelRouter::listableAliases() const
{
    return m_exactOrder;
}

QList<ModelAlias> ModelRouter::aliases() const
{
    QList<ModelAlias> all;
    for (const QString &name : m_exactOrder)
        all += m_exact.value(name);
    return all + m_patterns;
}

const ModelAlias *ModelRouter::alias(const QString &name) const
{
    const auto exact = m_exact.constFind(name);
    if (exact != m_exact.constEnd())
        return &*exact;
    for (const ModelAlias &pattern : m_patterns) {
        if (pattern.alias == name)
            return &pattern;
    }
    return nullptr;
}

void ModelRouter::put(const ModelAlias &alias)
{
    if (!isPattern(alias.alias)) {
        if (!m_exact.contains(alias.alias))
            m_exactOrder += alias.alias;
        m_exact.insert(alias.alias, alias);
        return;
    }
    for (ModelAlias &pattern : m_patterns) {
        if (pattern.alias == alias.alias) {
            pattern = alias;
            return;
        }
    }
    m_patterns += alias;
}

bool ModelRouter::remove(const QString &name)
{
    if (m_exact.remove(name)) {
        m_exactOrder.removeOne(name);
        return true;
    }
    return m_patterns.removeIf([&](const ModelAlias &a) { return a.alias == name; }) > 0;
}

bool ModelRouter::isPattern(QStringView alias)
{
    return alias.contains(u'*') || alias.contains(u'?');
}

bool ModelRouter::matches(QStringView pattern, QStringView name)
{
    // Greedy scan with one backtrack point (the last '*'): linear in practice, never exponential.
    qsizetype p = 0;
    qsizetype n = 0;
    qsizetype starAt = -1;
    qsizetype nameAtStar = 0;
    while (n < name.size()) {
        if (p < pattern.size() && pattern[p] == u'*') {
            starAt = p++;
            nameAtStar = n;
        } else if (p < pattern.size() && (pattern[p] == u'?' || pattern[p] == name[n])) {
            ++p;
            ++n;
        } else if (starAt >= 0) {
            p = starAt + 1;
            n = ++nameAtStar;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == u'*')
        ++p;
    return p == pattern.size();
}
