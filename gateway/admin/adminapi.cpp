#include "admin/adminapi.h"

#include "admin/adminreply.h"
#include "admin/adminviews.h"
#include "admin/credentialmint.h"
#include "ingress/apierror.h"
#include "ingress/gatewaycontext.h"
#include "ledger/ledgerstore.h"
#include "policy/namelist.h"
#include "policy/optionaltext.h"
#include "policy/secrettoken.h"
#include "server/httpexchange.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {

constexpr QByteArrayView kPrefix = "/admin/v1/";

template<typename T> QJsonArray jsonArray(const QList<T> &items)
{
    QJsonArray array;
    for (const T &item : items)
        array.append(item.toJson());
    return array;
}

QJsonObject keyJson(const ApiKeyEntry &key)
{
    return {{u"name"_s, key.name},
            {u"account"_s, key.account},
            {u"user"_s, key.user.isEmpty() ? QJsonValue() : QJsonValue(key.user)},
            {u"allowedModels"_s, QJsonArray::fromStringList(key.allowedModels)},
            {u"source"_s, key.fromConfiguration ? u"configuration"_s : u"admin"_s}};
}

QJsonObject aliasJson(const ModelAlias &alias)
{
    return {{u"alias"_s, alias.alias},
            {u"provider"_s, alias.provider},
            {u"model"_s, alias.model.isEmpty() ? QJsonValue() : QJsonValue(alias.model)},
            {u"directFor"_s, QJsonArray::fromStringList(alias.directFor)},
            {u"governed"_s, alias.directFor.isEmpty() ? u"always"_s
                            : alias.directFor.contains(u"*"_s)
                                ? u"never"_s
                                : QString(u"except for "_s + alias.directFor.join(u", "_s))},
            {u"source"_s, alias.fromConfiguration ? u"configuration"_s : u"admin"_s}};
}

QString protocolName(ProviderProtocol protocol)
{
    switch (protocol) {
    case ProviderProtocol::OpenAI:
        return u"openai"_s;
    case ProviderProtocol::Anthropic:
        return u"anthropic"_s;
    case ProviderProtocol::Simulated:
        break;
    }
    return u"simulated"_s;
}

// Micro-dollars per million tokens, each part null when the table does not know it.
QJsonValue priceJson(const std::optional<Price> &price)
{
    if (!price)
        return u"unpriced"_s;
    const auto part = [](const std::optional<qint64> &micros) {
        return micros ? QJsonValue(*micros) : QJsonValue();
    };
    return QJsonObject{{u"inputMicrosPerMtok"_s, part(price->input)},
                       {u"outputMicrosPerMtok"_s, part(price->output)},
                       {u"cacheReadMicrosPerMtok"_s, part(price->cacheRead)},
                       {u"cacheWriteMicrosPerMtok"_s, part(price->cacheWrite)},
                       {u"source"_s, price->source}};
}

bool isName(const QString &name)
{
    static const QString allowed =
        u"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:@*?/"_s;
    if (name.isEmpty() || name.size() > 128)
        return false;
    for (const QChar c : name) {
        if (!allowed.contains(c))
            return false;
    }
    return true;
}

} // namespace

// One admin request: its method, the path's segments after /admin/v1/, its JSON body, and
// the reply once decided.
struct AdminApi::Call
{
    QByteArray method;
    QStringList segments;
    QJsonObject body;
    std::optional<AdminReply> reply;

    void answer(AdminReply r) { reply = std::move(r); }
    void fail(int status, const QString &message, const QByteArray &code)
    {
        reply = AdminReply::failure(status, message, code);
    }
    bool is(const char *m, qsizetype segmentCount) const
    {
        return method == m && segments.size() == segmentCount;
    }
};

