#include "budgetgauge.h"

#include "budget/moneytext.h"
#include "common/consolestyle.h"
#include "common/displaytext.h"

#include <QFocusEvent>
#include <QKeyEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace {

constexpr int kBarHeight = 16;
constexpr int kHandleReach = 5; // how far the handle stands out above and below the bar
constexpr int kGrab = 8;        // how near the handle a press picks it up, in pixels
constexpr int kSide = 7;        // room left and right of the bar for the handle's knob
constexpr int kKeyCommitMs = 900;

QColor track()
{
    return QColor(0xe5, 0xe7, 0xeb);
}

QColor ink()
{
    return QColor(0x1f, 0x29, 0x37);
}

} // namespace

BudgetGauge::BudgetGauge(QWidget *parent)
    : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setToolTip(tr("Drag the limit handle, or press + and −, to change the limit."));
    m_keyCommit.setSingleShot(true);
    m_keyCommit.setInterval(kKeyCommitMs);
    connect(&m_keyCommit, &QTimer::timeout, this, &BudgetGauge::commit);
}

void BudgetGauge::setFigures(const BudgetFigures &figures)
{
    m_figures = figures;
    if (m_applying && m_pending && figures.limit() == *m_pending) {
        m_applying = false;
        m_pending.reset();
    }
    describe();
    update();
}

QString BudgetGauge::pendingText() const
{
    if (!m_pending || m_applying)
        return {};
    const qint64 limit = *m_pending;
    return tr("%1 · %2% used")
        .arg(m_figures.tokens() ? QLocale().toString(limit) : moneyText(limit))
        .arg(shown().percent());
}

BudgetFigures BudgetGauge::shown() const
{
    BudgetFigures figures = m_figures;
    if (m_pending)
        (figures.tokens() ? figures.limitTokens : figures.limitMicros) = *m_pending;
    return figures;
}

QRect BudgetGauge::barRect() const
{
    return layout().bar;
}

int BudgetGauge::handleX() const
{
    return xOf(m_pending.value_or(m_figures.limit()));
}

void BudgetGauge::applyFailed()
{
    m_applying = false;
    m_pending.reset();
    describe();
    update();
}

qint64 BudgetGauge::snapStep(qint64 value, bool tokens)
{
    if (tokens)
        return value < 10'000 ? 10 : value < 100'000 ? 100 : 1'000;
    return value < 10'000'000 ? 10'000 : value < 100'000'000 ? 100'000 : 1'000'000;
}

qint64 BudgetGauge::snap(qint64 value, bool tokens)
{
    if (value <= 0)
        return 0;
    const qint64 step = snapStep(value, tokens);
    return (value + step / 2) / step * step;
}

QSize BudgetGauge::sizeHint() const
{
    return {560, layout().height};
}

QSize BudgetGauge::minimumSizeHint() const
{
    return {260, layout().height};
}

BudgetGauge::Layout BudgetGauge::layout() const
{
    QFont title = font();
    title.setBold(true);
    title.setPointSizeF(font().pointSizeF() * 1.1);
    Layout layout;
    layout.titleHeight = std::max(QFontMetrics(title).height(), fontMetrics().height() + 6);
    const int barTop = layout.titleHeight + 12;
    layout.bar = QRect(kSide, barTop, std::max(width() - 2 * kSide, 40), kBarHeight);
    layout.figuresTop = layout.bar.bottom() + 1 + kHandleReach + 6;
    layout.height = layout.figuresTop + fontMetrics().height() + 2;
    return layout;
}

