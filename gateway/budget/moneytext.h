#pragma once

#include <QString>

// Micro-dollars as an operator reads them: "$4.90", "$0.000125" (exact; at least two decimals).
QString moneyText(qint64 micros);
