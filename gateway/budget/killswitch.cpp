#include "budget/killswitch.h"

using namespace Qt::StringLiterals;

QString KillOrder::describe() const
{
    if (scope == u"all")
        return u"all model traffic"_s;
    return u"%1 '%2'"_s.arg(scope, subject);
}

bool KillOrder::stops(const QString &account, const QString &flow) const
{
    return scope == u"all" || (scope == u"account" && subject == account) ||
           (scope == u"flow" && !flow.isEmpty() && subject == flow);
}

QJsonObject KillOrder::toJson() const
{
    return {{u"scope"_s, scope},
            {u"subject"_s, subject.isEmpty() ? QJsonValue() : QJsonValue(subject)},
            {u"mode"_s, cut ? u"cut"_s : u"finish"_s},
            {u"reason"_s, reason},
            {u"atMs"_s, atMs}};
}

KillSwitch::KillSwitch(StoreSink store, PolicyClock clock)
    : m_store(std::move(store))
    , m_clock(std::move(clock))
{}

StoreStatement KillSwitch::loadQuery()
{
    return {u"SELECT scope, subject, cut, reason, at_ms FROM kill_switches ORDER BY at_ms"_s, {}};
}

void KillSwitch::load(const QList<QVariantList> &rows)
{
    for (const QVariantList &row : rows)
        m_orders.append(KillOrder{row.at(0).toString(), row.at(1).toString(),
                                  row.at(2).toInt() != 0, row.at(3).toString(),
                                  row.at(4).toLongLong()});
}

void KillSwitch::replace(const QList<QVariantList> &rows)
{
    m_orders.clear();
    load(rows);
}

namespace {

// The stored subject: "all" has none, kept as '' (the column is NOT NULL and part of the key;
// a null QString binds as SQL NULL).
QString storedSubject(const QString &subject)
{
    return subject.isEmpty() ? QStringLiteral("") : subject;
}

} // namespace

KillOrder KillSwitch::engage(KillOrder order)
{
    if (order.scope == u"all")
        order.subject.clear();
    order.atMs = m_clock();
    m_orders.removeIf(
        [&](const KillOrder &o) { return o.scope == order.scope && o.subject == order.subject; });
    m_orders.append(order);
    m_store(
        {u"INSERT INTO kill_switches (scope, subject, cut, reason, at_ms) VALUES (?, ?, ?, ?, ?) "
         "ON CONFLICT (scope, subject) DO UPDATE SET cut = excluded.cut, "
         "reason = excluded.reason, at_ms = excluded.at_ms"_s,
         {order.scope, storedSubject(order.subject), order.cut ? 1 : 0, order.reason, order.atMs}});
    return order;
}

bool KillSwitch::release(const QString &scope, const QString &subject)
{
    const QString key = scope == u"all" ? QString() : subject;
    const qsizetype removed =
        m_orders.removeIf([&](const KillOrder &o) { return o.scope == scope && o.subject == key; });
    if (!removed)
        return false;
    m_store({u"DELETE FROM kill_switches WHERE scope = ? AND subject = ?"_s,
             {scope, storedSubject(key)}});
    return true;
}

std::optional<KillOrder> KillSwitch::stopping(const QString &account, const QString &flow) const
{
    for (const KillOrder &order : m_orders) {
        if (order.stops(account, flow))
            return order;
    }
    return std::nullopt;
}

std::optional<KillOrder> KillSwitch::cutting(const QString &account, const QString &flow) const
{
    for (const KillOrder &order : m_orders) {
        if (order.cut && order.stops(account, flow))
            return order;
    }
    return std::nullopt;
}