void AdminApi::handle(HttpExchange *exchange)
{
    const HttpRequest &request = exchange->request();
    const auto send = [&](const AdminReply &reply) {
        if (reply.failed()) {
            ApiError{reply.status, reply.error, reply.code}.send(exchange, ApiFamily::Gateway, {});
            return;
        }
        const QByteArray body =
            reply.body.isArray()
                ? QJsonDocument(reply.body.toArray()).toJson(QJsonDocument::Compact)
                : QJsonDocument(reply.body.toObject()).toJson(QJsonDocument::Compact);
        exchange->respond(reply.status, {{"content-type", "application/json"}}, body);
    };
    // Administration is for the machine's own user: never from another host, even when the
    // gateway listens beyond loopback.
    if (!request.peer.isLoopback())
        return send(AdminReply::failure(403, u"the admin API answers loopback clients only"_s,
                                        "admin_loopback_only"));
    const QByteArrayView token = ApiKeyBook::bearerToken(request.header("authorization"));
    if (token.isEmpty() ||
        !SecretToken::sameDigest(SecretToken::digestHex(token), m_context->adminTokenHash))
        return send(AdminReply::failure(
            401,
            u"admin token missing or wrong: send Authorization: Bearer <the token in the "
            "data directory's admin-token file>"_s,
            "invalid_admin_token"));

    Call call;
    call.method = request.method;
    const QByteArray rest = request.path.mid(kPrefix.size());
    for (const QByteArray &segment : rest.split('/')) {
        if (!segment.isEmpty())
            call.segments += QString::fromUtf8(QByteArray::fromPercentEncoding(segment));
    }
    if (!request.body.trimmed().isEmpty()) {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(request.body, &error);
        if (error.error != QJsonParseError::NoError || !document.isObject())
            return send(AdminReply::failure(
                400,
                error.error != QJsonParseError::NoError
                    ? u"the body is not valid JSON: %1 at offset %2"_s.arg(error.errorString())
                          .arg(error.offset)
                    : u"the body must be a JSON object"_s,
                "invalid_json"));
        call.body = document.object();
    }
    if (AdminViews::serves(call.segments.value(0)))
        return AdminViews(m_context->ledgerQueries, m_context->access.now())
            .handle(exchange, call.segments);
    route(call);
    send(call.reply ? *call.reply
                    : AdminReply::failure(
                          404,
                          u"no admin route for %1 %2"_s.arg(QString::fromLatin1(request.method),
                                                            QString::fromLatin1(request.path)),
                          "unknown_route"));
}

AdminReply AdminApi::answer(const QByteArray &method, const QString &path, const QJsonObject &body,
                            const QString &actor)
{
    Call call;
    call.method = method;
    call.segments = path.split(u'/', Qt::SkipEmptyParts);
    call.body = body;
    const QString previousActor = std::exchange(m_actor, actor);
    route(call);
    m_actor = previousActor;
    if (call.reply)
        return *call.reply;
    return AdminReply::failure(
        404, u"no admin route for %1 %2"_s.arg(QString::fromLatin1(method), path), "unknown_route");
}

void AdminApi::route(Call &call)
{
    const QString resource = call.segments.value(0);
    if (resource == u"status" && call.is("GET", 1)) {
        return call.answer(AdminReply::ok(QJsonObject{
            {u"url"_s, m_context->publicUrl},
            {u"openaiBaseUrl"_s, QString(m_context->publicUrl + u"/openai/v1"_s)},
            {u"anthropicBaseUrl"_s, QString(m_context->publicUrl + u"/anthropic"_s)},
            {u"accounts"_s, QJsonArray::fromStringList(m_context->access.directory().accounts())},
            {u"principalTypes"_s, QJsonArray::fromStringList(principalTypes())}}));
    }
    if (resource == u"credentials")
        return credentials(call);
    if (resource == u"executions")
        return executions(call);
    if (resource == u"keys")
        return keys(call);
    if (resource == u"flows")
        return flows(call);
    if (resource == u"principals")
        return principals(call);
    if (resource == u"users" || resource == u"accounts")
        return users(call);
    if (resource == u"aliases")
        return aliases(call);
    if (resource == u"providers")
        return providers(call);
    if (resource == u"sessions")
        return sessions(call);
    if (resource == u"budgets")
        return budgets(call);
    if (resource == u"kill-switch")
        return killSwitch(call);
    if (resource == u"rate-limits")
        return rateLimits(call);
}

