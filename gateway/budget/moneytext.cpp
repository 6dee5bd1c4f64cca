#include "budget/moneytext.h"

QString moneyText(qint64 micros)
{
    const bool negative = micros < 0;
    const quint64 magnitude = negative ? quint64(-(micros + 1)) + 1 : quint64(micros);
    QString fraction = QString::number(magnitude % 1'000'000).rightJustified(6, u'0');
    while (fraction.size() > 2 && fraction.endsWith(u'0'))
        fraction.chop(1);
    return (negative ? QStringLiteral("-$") : QStringLiteral("$")) +
           QString::number(magnitude / 1'000'000) + u'.' + fraction;
}
