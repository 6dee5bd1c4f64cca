#include "prometheustext.h"

namespace PrometheusText {

QByteArray escapeLabelValue(QByteArrayView value)
{
    QByteArray escaped;
    escaped.reserve(value.size());
    for (char c : value) {
        if (c == '\\')
            escaped += "\\\\";
        else if (c == '"')
            escaped += "\\\"";
        else if (c == '\n')
            escaped += "\\n";
        else
            escaped += c;
    }
    return escaped;
}

QByteArray labelSet(const QByteArrayList &names, const QByteArrayList &values)
{
    Q_ASSERT(names.size() == values.size());
    if (names.isEmpty())
        return {};
    QByteArray set = "{";
    for (qsizetype i = 0; i < names.size(); ++i) {
        if (i > 0)
            set += ',';
        set += names[i] + "=\"" + escapeLabelValue(values[i]) + '"';
    }
    return set + '}';
}

QByteArray decimalFromMillionths(qint64 millionths)
{
    const bool negative = millionths < 0;
    // Unsigned, so that the most negative value has a magnitude too.
    const quint64 magnitude = negative ? 0 - quint64(millionths) : quint64(millionths);
    QByteArray text = (negative ? "-" : "") + QByteArray::number(magnitude / 1'000'000);
    if (const quint64 fraction = magnitude % 1'000'000) {
        QByteArray digits = QByteArray::number(fraction).rightJustified(6, '0');
        while (digits.endsWith('0'))
            digits.chop(1);
        text += '.' + digits;
    }
    return text;
}

} // namespace PrometheusText