void AdminApi::credentials(Call &call)
{
    CredentialBook &book = m_context->access.credentials();
    const qint64 now = m_context->access.now();
    if (call.is("GET", 1)) {
        QJsonArray list;
        for (const RuntimeCredential &credential : book.list())
            list.append(credential.toJson(now));
        return call.answer(AdminReply::ok(list));
    }
    if (call.is("POST", 1)) {
        AdminReply reply = CredentialMint(m_context).mint(call.body);
        if (!reply.failed()) {
            QJsonObject logged = reply.body.toObject();
            logged.remove(u"token"_s); // the audit keeps what was granted, never the secret
            audit(u"credential.mint"_s, logged.value(u"id"_s).toString(), {}, logged);
        }
        return call.answer(std::move(reply));
    }
    if (call.segments.size() != 2)
        return;
    const QString id = call.segments.at(1);
    const RuntimeCredential *credential = book.find(id);
    if (!credential)
        return call.fail(404, u"no runtime credential '%1'"_s.arg(id), "credential_not_found");
    if (call.method == "GET")
        return call.answer(AdminReply::ok(credential->toJson(now)));
    if (call.method == "DELETE") {
        const QJsonObject before = credential->toJson(now);
        book.revoke(id);
        const QJsonObject after = book.find(id)->toJson(now);
        audit(u"credential.revoke"_s, id, before, after);
        return call.answer(AdminReply::ok(after));
    }
}

void AdminApi::executions(Call &call)
{
    AccessBook &access = m_context->access;
    ExecutionBook &book = access.executions();
    if (call.is("GET", 1))
        return call.answer(AdminReply::ok(jsonArray(book.list())));
    if (call.is("POST", 1)) {
        FlowExecution execution;
        execution.flow = call.body.value(u"flow"_s).toString();
        execution.principal = call.body.value(u"principal"_s).toString();
        execution.command = call.body.value(u"command"_s).toString().left(1024);
        execution.account = call.body.value(u"account"_s).toString();
        Directory &directory = access.directory();
        if (!execution.flow.isEmpty() && !isName(execution.flow))
            return call.fail(400, u"a flow name is 1-128 letters, digits or -_.:@"_s,
                             "invalid_name");
        if (const Flow *flow = directory.flow(execution.flow)) {
            if (execution.account.isEmpty())
                execution.account = flow->account;
        }
        if (execution.account.isEmpty())
            execution.account = u"default"_s;
        directory.ensureAccount(execution.account);
        if (!execution.flow.isEmpty() && !directory.flow(execution.flow))
            directory.putFlow(Flow{execution.flow, execution.account, {}});
        const FlowExecution opened = book.open(execution);
        audit(u"execution.open"_s, opened.id, {}, opened.toJson());
        return call.answer(AdminReply::ok(opened.toJson(), 201));
    }
    if (call.segments.size() < 2)
        return;
    const QString id = call.segments.at(1);
    const FlowExecution *execution = book.find(id);
    if (!execution)
        return call.fail(404, u"no flow execution '%1'"_s.arg(id), "execution_not_found");
    if (call.is("GET", 2))
        return call.answer(AdminReply::ok(execution->toJson()));
    if (call.is("POST", 3) && call.segments.at(2) == u"close") {
        const QJsonValue status = call.body.value(u"exitStatus"_s);
        if (!status.isDouble())
            return call.fail(400, u"exitStatus (an integer) is required"_s, "invalid_request");
        const QJsonObject before = execution->toJson();
        const auto closed = book.close(id, status.toInt());
        audit(u"execution.close"_s, id, before, closed->toJson());
        return call.answer(AdminReply::ok(closed->toJson()));
    }
}

