#include "usagetotals.h"

#include "common/displaytext.h"

#include <QCoreApplication>

UsageTotals UsageTotals::fromJson(const QJsonObject &object)
{
    const auto number = [&](const char16_t *name) {
        return object.value(QString::fromUtf16(name)).toInteger();
    };
    UsageTotals totals;
    totals.requests = number(u"requests");
    totals.errors = number(u"errors");
    totals.promptTokens = number(u"promptTokens");
    totals.completionTokens = number(u"completionTokens");
    totals.totalTokens = number(u"totalTokens");
    totals.costMicros = number(u"costMicros");
    totals.pricedRequests = number(u"pricedRequests");
    totals.unpricedRequests = number(u"unpricedRequests");
    return totals;
}

void UsageTotals::add(const UsageTotals &other)
{
    requests += other.requests;
    errors += other.errors;
    promptTokens += other.promptTokens;
    completionTokens += other.completionTokens;
    totalTokens += other.totalTokens;
    costMicros += other.costMicros;
    pricedRequests += other.pricedRequests;
    unpricedRequests += other.unpricedRequests;
}

QString UsageTotals::costText() const
{
    if (requests == 0)
        return QStringLiteral("–");
    const int unpriced = int(std::min<qint64>(unpricedRequests, INT_MAX));
    if (unpriced == 0)
        return DisplayText::money(costMicros);
    if (pricedRequests == 0)
        return QCoreApplication::translate("UsageTotals", "%n unpriced", nullptr, unpriced);
    return QCoreApplication::translate("UsageTotals", "%1 + %n unpriced", nullptr, unpriced)
        .arg(DisplayText::money(costMicros));
}
