#pragma once

#include <QColor>

class QApplication;

// The console's one look: Fusion with a calm light palette, and the few colours that carry
// meaning (ok, warning, failure, live, reserved). Views take colours from here, not literals.
namespace ConsoleStyle {
void apply(QApplication &app);

inline QColor ok()
{
    return QColor(0x2e, 0x7d, 0x32);
}
inline QColor warning()
{
    return QColor(0xe0, 0x8e, 0x00);
}
inline QColor failure()
{
    return QColor(0xc6, 0x28, 0x28);
}
inline QColor live()
{
    return QColor(0x15, 0x65, 0xc0);
}
inline QColor reserved()
{
    return QColor(0x90, 0xa4, 0xae);
}
inline QColor muted()
{
    return QColor(0x6b, 0x72, 0x80);
}
} // namespace ConsoleStyle
