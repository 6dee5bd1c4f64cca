#pragma once

#include <QString>
#include <QtGlobal>

#include <optional>

// What one call cost in integer micro-dollars, and where its price came from.
struct Cost
{
    std::optional<qint64> micros; // empty: unpriced, never 0 for unknown
    QString source;               // the price's provenance, or "unpriced"
};
