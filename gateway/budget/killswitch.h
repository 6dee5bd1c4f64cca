#pragma once

#include "ledger/storestatement.h"
#include "policy/policyclock.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

// One stop order: all model traffic, one account's or one flow's.
struct KillOrder
{
    QString scope;    // "all", "account" or "flow"
    QString subject;  // the account or flow; empty for "all"
    bool cut = false; // true: requests already running are cut too; false: they finish
    QString reason;
    qint64 atMs = 0;

    QString describe() const;
    bool stops(const QString &account, const QString &flow) const;
    QJsonObject toJson() const;
};

// The operator's kill switch: while an order stands, new model requests in its scope are
// refused with its reason. Kept in the store, so a restart does not lift it. Gateway thread.
class KillSwitch
{
public:
    KillSwitch(StoreSink store, PolicyClock clock);

    static StoreStatement loadQuery();
    void load(const QList<QVariantList> &rows);
    // Team mode: the orders as another gateway left them (rows of loadQuery()).
    void replace(const QList<QVariantList> &rows);

    // Replaces an order of the same scope and subject.
    KillOrder engage(KillOrder order);
    bool release(const QString &scope, const QString &subject);
    // The order that stops a request of this account and flow, if any.
    std::optional<KillOrder> stopping(const QString &account, const QString &flow) const;
    // The cut-mode order among them, if any: it ends such a request even while it runs.
    std::optional<KillOrder> cutting(const QString &account, const QString &flow) const;
    const QList<KillOrder> &orders() const { return m_orders; }

private:
    StoreSink m_store;
    PolicyClock m_clock;
    QList<KillOrder> m_orders;
};
