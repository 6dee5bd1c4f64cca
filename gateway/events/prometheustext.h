#pragma once

#include <QByteArray>
#include <QByteArrayList>
#include <QByteArrayView>

// Pieces of the Prometheus text exposition format (0.0.4).
namespace PrometheusText {

// A label value between its quotes: backslash, double quote and line feed escaped.
QByteArray escapeLabelValue(QByteArrayView value);
// {name="value",...} for the names and values in order; empty when there are none.
QByteArray labelSet(const QByteArrayList &names, const QByteArrayList &values);
// An exact decimal of a count of millionths (micro-dollars as dollars, microseconds as
// seconds): 3 -> "0.000003", 2500000 -> "2.5", 0 -> "0". No floating point on the way.
QByteArray decimalFromMillionths(qint64 millionths);

} // namespace PrometheusText
