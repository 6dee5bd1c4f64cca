#pragma once

#include <QString>
#include <QtGlobal>

#include <optional>

// A model's list price, each part in integer micro-dollars per million tokens
// (USD 2.50 / Mtok is 2'500'000). A part that is not known stays empty: it is never 0 by default.
struct Price
{
    std::optional<qint64> input;
    std::optional<qint64> output;
    std::optional<qint64> cacheRead;
    std::optional<qint64> cacheWrite;
    QString source; // where it came from, e.g. "config" or "bundled:2026-11"
};