qint64 BudgetGauge::scale() const
{
    const qint64 used = m_figures.spent() + m_figures.reserved();
    const qint64 base = std::max({m_figures.limit(), used, m_pending.value_or(0)});
    // Room past the larger of limit and use, so the limit can be dragged up as well.
    const qint64 natural = base > 0 ? base + base / 4 : (m_figures.tokens() ? 1'000 : 1'000'000);
    if (m_editScale <= 0)
        return natural;
    // While the limit moves the bar holds still, unless typing takes the limit past its end.
    return std::max(m_editScale, m_pending.value_or(0) + m_pending.value_or(0) / 20);
}

int BudgetGauge::xOf(qint64 value) const
{
    const QRect bar = barRect();
    const qint64 clamped = std::clamp<qint64>(value, 0, scale());
    // A pixel position: the fraction needs no exactness.
    return bar.left() + int(double(clamped) / double(scale()) * bar.width() + 0.5);
}

qint64 BudgetGauge::valueAt(int x) const
{
    const QRect bar = barRect();
    const qint64 offset = std::clamp(x - bar.left(), 0, bar.width());
    const qint64 total = scale();
    // scale / width * offset without overflowing for large limits.
    return total / bar.width() * offset + total % bar.width() * offset / bar.width();
}

bool BudgetGauge::onHandle(const QPoint &point) const
{
    const QRect bar = barRect();
    return std::abs(point.x() - handleX()) <= kGrab && point.y() >= bar.top() - kHandleReach - 4 &&
           point.y() <= bar.bottom() + kHandleReach + 4;
}

void BudgetGauge::startEditing()
{
    if (m_editScale <= 0)
        m_editScale = scale();
    m_applying = false;
}

void BudgetGauge::commit()
{
    m_keyCommit.stop();
    m_dragging = false;
    m_editScale = 0;
    if (!m_pending || *m_pending == m_figures.limit()) {
        m_pending.reset();
    } else {
        m_applying = true;
        Q_EMIT limitEdited(m_figures.id, m_figures.tokens(), *m_pending);
    }
    describe();
    update();
}

void BudgetGauge::cancel()
{
    m_keyCommit.stop();
    m_dragging = false;
    m_editScale = 0;
    m_pending.reset();
    m_applying = false;
    unsetCursor();
    describe();
    update();
}

void BudgetGauge::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || !onHandle(event->position().toPoint())) {
        QWidget::mousePressEvent(event);
        return;
    }
    startEditing();
    m_keyCommit.stop();
    m_dragging = true;
    m_pending = m_pending.value_or(m_figures.limit());
    setCursor(Qt::SizeHorCursor);
    update();
}

void BudgetGauge::mouseMoveEvent(QMouseEvent *event)
{
    if (!m_dragging) {
        if (onHandle(event->position().toPoint()))
            setCursor(Qt::SizeHorCursor);
        else
            unsetCursor();
        return;
    }
    m_pending = snap(valueAt(event->position().toPoint().x()), m_figures.tokens());
    update();
}

void BudgetGauge::mouseReleaseEvent(QMouseEvent *event)
{
    if (!m_dragging || event->button() != Qt::LeftButton) {
        QWidget::mouseReleaseEvent(event);
        return;
    }
    m_pending = snap(valueAt(event->position().toPoint().x()), m_figures.tokens());
    commit();
}

void BudgetGauge::keyPressEvent(QKeyEvent *event)
{
    const int key = event->key();
    if ((key == Qt::Key_Escape) && m_pending && !m_applying) {
        cancel();
        return;
    }
    if ((key == Qt::Key_Return || key == Qt::Key_Enter) && m_pending && !m_applying) {
        commit();
        return;
    }
    int direction = 0;
    if (key == Qt::Key_Plus || key == Qt::Key_Equal || key == Qt::Key_Right || key == Qt::Key_Up)
        direction = 1;
    else if (key == Qt::Key_Minus || key == Qt::Key_Left || key == Qt::Key_Down)
        direction = -1;
    if (direction == 0 || m_dragging || m_figures.id.isEmpty()) {
        QWidget::keyPressEvent(event);
        return;
    }
    startEditing();
    const qint64 current = m_pending.value_or(m_figures.limit());
    const bool fine = event->modifiers() & Qt::ShiftModifier;
    // The step of the range moved into: down from $10 goes by dimes, up from $10 by dollars.
    const qint64 step =
        snapStep(direction > 0 ? current : std::max<qint64>(0, current - 1), m_figures.tokens()) *
        (fine ? 1 : 10);
    // Steps land on the grid, so a few presses give round figures.
    const qint64 next = direction > 0 ? (current / step + 1) * step
                                      : std::max<qint64>(0, (current - 1) / step * step);
    m_pending = next;
    m_keyCommit.start();
    describe();
    update();
}

void BudgetGauge::focusOutEvent(QFocusEvent *event)
{
    // A typed limit is not left half-done: leaving the gauge applies it.
    if (m_pending && !m_applying && !m_dragging)
        commit();
    QWidget::focusOutEvent(event);
}

void BudgetGauge::describe()
{
    setAccessibleName(
        tr("Budget %1").arg(m_figures.name.isEmpty() ? m_figures.id : m_figures.name));
    const QString limit = m_figures.amountText(m_pending.value_or(m_figures.limit()));
    QString text = m_figures.tokens()
                       ? tr("%1, %2. %3 tokens spent, %4 reserved, limit %5, %6% used.")
                       : tr("%1, %2. %3 spent, %4 reserved, limit %5, %6% used.");
    text = text.arg(m_figures.scopeText(), m_figures.periodText(),
                    m_figures.amountText(m_figures.spent()),
                    m_figures.amountText(m_figures.reserved()), limit)
               .arg(shown().percent());
    if (m_figures.denying())
        text += u' ' + tr("Refusing requests.");
    setAccessibleDescription(text);
}

