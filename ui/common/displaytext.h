#pragma once

#include <QString>

#include <optional>

// Figures as the console shows them, in the user's locale: money from exact micro-dollars
// (unpriced is said, never "$0"), token counts, durations and times.
namespace DisplayText {
// "$4.90", "$0.000125"; empty optional: "unpriced".
QString money(std::optional<qint64> micros);
// "1,234", "12.3k", "4.5M".
QString tokens(qint64 count);
// From microseconds: "850 µs", "12.4 ms", "3.2 s", "4 min 05 s"; negative: "–".
QString duration(qint64 micros);
// Epoch milliseconds as local wall-clock time: "14:03:27.512" today, else "2026-11-23 14:03".
QString time(qint64 epochMs);
} // namespace DisplayText
