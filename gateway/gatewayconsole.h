#pragma once

#include "budget/budgetbook.h"
#include "config/configuration.h"
#include "console/consolebatch.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>

#include <functional>
#include <optional>

class Gateway;
class LedgerReport;
struct AdminReply;

// The operator console's handle on a running gateway, living on the console's thread. What
// happens arrives as signals, batched by the gateway thread; changes go to the gateway thread
// as admin API calls (validated and audited like any other); ledger reads run on the reader
// thread. Nothing here waits for the gateway, and the gateway never waits for the console.
class GatewayConsole : public QObject
{
    Q_OBJECT
public:
    explicit GatewayConsole(Gateway *gateway, QObject *parent = nullptr);
    // Detaches from the gateway's feed (a short wait for the gateway thread).
    ~GatewayConsole() override;

    QString url() const;
    const Configuration &configuration() const;

    using Reply = std::function<void(const AdminReply &)>;
    // An admin API call in process: path is what follows /admin/v1/ (e.g. "budgets/b1"). The
    // change is audited with actor "console". done runs on this object's thread.
    void call(const QByteArray &method, const QString &path, const QJsonObject &body = {},
              Reply done = {});

    using Report = std::function<std::optional<QJsonObject>(const LedgerReport &, QString *)>;
    using ReportDone = std::function<void(const QJsonObject &answer, const QString &error)>;
    // A bounded read of the ledger on its reader thread; done runs on context's thread, and
    // not at all when context is gone by then.
    void read(QObject *context, Report report, ReportDone done);

Q_SIGNALS:
    // Calls that started (finished == false) or finished since the last batch, in order.
    void requestsArrived(const QList<LiveRequest> &requests);
    // Every budget's BudgetBook::status and every engaged kill switch order, after a change.
    void stateChanged(const QJsonArray &budgets, const QJsonArray &killOrders);
    void alertRaised(const BudgetAlert &alert);

private:
    void deliver(const ConsoleBatch &batch);

    Gateway *m_gateway;
};
