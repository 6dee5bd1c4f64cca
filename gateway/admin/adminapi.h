#pragma once

#include <QByteArrayView>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

struct AdminReply;

class GatewayContext;
class HttpExchange;

// The admin API under /admin/v1/ on the gateway's own listener: loopback peers with the admin
// token only. Mints, lists and revokes runtime credentials; opens and closes flow executions;
// manages API keys, flows, runtime principals, users and model aliases; lists sessions. Every
// change applies to the next request at once and is audited. Runs on the gateway thread: it
// reads and changes the books in memory; the store gets the changes through its queue.
class AdminApi
{
public:
    explicit AdminApi(GatewayContext *context)
        : m_context(context)
    {}

    void handle(HttpExchange *exchange);
    // The same routes in process (the operator console): path is what follows /admin/v1/,
    // changes are audited under actor. The ledger views are not here: they answer later.
    AdminReply answer(const QByteArray &method, const QString &path, const QJsonObject &body,
                      const QString &actor);

private:
    struct Call;
    void route(Call &call);
    void credentials(Call &call);
    void executions(Call &call);
    void keys(Call &call);
    void flows(Call &call);
    void principals(Call &call);
    void users(Call &call);
    void aliases(Call &call);
    void providers(Call &call);
    void sessions(Call &call);
    void budgets(Call &call);
    void killSwitch(Call &call);
    void rateLimits(Call &call);
    void audit(const QString &action, const QString &target, const QJsonValue &before,
               const QJsonValue &after);

    GatewayContext *m_context;
    QString m_actor = QStringLiteral("admin-token");
};