void AdminApi::keys(Call &call)
{
    Directory &directory = m_context->access.directory();
    if (call.is("GET", 1)) {
        QJsonArray list;
        for (const ApiKeyEntry &key : directory.keys().entries())
            list.append(keyJson(key));
        return call.answer(AdminReply::ok(list));
    }
    if (call.is("POST", 1)) {
        ApiKeyEntry entry;
        entry.name = call.body.value(u"name"_s).toString();
        entry.account = call.body.value(u"account"_s).toString(u"default"_s);
        entry.user = call.body.value(u"user"_s).toString();
        entry.allowedModels = OptionalText::names(call.body.value(u"allowedModels"_s));
        if (!isName(entry.name) || !isName(entry.account))
            return call.fail(400, u"name and account are 1-128 letters, digits or -_.:@"_s,
                             "invalid_name");
        if (directory.keys().find(entry.name))
            return call.fail(409, u"an API key named '%1' exists"_s.arg(entry.name),
                             "api_key_exists");
        if (!entry.user.isEmpty() && !directory.user(entry.user))
            directory.putUser(User{entry.user, entry.account});
        const QByteArray key = directory.createKey(entry);
        QJsonObject created = keyJson(*directory.keys().find(entry.name));
        audit(u"key.create"_s, entry.name, {}, created);
        created.insert(u"key"_s, QString::fromLatin1(key)); // shown this once
        return call.answer(AdminReply::ok(created, 201));
    }
    if (call.segments.size() != 2)
        return;
    const QString name = call.segments.at(1);
    const ApiKeyEntry *key = directory.keys().find(name);
    if (!key)
        return call.fail(404, u"no API key named '%1'"_s.arg(name), "api_key_not_found");
    const QJsonObject before = keyJson(*key);
    QString error;
    if (call.method == "PUT") {
        if (!directory.setKeyModels(name, OptionalText::names(call.body.value(u"allowedModels"_s)),
                                    &error))
            return call.fail(409, error, "read_only");
        const QJsonObject after = keyJson(*directory.keys().find(name));
        audit(u"key.update"_s, name, before, after);
        return call.answer(AdminReply::ok(after));
    }
    if (call.method == "DELETE") {
        if (!directory.revokeKey(name, &error))
            return call.fail(409, error, "read_only");
        audit(u"key.revoke"_s, name, before, {});
        return call.answer(AdminReply::ok(QJsonObject{{u"name"_s, name}, {u"revoked"_s, true}}));
    }
}

void AdminApi::flows(Call &call)
{
    Directory &directory = m_context->access.directory();
    if (call.is("GET", 1))
        return call.answer(AdminReply::ok(jsonArray(directory.flows())));
    if (call.segments.size() != 2)
        return;
    const QString name = call.segments.at(1);
    const Flow *existing = directory.flow(name);
    const QJsonValue before = existing ? QJsonValue(existing->toJson()) : QJsonValue();
    if (call.method == "GET") {
        if (!existing)
            return call.fail(404, u"no flow '%1'"_s.arg(name), "flow_not_found");
        return call.answer(AdminReply::ok(existing->toJson()));
    }
    if (call.method == "PUT") {
        if (!isName(name))
            return call.fail(400, u"a flow name is 1-128 letters, digits or -_.:@"_s,
                             "invalid_name");
        Flow flow{
            name,
            call.body.value(u"account"_s).toString(existing ? existing->account : u"default"_s),
            OptionalText::names(call.body.value(u"allowedModels"_s))};
        directory.putFlow(flow);
        audit(u"flow.put"_s, name, before, flow.toJson());
        return call.answer(AdminReply::ok(flow.toJson()));
    }
    if (call.method == "DELETE") {
        if (!directory.removeFlow(name))
            return call.fail(404, u"no flow '%1'"_s.arg(name), "flow_not_found");
        audit(u"flow.delete"_s, name, before, {});
        return call.answer(AdminReply::ok(QJsonObject{{u"name"_s, name}, {u"deleted"_s, true}}));
    }
}

void AdminApi::principals(Call &call)
{
    Directory &directory = m_context->access.directory();
    if (call.is("GET", 1))
        return call.answer(AdminReply::ok(jsonArray(directory.principals())));
    if (!call.is("PUT", 2))
        return;
    const QString name = call.segments.at(1);
    RuntimePrincipal principal{name, call.body.value(u"type"_s).toString(),
                               call.body.value(u"account"_s).toString(u"default"_s),
                               OptionalText::names(call.body.value(u"allowedModels"_s))};
    if (!isName(name))
        return call.fail(400, u"a principal name is 1-128 letters, digits or -_.:@"_s,
                         "invalid_name");
    if (!principalTypes().contains(principal.type))
        return call.fail(400, u"type must be one of: %1"_s.arg(principalTypes().join(u", "_s)),
                         "invalid_principal_type");
    const RuntimePrincipal *existing = directory.principal(name);
    const QJsonValue before = existing ? QJsonValue(existing->toJson()) : QJsonValue();
    directory.putPrincipal(principal);
    audit(u"principal.put"_s, name, before, principal.toJson());
    return call.answer(AdminReply::ok(principal.toJson()));
}