QColor BudgetGauge::levelColour() const
{
    // The level at the limit shown: dragging across a threshold changes the colour at once.
    switch (shown().level()) {
    case BudgetFigures::Level::Ok:
        return ConsoleStyle::ok();
    case BudgetFigures::Level::Warning:
        return ConsoleStyle::warning();
    case BudgetFigures::Level::Failure:
        return ConsoleStyle::failure();
    }
    return ConsoleStyle::ok();
}

void BudgetGauge::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const Layout geometry = layout();
    paintTitle(painter, geometry);
    paintBar(painter, geometry);
    paintFigures(painter, geometry);
    if (!pendingText().isEmpty())
        paintBubble(painter, geometry);
}

void BudgetGauge::paintTitle(QPainter &painter, const Layout &layout) const
{
    QFont title = font();
    title.setBold(true);
    title.setPointSizeF(font().pointSizeF() * 1.1);
    const QFontMetrics titleMetrics(title);
    const QFontMetrics metrics = fontMetrics();
    const int baseline = (layout.titleHeight + titleMetrics.ascent() - titleMetrics.descent()) / 2;

    // Right: when the period ends.
    const QString resets =
        m_figures.periodEnd.isValid()
            ? tr("Resets %1")
                  .arg(QLocale().toString(m_figures.periodEnd, QStringLiteral("ddd d MMM, HH:mm")))
            : tr("Never resets");
    const int resetsWidth = metrics.horizontalAdvance(resets);
    painter.setPen(ConsoleStyle::muted());
    painter.drawText(width() - resetsWidth - 1, baseline, resets);

    int x = 0;
    const int room = width() - resetsWidth - 16;
    const QString name = titleMetrics.elidedText(
        m_figures.name.isEmpty() ? m_figures.id : m_figures.name, Qt::ElideRight, room / 2);
    painter.setFont(title);
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(x, baseline, name);
    x += titleMetrics.horizontalAdvance(name) + 10;
    painter.setFont(font());

    if (m_figures.denying()) {
        QFont badgeFont = font();
        badgeFont.setBold(true);
        badgeFont.setPointSizeF(font().pointSizeF() * 0.85);
        const QFontMetrics badgeMetrics(badgeFont);
        const QString badge = tr("DENYING");
        const QRect box(x, (layout.titleHeight - badgeMetrics.height() - 4) / 2,
                        badgeMetrics.horizontalAdvance(badge) + 12, badgeMetrics.height() + 4);
        painter.setPen(Qt::NoPen);
        painter.setBrush(ConsoleStyle::failure());
        painter.drawRoundedRect(box, 4, 4);
        painter.setFont(badgeFont);
        painter.setPen(Qt::white);
        painter.drawText(box, Qt::AlignCenter, badge);
        painter.setFont(font());
        x = box.right() + 10;
    }

    const QString scope =
        QStringLiteral("%1  ·  %2  ·  %3")
            .arg(m_figures.scopeText(), m_figures.periodText(),
                 m_figures.hard ? tr("hard limit") : tr("soft limit, alerts only"));
    painter.setPen(ConsoleStyle::muted());
    painter.drawText(x, baseline, metrics.elidedText(scope, Qt::ElideRight, room - x));
}

