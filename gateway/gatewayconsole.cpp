#include "gatewayconsole.h"

#include "admin/adminapi.h"
#include "admin/adminreply.h"
#include "gateway.h"
#include "ingress/gatewaycontext.h"
#include "ledger/ledgerqueries.h"
#include "ledger/ledgerreport.h"

#include <memory>

GatewayConsole::GatewayConsole(Gateway *gateway, QObject *parent)
    : QObject(parent)
    , m_gateway(gateway)
{
    m_gateway->post([this](GatewayContext &context) {
        context.live.attach([this](ConsoleBatch batch) {
            QMetaObject::invokeMethod(
                this, [this, batch = std::move(batch)] { deliver(batch); }, Qt::QueuedConnection);
        });
    });
}

GatewayConsole::~GatewayConsole()
{
    // After this no batch or reply is posted to us: the gateway thread runs one thing at a time.
    m_gateway->run([](GatewayContext &context) { context.live.detach(); });
}

QString GatewayConsole::url() const
{
    return m_gateway->url();
}

const Configuration &GatewayConsole::configuration() const
{
    return m_gateway->configuration();
}

void GatewayConsole::call(const QByteArray &method, const QString &path, const QJsonObject &body,
                          Reply done)
{
    m_gateway->post([this, method, path, body, done = std::move(done)](GatewayContext &context) {
        AdminReply reply = AdminApi(&context).answer(method, path, body, QStringLiteral("console"));
        if (done) {
            QMetaObject::invokeMethod(
                this, [done, reply = std::move(reply)] { done(reply); }, Qt::QueuedConnection);
        }
    });
}

void GatewayConsole::read(QObject *context, Report report, ReportDone done)
{
    // The answer crosses threads as a value: JSON objects are implicitly shared, atomically.
    auto answer = std::make_shared<QJsonObject>();
    m_gateway->queries()->post(
        context,
        [report = std::move(report), answer](const QSqlDatabase &db) {
            QString error;
            const std::optional<QJsonObject> result = report(LedgerReport(db), &error);
            if (!result)
                return LedgerAnswer::failure(500, error, "ledger_error");
            *answer = *result;
            return LedgerAnswer();
        },
        [answer, done = std::move(done)](const LedgerAnswer &result) {
            done(*answer, result.error);
        });
}

void GatewayConsole::deliver(const ConsoleBatch &batch)
{
    if (!batch.requests.isEmpty())
        Q_EMIT requestsArrived(batch.requests);
    if (batch.stateChanged)
        Q_EMIT stateChanged(batch.budgets, batch.killOrders);
    for (const BudgetAlert &alert : batch.alerts)
        Q_EMIT alertRaised(alert);
}
