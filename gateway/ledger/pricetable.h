#pragma once

#include "ledger/price.h"

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

// Model name -> list price: the bundled table with the configuration's overrides laid over it.
class PriceTable
{
public:
    static QString bundledFile(); // ":/gatehouse/prices.json"

    PriceTable() = default;

    // The bundled table under the overrides. A bundled table that does not parse is a build
    // defect: it is reported and the overrides alone are used.
    static PriceTable bundled(const QHash<QString, Price> &overrides = {});

    // Replaces the listed prices with those of a JSON table file (see resources/prices.json).
    bool load(const QString &file, QString *error);
    // Per-model prices that win over the listed ones; an empty source becomes "config".
    void setOverrides(const QHash<QString, Price> &overrides);

    // Exact name first, then the name without a trailing date (-20251001, -2024-08-06).
    // No prefix matching: an unknown model is unpriced.
    std::optional<Price> find(const QString &upstreamModel) const;

    QString asOf() const { return m_asOf; }
    QStringList listedModels() const { return m_listed.keys(); }

    // One model's parts (input, output, cacheRead, cacheWrite; each optional) in USD per Mtok,
    // converted to integer micro-dollars per Mtok. Negative or non-numeric values are rejected.
    // The returned price has no source yet.
    static std::optional<Price> parsePrice(const QJsonObject &parts, QString *error);

private:
    std::optional<Price> findExact(const QString &model) const;

    QHash<QString, Price> m_listed;
    QHash<QString, Price> m_overrides;
    QString m_asOf;
};