void AdminApi::users(Call &call)
{
    Directory &directory = m_context->access.directory();
    const bool accounts = call.segments.value(0) == u"accounts";
    if (call.is("GET", 1)) {
        if (accounts)
            return call.answer(AdminReply::ok(QJsonArray::fromStringList(directory.accounts())));
        QJsonArray list;
        for (const User &user : directory.users())
            list.append(QJsonObject{{u"name"_s, user.name}, {u"account"_s, user.account}});
        return call.answer(AdminReply::ok(list));
    }
    if (!call.is("PUT", 2))
        return;
    const QString name = call.segments.at(1);
    if (!isName(name))
        return call.fail(400, u"a name is 1-128 letters, digits or -_.:@"_s, "invalid_name");
    if (accounts) {
        const bool existed = directory.hasAccount(name);
        directory.ensureAccount(name);
        if (!existed)
            audit(u"account.create"_s, name, {}, name);
        return call.answer(AdminReply::ok(QJsonObject{{u"name"_s, name}}));
    }
    const User user{name, call.body.value(u"account"_s).toString(u"default"_s)};
    directory.putUser(user);
    const QJsonObject json{{u"name"_s, user.name}, {u"account"_s, user.account}};
    audit(u"user.put"_s, name, {}, json);
    return call.answer(AdminReply::ok(json));
}

void AdminApi::aliases(Call &call)
{
    ModelRouter &models = m_context->models;
    if (call.is("GET", 1)) {
        QJsonArray list;
        for (const ModelAlias &alias : models.aliases())
            list.append(aliasJson(alias));
        return call.answer(AdminReply::ok(list));
    }
    if (call.segments.size() != 2)
        return;
    const QString name = call.segments.at(1);
    const ModelAlias *existing = models.alias(name);
    const QJsonValue before = existing ? QJsonValue(aliasJson(*existing)) : QJsonValue();
    if (call.method == "GET") {
        if (!existing)
            return call.fail(404, u"no alias '%1'"_s.arg(name), "alias_not_found");
        return call.answer(AdminReply::ok(aliasJson(*existing)));
    }
    if (call.method == "PUT") {
        ModelAlias alias{name,
                         call.body.value(u"provider"_s).toString(),
                         call.body.value(u"model"_s).toString(),
                         {},
                         false};
        const QJsonValue direct = call.body.value(u"direct"_s);
        alias.directFor = direct.isBool() ? (direct.toBool() ? QStringList{u"*"_s} : QStringList())
                                          : OptionalText::names(direct);
        if (!isName(name))
            return call.fail(400, u"an alias is 1-128 letters, digits or -_.:@*?"_s,
                             "invalid_name");
        if (!m_context->providers.contains(alias.provider))
            return call.fail(400,
                             u"unknown provider '%1' (configured: %2)"_s.arg(
                                 alias.provider, m_context->providers.keys().join(u", "_s)),
                             "unknown_provider");
        for (const QString &type : std::as_const(alias.directFor)) {
            if (type != u"*" && !principalTypes().contains(type))
                return call.fail(400, u"direct: unknown runtime type '%1'"_s.arg(type),
                                 "invalid_principal_type");
        }
        if (ModelRouter::isPattern(name) && (!alias.model.isEmpty() || !alias.directFor.isEmpty()))
            return call.fail(400,
                             u"a pattern alias passes the requested name through: no model, "
                             "no direct"_s,
                             "invalid_alias");
        models.put(alias);
        m_context->store(
            // A new alias goes last (patterns match in that order); an update keeps its place.
            {u"INSERT INTO model_aliases (alias, provider, model, direct_for, updated_at_ms, "
             "position) VALUES (?, ?, ?, ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM "
             "model_aliases)) ON CONFLICT (alias) DO UPDATE SET provider = excluded.provider, "
             "model = excluded.model, direct_for = excluded.direct_for, "
             "updated_at_ms = excluded.updated_at_ms"_s,
             {alias.alias, alias.provider, alias.model, NameList::toJsonText(alias.directFor),
              m_context->access.now()}});
        audit(u"alias.put"_s, name, before, aliasJson(alias));
        return call.answer(AdminReply::ok(aliasJson(alias)));
    }
    if (call.method == "DELETE") {
        if (!existing)
            return call.fail(404, u"no alias '%1'"_s.arg(name), "alias_not_found");
        if (existing->fromConfiguration)
            return call.fail(409,
                             u"the alias '%1' is defined in the configuration file: remove it "
                             "there"_s.arg(name),
                             "read_only");
        models.remove(name);
        m_context->store({u"DELETE FROM model_aliases WHERE alias = ?"_s, {name}});
        audit(u"alias.delete"_s, name, before, {});
        return call.answer(AdminReply::ok(QJsonObject{{u"alias"_s, name}, {u"deleted"_s, true}}));
    }
}

