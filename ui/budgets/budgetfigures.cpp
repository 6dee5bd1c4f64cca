#include "budgetfigures.h"

#include "common/displaytext.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <algorithm>

namespace {

// As the gateway counts it: integer percent, rounded down; a zero limit is full at once.
int percentOf(qint64 used, qint64 limit)
{
    if (limit <= 0)
        return used > 0 ? 1000 : 100;
    return int(std::min<qint64>(used * 100 / limit, 1000));
}

std::optional<qint64> optionalNumber(const QJsonValue &value)
{
    if (value.isNull() || value.isUndefined())
        return std::nullopt;
    return value.toInteger();
}

// How full one running total is, in hundredths of a percent of the tighter measure.
qint64 fullness(const QJsonObject &total, const BudgetFigures &budget)
{
    qint64 worst = 0;
    const auto measure = [&](const std::optional<qint64> &limit, const char *spent,
                             const char *reserved) {
        if (!limit)
            return;
        const qint64 used = total.value(QLatin1StringView(spent)).toInteger() +
                            total.value(QLatin1StringView(reserved)).toInteger();
        worst = std::max(worst, *limit > 0 ? used * 10'000 / *limit : (used > 0 ? 1'000'000 : 0));
    };
    measure(budget.limitMicros, "spentMicros", "reservedMicros");
    measure(budget.limitTokens, "spentTokens", "reservedTokens");
    return worst;
}

} // namespace

qint64 BudgetFigures::limit() const
{
    return tokens() ? limitTokens.value_or(0) : limitMicros.value_or(0);
}

qint64 BudgetFigures::spent() const
{
    return tokens() ? spentTokens : spentMicros;
}

qint64 BudgetFigures::reserved() const
{
    return tokens() ? reservedTokens : reservedMicros;
}

int BudgetFigures::percent() const
{
    return percentOf(spent(), limit());
}

BudgetFigures::Level BudgetFigures::level() const
{
    const int percent = std::max(limitMicros ? percentOf(spentMicros, *limitMicros) : 0,
                                 limitTokens ? percentOf(spentTokens, *limitTokens) : 0);
    if (percent >= 100 || denying())
        return Level::Failure;
    const int firstAlert = alertPercents.isEmpty()
                               ? 100
                               : *std::min_element(alertPercents.begin(), alertPercents.end());
    return percent >= firstAlert ? Level::Warning : Level::Ok;
}

bool BudgetFigures::denying() const
{
    if (!hard)
        return false;
    return (limitMicros && spentMicros + reservedMicros >= *limitMicros) ||
           (limitTokens && spentTokens + reservedTokens >= *limitTokens);
}

QString BudgetFigures::scopeText() const
{
    const bool each = subject == u"*";
    if (layer == u"account")
        return each ? QCoreApplication::translate("BudgetFigures", "Each account")
                    : QCoreApplication::translate("BudgetFigures", "Account %1").arg(subject);
    if (layer == u"user")
        return each ? QCoreApplication::translate("BudgetFigures", "Each user")
                    : QCoreApplication::translate("BudgetFigures", "User %1").arg(subject);
    if (layer == u"key")
        return each ? QCoreApplication::translate("BudgetFigures", "Each API key")
                    : QCoreApplication::translate("BudgetFigures", "API key %1").arg(subject);
    if (layer == u"flow")
        return each ? QCoreApplication::translate("BudgetFigures", "Each flow")
                    : QCoreApplication::translate("BudgetFigures", "Flow %1").arg(subject);
    if (layer == u"execution")
        return each ? QCoreApplication::translate("BudgetFigures", "Each flow run")
                    : QCoreApplication::translate("BudgetFigures", "Each run of flow %1")
                          .arg(subject);
    if (layer == u"provider")
        return QCoreApplication::translate("BudgetFigures", "Provider %1").arg(subject);
    if (!withinAccount.isEmpty() && !withinFlow.isEmpty())
        return QCoreApplication::translate("BudgetFigures", "Model %1 in account %2, flow %3")
            .arg(subject, withinAccount, withinFlow);
    if (!withinAccount.isEmpty())
        return QCoreApplication::translate("BudgetFigures", "Model %1 in account %2")
            .arg(subject, withinAccount);
    if (!withinFlow.isEmpty())
        return QCoreApplication::translate("BudgetFigures", "Model %1 in flow %2")
            .arg(subject, withinFlow);
    return QCoreApplication::translate("BudgetFigures", "Model %1").arg(subject);
}

QString BudgetFigures::periodText() const
{
    if (period == u"daily")
        return QCoreApplication::translate("BudgetFigures", "Daily");
    if (period == u"weekly")
        return QCoreApplication::translate("BudgetFigures", "Weekly");
    if (period == u"monthly")
        return QCoreApplication::translate("BudgetFigures", "Monthly");
    return QCoreApplication::translate("BudgetFigures", "Lifetime");
}

QString BudgetFigures::amountText(qint64 amount) const
{
    return tokens() ? DisplayText::tokens(amount) : roundedMoney(amount);
}

QString BudgetFigures::roundedMoney(qint64 micros)
{
    const qint64 magnitude = micros < 0 ? -micros : micros;
    const qint64 step = magnitude >= 1'000'000 ? 10'000 : magnitude >= 10'000 ? 100 : 1;
    const qint64 rounded = (magnitude + step / 2) / step * step;
    return DisplayText::money(micros < 0 ? -rounded : rounded);
}

BudgetFigures BudgetFigures::fromStatus(const QJsonObject &status)
{
    BudgetFigures budget;
    budget.id = status.value(u"id").toString();
    budget.name = status.value(u"name").toString();
    budget.layer = status.value(u"layer").toString();
    budget.subject = status.value(u"subject").toString();
    budget.withinAccount = status.value(u"withinAccount").toString();
    budget.withinFlow = status.value(u"withinFlow").toString();
    budget.period = status.value(u"period").toString();
    budget.hard = status.value(u"enforcement").toString() != u"soft";
    for (const QJsonValue &percent : status.value(u"alertPercents").toArray())
        budget.alertPercents.append(percent.toInt());
    budget.limitMicros = optionalNumber(status.value(u"limitMicros"));
    budget.limitTokens = optionalNumber(status.value(u"limitTokens"));
    const QString end = status.value(u"periodEnd").toString();
    if (!end.isEmpty())
        budget.periodEnd = QDateTime::fromString(end, Qt::ISODate).toLocalTime();

    // The definition without the figures: what the admin API takes back in a PUT.
    static const QStringList definitionFields{QStringLiteral("id"),
                                              QStringLiteral("name"),
                                              QStringLiteral("layer"),
                                              QStringLiteral("subject"),
                                              QStringLiteral("withinAccount"),
                                              QStringLiteral("withinFlow"),
                                              QStringLiteral("limitMicros"),
                                              QStringLiteral("limitTokens"),
                                              QStringLiteral("period"),
                                              QStringLiteral("enforcement"),
                                              QStringLiteral("alertPercents"),
                                              QStringLiteral("allowUnpriced")};
    for (const QString &field : definitionFields) {
        const QJsonValue value = status.value(field);
        if (!value.isUndefined() && !value.isNull())
            budget.definition.insert(field, value);
    }

    const QJsonArray totals = status.value(u"usage").toArray();
    budget.instances = int(totals.size());
    QJsonObject fullest = totals.isEmpty() ? status : totals.first().toObject();
    for (const QJsonValue &value : totals) {
        if (fullness(value.toObject(), budget) > fullness(fullest, budget))
            fullest = value.toObject();
    }
    budget.instance = fullest.value(u"instance").toString();
    budget.spentMicros = fullest.value(u"spentMicros").toInteger();
    budget.reservedMicros = fullest.value(u"reservedMicros").toInteger();
    budget.spentTokens = fullest.value(u"spentTokens").toInteger();
    budget.reservedTokens = fullest.value(u"reservedTokens").toInteger();
    budget.unpricedRequests = fullest.value(u"unpricedRequests").toInteger();
    return budget;
}
