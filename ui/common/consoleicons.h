#pragma once

#include <QIcon>

// The console's icons, drawn in code (Debian's Qt has no SVG icon engine unless another
// package is installed): simple line glyphs in one colour, crisp at any device pixel ratio.
namespace ConsoleIcons {
enum class Glyph
{
    Live,     // a pulse line
    Sessions, // a small tree
    Usage,    // bars
    Budgets,  // a gauge
    Access,   // a key
    Settings, // a sliders glyph
    Stop,     // a stop sign
    Gatehouse // the application: a gate
};
QIcon icon(Glyph glyph, const QColor &colour);
} // namespace ConsoleIcons