void BudgetGauge::paintBar(QPainter &painter, const Layout &layout) const
{
    const QRect bar = layout.bar;
    const qreal radius = bar.height() / 2.0;
    QPainterPath clip;
    clip.addRoundedRect(bar, radius, radius);

    painter.setPen(Qt::NoPen);
    painter.setBrush(track());
    painter.drawPath(clip);

    painter.save();
    painter.setClipPath(clip);
    const int limitX = handleX();
    // Past the limit: a faint red, where spending is refused (hard) or alerted (soft).
    QColor beyond = ConsoleStyle::failure();
    beyond.setAlpha(28);
    painter.fillRect(QRect(QPoint(limitX, bar.top()), bar.bottomRight()), beyond);

    const int spentX = xOf(m_figures.spent());
    const int reservedX = xOf(m_figures.spent() + m_figures.reserved());
    const QColor colour = levelColour();
    painter.fillRect(QRect(bar.left(), bar.top(), spentX - bar.left(), bar.height()), colour);
    if (reservedX > spentX) {
        const QRect held(spentX, bar.top(), reservedX - spentX, bar.height());
        painter.fillRect(held, ConsoleStyle::reserved().lighter(135));
        painter.fillRect(held, QBrush(ConsoleStyle::reserved().darker(115), Qt::BDiagPattern));
    }
    // The alert thresholds below the limit, as faint ticks.
    QColor tick = ink();
    tick.setAlpha(70);
    for (int percent : m_figures.alertPercents) {
        if (percent >= 100)
            continue;
        const int x = xOf(m_pending.value_or(m_figures.limit()) * percent / 100);
        painter.fillRect(QRect(x, bar.top() + bar.height() / 2, 1, bar.height() / 2), tick);
    }
    painter.restore();

    if (hasFocus()) {
        painter.setPen(QPen(palette().color(QPalette::Highlight), 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawRoundedRect(QRectF(bar).adjusted(-2, -2, 2, 2), radius + 2, radius + 2);
    }

    // The limit handle: a line through the bar with a knob on top.
    const bool editing = m_pending.has_value();
    const QColor handle = editing ? palette().color(QPalette::Highlight) : ink();
    painter.setPen(Qt::NoPen);
    painter.setBrush(handle);
    painter.drawRect(
        QRect(limitX - 1, bar.top() - kHandleReach, 3, bar.height() + 2 * kHandleReach));
    painter.drawRoundedRect(QRect(limitX - 5, bar.top() - kHandleReach - 2, 11, 7), 2, 2);
    if (m_applying) {
        // Sent, not yet confirmed: the old limit stays visible as an outline.
        painter.setPen(QPen(ink(), 1, Qt::DashLine));
        const int oldX = xOf(m_figures.limit());
        painter.drawLine(oldX, bar.top() - kHandleReach, oldX, bar.bottom() + kHandleReach);
    }
}

void BudgetGauge::paintFigures(QPainter &painter, const Layout &layout) const
{
    const QFontMetrics metrics = fontMetrics();
    const int baseline = layout.figuresTop + metrics.ascent();
    const BudgetFigures &f = m_figures;
    QString figures;
    if (m_pending) {
        figures =
            (f.tokens() ? tr("%1 tokens spent · %2 reserved · new limit %3")
                        : tr("%1 spent · %2 reserved · new limit %3"))
                .arg(f.amountText(f.spent()), f.amountText(f.reserved()), f.amountText(*m_pending));
        if (m_applying)
            figures += u' ' + tr("(applying…)");
    } else {
        figures =
            (f.tokens() ? tr("%1 tokens spent · %2 reserved · %3 limit")
                        : tr("%1 spent · %2 reserved · %3 limit"))
                .arg(f.amountText(f.spent()), f.amountText(f.reserved()), f.amountText(f.limit()));
    }
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(0, baseline, figures);
    int x = metrics.horizontalAdvance(figures);

    QFont strong = font();
    strong.setBold(true);
    const QString separator = QStringLiteral(" · ");
    painter.drawText(x, baseline, separator);
    x += metrics.horizontalAdvance(separator);
    painter.setFont(strong);
    painter.setPen(levelColour());
    const QString percent = tr("%1%").arg(shown().percent());
    painter.drawText(x, baseline, percent);
    painter.setFont(font());

    // Right: what else the operator should know about these figures.
    QStringList notes;
    if (f.limitMicros && f.limitTokens)
        notes += tr("%1 of %2 tokens")
                     .arg(DisplayText::tokens(f.spentTokens), DisplayText::tokens(*f.limitTokens));
    if (f.instances > 1)
        notes += tr("fullest of %1 separate totals: %2").arg(f.instances).arg(f.instance);
    else if (!f.instance.isEmpty())
        notes += tr("for %1").arg(f.instance);
    if (f.unpricedRequests > 0 && f.limitMicros)
        notes += tr("%Ln unpriced call(s) not in the spend", nullptr, int(f.unpricedRequests));
    if (notes.isEmpty())
        return;
    painter.setPen(ConsoleStyle::muted());
    const int room = width() - x - metrics.horizontalAdvance(percent) - 24;
    const QString text = metrics.elidedText(notes.join(separator), Qt::ElideLeft, room);
    painter.drawText(width() - metrics.horizontalAdvance(text) - 1, baseline, text);
}

void BudgetGauge::paintBubble(QPainter &painter, const Layout &layout) const
{
    const QString text = pendingText();
    QFont bold = font();
    bold.setBold(true);
    const QFontMetrics metrics(bold);
    const QSize size(metrics.horizontalAdvance(text) + 16, metrics.height() + 6);
    const int x = std::clamp(handleX() - size.width() / 2, 0, width() - size.width());
    const QRect box(QPoint(x, layout.bar.top() - kHandleReach - 4 - size.height()), size);
    painter.setPen(Qt::NoPen);
    painter.setBrush(palette().color(QPalette::ToolTipBase));
    painter.drawRoundedRect(box, 5, 5);
    painter.setFont(bold);
    painter.setPen(palette().color(QPalette::ToolTipText));
    painter.drawText(box, Qt::AlignCenter, text);
    painter.setFont(font());
}
