#include "displaytext.h"

#include "budget/moneytext.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>

namespace DisplayText {

QString money(std::optional<qint64> micros)
{
    if (!micros)
        return QCoreApplication::translate("DisplayText", "unpriced");
    return moneyText(*micros);
}

QString tokens(qint64 count)
{
    const QLocale locale;
    if (count < 10'000)
        return locale.toString(count);
    if (count < 1'000'000)
        return locale.toString(double(count) / 1e3, 'f', 1) + u'k';
    return locale.toString(double(count) / 1e6, 'f', 1) + u'M';
}

QString duration(qint64 micros)
{
    const QLocale locale;
    if (micros < 0)
        return QStringLiteral("–");
    if (micros < 1000)
        return QCoreApplication::translate("DisplayText", "%1 µs").arg(micros);
    if (micros < 1'000'000)
        return QCoreApplication::translate("DisplayText", "%1 ms")
            .arg(locale.toString(double(micros) / 1e3, 'f', micros < 100'000 ? 1 : 0));
    if (micros < 60'000'000)
        return QCoreApplication::translate("DisplayText", "%1 s")
            .arg(locale.toString(double(micros) / 1e6, 'f', 1));
    const qint64 seconds = micros / 1'000'000;
    return QCoreApplication::translate("DisplayText", "%1 min %2 s")
        .arg(seconds / 60)
        .arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

QString time(qint64 epochMs)
{
    const QDateTime at = QDateTime::fromMSecsSinceEpoch(epochMs);
    if (at.date() == QDate::currentDate())
        return at.toString(QStringLiteral("HH:mm:ss.zzz"));
    return at.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

} // namespace DisplayText
