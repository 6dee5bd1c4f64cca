#include "consoleicons.h"

#include <QIconEngine>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace {

// Paints a glyph on a 24x24 grid scaled to the requested rectangle.
class GlyphEngine : public QIconEngine
{
public:
    GlyphEngine(ConsoleIcons::Glyph glyph, QColor colour)
        : m_glyph(glyph)
        , m_colour(colour)
    {}

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State) override
    {
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        painter->translate(rect.topLeft());
        painter->scale(rect.width() / 24.0, rect.height() / 24.0);
        QColor colour = m_colour;
        if (mode == QIcon::Disabled)
            colour.setAlphaF(0.35);
        else if (mode == QIcon::Selected)
            colour = Qt::white;
        QPen pen(colour, 2.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
        painter->setPen(pen);
        painter->setBrush(Qt::NoBrush);
        draw(painter, colour);
        painter->restore();
    }

    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        QPixmap pixmap(size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        paint(&painter, QRect(QPoint(), size), mode, state);
        return pixmap;
    }

    QIconEngine *clone() const override { return new GlyphEngine(m_glyph, m_colour); }

private:
    void draw(QPainter *p, const QColor &colour) const
    {
        using ConsoleIcons::Glyph;
        switch (m_glyph) {
        case Glyph::Live: {
            QPainterPath path(QPointF(2, 13));
            path.lineTo(7, 13);
            path.lineTo(10, 5);
            path.lineTo(14, 19);
            path.lineTo(17, 11);
            path.lineTo(22, 11);
            p->drawPath(path);
            break;
        }
        case Glyph::Sessions:
            p->drawRoundedRect(QRectF(3, 3, 8, 6), 1.5, 1.5);
            p->drawRoundedRect(QRectF(13, 10, 8, 5), 1.5, 1.5);
            p->drawRoundedRect(QRectF(13, 17, 8, 5), 1.5, 1.5);
            p->drawLine(QPointF(7, 9), QPointF(7, 19.5));
            p->drawLine(QPointF(7, 12.5), QPointF(13, 12.5));
            p->drawLine(QPointF(7, 19.5), QPointF(13, 19.5));
            break;
        case Glyph::Usage:
            p->drawLine(QPointF(3, 21), QPointF(21, 21));
            p->setBrush(colour);
            p->drawRect(QRectF(5, 12, 3, 7));
            p->drawRect(QRectF(10.5, 6, 3, 13));
            p->drawRect(QRectF(16, 9, 3, 10));
            break;
        case Glyph::Budgets:
            p->drawArc(QRectF(3, 5, 18, 18), 0, 180 * 16);
            p->drawLine(QPointF(12, 14), QPointF(17, 8.5));
            p->setBrush(colour);
            p->drawEllipse(QPointF(12, 14), 1.6, 1.6);
            p->drawLine(QPointF(3, 18), QPointF(21, 18));
            break;
        case Glyph::Access:
            p->drawEllipse(QPointF(8, 12), 4.5, 4.5);
            p->drawLine(QPointF(12.5, 12), QPointF(21, 12));
            p->drawLine(QPointF(18, 12), QPointF(18, 16));
            p->drawLine(QPointF(21, 12), QPointF(21, 15));
            break;
        case Glyph::Settings:
            for (int i = 0; i < 3; ++i) {
                const qreal y = 6 + i * 6;
                const qreal knob = i == 1 ? 15 : 8;
                p->drawLine(QPointF(3, y), QPointF(21, y));
                p->setBrush(Qt::white);
                p->drawEllipse(QPointF(knob, y), 2.2, 2.2);
                p->setBrush(Qt::NoBrush);
            }
            break;
        case Glyph::Stop: {
            QPainterPath octagon;
            for (int i = 0; i < 8; ++i) {
                const qreal angle = (22.5 + i * 45) * M_PI / 180;
                const QPointF corner(12 + 9.5 * std::cos(angle), 12 + 9.5 * std::sin(angle));
                i == 0 ? octagon.moveTo(corner) : octagon.lineTo(corner);
            }
            octagon.closeSubpath();
            p->setBrush(colour);
            p->drawPath(octagon);
            p->setPen(QPen(Qt::white, 2.2, Qt::SolidLine, Qt::RoundCap));
            p->drawLine(QPointF(8, 12), QPointF(16, 12));
            break;
        }
        case Glyph::Gatehouse:
            p->setBrush(colour);
            p->drawRoundedRect(QRectF(2, 2, 20, 20), 5, 5);
            p->setPen(QPen(Qt::white, 2.2, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
            p->setBrush(Qt::NoBrush);
            p->drawLine(QPointF(7, 19), QPointF(7, 10));
            p->drawLine(QPointF(17, 19), QPointF(17, 10));
            p->drawArc(QRectF(7, 5, 10, 10), 0, 180 * 16);
            p->drawLine(QPointF(12, 10), QPointF(12, 19));
            break;
        }
    }

    ConsoleIcons::Glyph m_glyph;
    QColor m_colour;
};

} // namespace

namespace ConsoleIcons {

QIcon icon(Glyph glyph, const QColor &colour)
{
    return QIcon(new GlyphEngine(glyph, colour));
}

} // namespace ConsoleIcons