void AdminApi::providers(Call &call)
{
    if (!call.is("GET", 1))
        return;
    QStringList names = m_context->providers.keys();
    names.sort();
    const QList<ModelAlias> aliases = m_context->models.aliases();
    QJsonArray list;
    for (const QString &name : std::as_const(names)) {
        const ProviderEndpoint &provider = m_context->providers[name];
        QJsonArray routed;
        for (const ModelAlias &alias : aliases) {
            if (alias.provider != name)
                continue;
            QJsonObject json = aliasJson(alias);
            // A pattern passes the requested name through: its price is that model's.
            const bool pattern = ModelRouter::isPattern(alias.alias);
            const QString upstream = alias.model.isEmpty() ? alias.alias : alias.model;
            json.insert(u"pattern"_s, pattern);
            json.insert(u"upstreamModel"_s, pattern ? QJsonValue() : QJsonValue(upstream));
            json.insert(u"price"_s,
                        pattern ? QJsonValue() : priceJson(m_context->prices.find(upstream)));
            routed.append(json);
        }
        const QByteArray &base = provider.protocol == ProviderProtocol::Anthropic
                                     ? provider.anthropicBase
                                     : provider.openaiBase;
        // The key's variable and whether it is set; never the key.
        list.append(QJsonObject{{u"name"_s, name},
                                {u"protocol"_s, protocolName(provider.protocol)},
                                {u"baseUrl"_s, QString::fromUtf8(base)},
                                {u"keyVariable"_s, provider.apiKeyEnv.isEmpty()
                                                       ? QJsonValue()
                                                       : QJsonValue(provider.apiKeyEnv)},
                                {u"keySet"_s, !provider.apiKey.isEmpty()},
                                {u"aliases"_s, routed}});
    }
    return call.answer(AdminReply::ok(list));
}

void AdminApi::sessions(Call &call)
{
    SessionBook &book = m_context->access.sessions();
    if (call.is("GET", 1))
        return call.answer(AdminReply::ok(jsonArray(book.recent())));
    if (!call.is("GET", 2))
        return;
    const RuntimeSession *session = book.find(call.segments.at(1));
    if (!session)
        return call.fail(404, u"no recent runtime session '%1'"_s.arg(call.segments.at(1)),
                         "session_not_found");
    QJsonObject json = session->toJson();
    QJsonArray children;
    for (const RuntimeSession &other : book.recent()) {
        if (other.parentId == session->id)
            children.append(other.id);
    }
    json.insert(u"children"_s, children);
    return call.answer(AdminReply::ok(json));
}

void AdminApi::audit(const QString &action, const QString &target, const QJsonValue &before,
                     const QJsonValue &after)
{
    const auto text = [](const QJsonValue &value) -> QVariant {
        if (value.isNull() || value.isUndefined())
            return QVariant(QMetaType::fromType<QString>());
        if (value.isString())
            return value.toString();
        return QString::fromUtf8(
            value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                            : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    };
    m_context->ledger->execute(
        {u"INSERT INTO admin_audit (at_ms, actor, action, target, "
         "old_value, new_value) VALUES (?, ?, ?, ?, ?, ?)"_s,
         {m_context->access.now(), m_actor, action, target, text(before), text(after)}});
    m_context->live.stateChanged(); // an open console shows the change at once
}

void AdminApi::budgets(Call &call)
{
    BudgetBook &book = m_context->budgets;
    if (call.is("GET", 1)) {
        QJsonArray list;
        for (const Budget &budget : book.budgets())
            list.append(book.status(budget));
        return call.answer(AdminReply::ok(list));
    }
    const auto save = [&](QJsonObject definition, const QString &id, const QJsonValue &before) {
        definition.insert(u"id"_s, id);
        QString error;
        auto budget = Budget::fromJson(definition, &error);
        if (budget)
            budget = book.put(*budget, &error);
        if (!budget)
            return call.fail(400, error, "invalid_budget");
        audit(id.isEmpty() ? u"budget.create"_s : u"budget.update"_s, budget->id, before,
              budget->toJson());
        call.answer(AdminReply::ok(book.status(*budget), id.isEmpty() ? 201 : 200));
    };
    if (call.is("POST", 1)) {
        call.body.remove(u"id"_s);
        return save(call.body, {}, {});
    }
    if (call.segments.size() != 2)
        return;
    const QString id = call.segments.at(1);
    const Budget *budget = book.find(id);
    if (!budget)
        return call.fail(404, u"no budget '%1'"_s.arg(id), "budget_not_found");
    const QJsonObject before = budget->toJson();
    if (call.method == "GET")
        return call.answer(AdminReply::ok(book.status(*budget)));
    if (call.method == "PUT")
        return save(call.body, id, before);
    if (call.method == "PATCH") {
        // Only the fields given change (a limit dragged on a gauge, say).
        QJsonObject merged = before;
        if (call.body.contains(u"limitUsd"_s) || call.body.contains(u"limitMicros"_s)) {
            merged.remove(u"limitUsd"_s);
            merged.remove(u"limitMicros"_s);
        }
        for (auto it = call.body.constBegin(); it != call.body.constEnd(); ++it)
            merged.insert(it.key(), it.value());
        return save(merged, id, before);
    }
    if (call.method == "DELETE") {
        book.remove(id);
        audit(u"budget.delete"_s, id, before, {});
        return call.answer(AdminReply::ok(QJsonObject{{u"id"_s, id}, {u"deleted"_s, true}}));
    }
}

void AdminApi::killSwitch(Call &call)
{
    KillSwitch &kill = m_context->killSwitch;
    const auto orders = [&] {
        QJsonArray list;
        for (const KillOrder &order : kill.orders())
            list.append(order.toJson());
        return QJsonObject{{u"orders"_s, list}};
    };
    if (call.is("GET", 1))
        return call.answer(AdminReply::ok(orders()));
    if (call.is("POST", 1)) {
        KillOrder order;
        order.scope = call.body.value(u"scope"_s).toString(u"all"_s);
        order.subject = call.body.value(u"subject"_s).toString();
        order.reason = call.body.value(u"reason"_s).toString(u"stopped by the operator"_s);
        const QString mode = call.body.value(u"mode"_s).toString(u"finish"_s);
        if (order.scope != u"all" && order.scope != u"account" && order.scope != u"flow")
            return call.fail(400, u"scope must be all, account or flow"_s, "invalid_scope");
        if (order.scope != u"all" && order.subject.isEmpty())
            return call.fail(400, u"subject names the %1 to stop"_s.arg(order.scope),
                             "invalid_scope");
        if (mode != u"finish" && mode != u"cut")
            return call.fail(400, u"mode must be finish (running requests end normally) or cut"_s,
                             "invalid_mode");
        order.cut = mode == u"cut";
        const KillOrder engaged = kill.engage(order);
        const int cut = engaged.cut ? m_context->cutStopped() : 0;
        audit(u"kill_switch.engage"_s, engaged.describe(), {}, engaged.toJson());
        QJsonObject answer = orders();
        answer.insert(u"cut"_s, cut);
        return call.answer(AdminReply::ok(answer));
    }
    if (call.method == "DELETE" && call.segments.size() >= 2) {
        const QString scope = call.segments.at(1);
        const QString subject = call.segments.value(2);
        if (!kill.release(scope, subject))
            return call.fail(404, u"no kill order for %1 %2"_s.arg(scope, subject),
                             "order_not_found");
        audit(u"kill_switch.release"_s, scope + u' ' + subject, {}, {});
        return call.answer(AdminReply::ok(orders()));
    }
}

void AdminApi::rateLimits(Call &call)
{
    RateLimiter &limiter = m_context->rateLimits;
    const auto list = [&] {
        QJsonArray rules;
        for (const RateLimitRule &rule : limiter.rules()) {
            QJsonObject json = rule.toJson();
            const bool configured = std::any_of(
                m_context->configuredRateLimits.cbegin(), m_context->configuredRateLimits.cend(),
                [&](const RateLimitRule &c) { return c.id == rule.id; });
            json.insert(u"source"_s, configured ? u"configuration"_s : u"admin"_s);
            rules.append(json);
        }
        return rules;
    };
    if (call.is("GET", 1))
        return call.answer(AdminReply::ok(list()));
    const auto isConfigured = [&](const QString &id) {
        return std::any_of(m_context->configuredRateLimits.cbegin(),
                           m_context->configuredRateLimits.cend(),
                           [&](const RateLimitRule &c) { return c.id == id; });
    };
    const auto apply = [&](QList<RateLimitRule> rules, const QString &id, const QJsonValue &before,
                           const QJsonValue &after, int status) {
        QString error;
        if (!limiter.setRules(rules, &error))
            return call.fail(400, error, "invalid_rate_limit");
        if (after.isNull())
            m_context->store({u"DELETE FROM rate_limits WHERE id = ?"_s, {id}});
        else
            m_context->store(
                {u"INSERT INTO rate_limits (id, definition, updated_at_ms) VALUES (?, ?, ?) "
                 "ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, "
                 "updated_at_ms = excluded.updated_at_ms"_s,
                 {id,
                  QString::fromUtf8(QJsonDocument(after.toObject()).toJson(QJsonDocument::Compact)),
                  m_context->access.now()}});
        audit(after.isNull() ? u"rate_limit.delete"_s : u"rate_limit.put"_s, id, before, after);
        call.answer(AdminReply::ok(
            after.isNull() ? QJsonValue(QJsonObject{{u"id"_s, id}, {u"deleted"_s, true}}) : after,
            status));
    };
    const auto parse = [&](QJsonObject body, const QString &id) -> std::optional<RateLimitRule> {
        body.insert(u"id"_s, id);
        QString error;
        auto rule = RateLimitRule::fromJson(body, &error);
        if (!rule)
            call.fail(400, error, "invalid_rate_limit");
        return rule;
    };
    if (call.is("POST", 1)) {
        const auto rule = parse(call.body, u"rl_"_s + SecretToken::generate().id);
        if (!rule)
            return;
        return apply(limiter.rules() + QList<RateLimitRule>{*rule}, rule->id, {}, rule->toJson(),
                     201);
    }
    if (call.segments.size() != 2)
        return;
    const QString id = call.segments.at(1);
    QList<RateLimitRule> rules = limiter.rules();
    const auto existing = std::find_if(rules.begin(), rules.end(),
                                       [&](const RateLimitRule &r) { return r.id == id; });
    if (existing == rules.end())
        return call.fail(404, u"no rate limit '%1'"_s.arg(id), "rate_limit_not_found");
    if (isConfigured(id))
        return call.fail(409, u"the rate limit '%1' is defined in the configuration file"_s.arg(id),
                         "read_only");
    const QJsonObject before = existing->toJson();
    if (call.method == "PUT") {
        const auto rule = parse(call.body, id);
        if (!rule)
            return;
        *existing = *rule;
        return apply(rules, id, before, rule->toJson(), 200);
    }
    if (call.method == "DELETE") {
        rules.erase(existing);
        return apply(rules, id, before, QJsonValue(), 200);
    }
}
