#include "admin/credentialmint.h"

#include "ingress/gatewaycontext.h"
#include "ledger/ledgerstore.h"
#include "policy/mintedcredential.h"
#include "policy/optionaltext.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace {} // namespace

AdminReply CredentialMint::mint(const QJsonObject &request)
{
    AccessBook &access = m_context->access;
    Directory &directory = access.directory();
    const auto text = [&](const char *key) {
        return request.value(QLatin1StringView(key)).toString();
    };
    RuntimeCredential credential;
    credential.user = text("user");
    credential.apiKey = text("apiKey");
    credential.flow = text("flow");
    credential.executionId = text("execution");
    credential.allowedModels = OptionalText::names(request.value(u"allowedModels"_s));
    QString account = text("account");

    if (!credential.executionId.isEmpty()) {
        const FlowExecution *execution = access.executions().find(credential.executionId);
        if (!execution)
            return AdminReply::failure(404, u"no flow execution '%1'"_s.arg(credential.executionId),
                                       "execution_not_found");
        if (!execution->isRunning())
            return AdminReply::failure(409, u"flow execution %1 has ended"_s.arg(execution->id),
                                       "execution_ended");
        if (credential.flow.isEmpty())
            credential.flow = execution->flow;
        if (account.isEmpty())
            account = execution->account;
    }
    if (!credential.apiKey.isEmpty()) {
        const ApiKeyEntry *key = directory.keys().find(credential.apiKey);
        if (!key)
            return AdminReply::failure(404, u"no API key named '%1'"_s.arg(credential.apiKey),
                                       "api_key_not_found");
        if (account.isEmpty())
            account = key->account;
        else if (account != key->account)
            return AdminReply::failure(400,
                                       u"API key '%1' belongs to account '%2', not '%3'"_s.arg(
                                           credential.apiKey, key->account, account),
                                       "account_mismatch");
    }
    if (const Flow *flow = directory.flow(credential.flow); flow && account.isEmpty())
        account = flow->account;
    if (account.isEmpty())
        account = u"default"_s;
    credential.account = account;
    directory.ensureAccount(account);
    if (!credential.flow.isEmpty() && !directory.flow(credential.flow))
        directory.putFlow(Flow{credential.flow, account, {}});
    if (!credential.user.isEmpty() && !directory.user(credential.user))
        directory.putUser(User{credential.user, account});

    // A principal is named, or given by its type alone (one principal per type then).
    const QString principal = text("principal");
    if (!principal.isEmpty()) {
        if (const RuntimePrincipal *known = directory.principal(principal)) {
            credential.principal = known->name;
            credential.principalType = known->type;
        } else if (principalTypes().contains(principal)) {
            directory.putPrincipal(RuntimePrincipal{principal, principal, account, {}});
            credential.principal = principal;
            credential.principalType = principal;
        } else {
            return AdminReply::failure(
                400,
                u"unknown runtime principal '%1': name one made with PUT /admin/v1/principals, "
                "or give a type (%2)"_s.arg(principal, principalTypes().join(u", "_s)),
                "unknown_principal");
        }
    }

    const IdentitySettings &settings = access.settings();
    qint64 ttlMs = settings.defaultCredentialTtlMs;
    if (request.contains(u"ttlSeconds"_s)) {
        const double seconds = request.value(u"ttlSeconds"_s).toDouble(-1);
        if (seconds <= 0 || seconds * 1000 > double(settings.maxCredentialTtlMs))
            return AdminReply::failure(
                400,
                u"ttlSeconds must be between 1 and %1 (the configured maximum)"_s.arg(
                    settings.maxCredentialTtlMs / 1000),
                "invalid_ttl");
        ttlMs = qint64(seconds * 1000);
    }
    credential.expiresAtMs = access.now() + ttlMs;

    MintedCredential minted;
    const QString model = text("model");
    const ModelAlias *alias = nullptr;
    std::optional<ModelRoute> route;
    if (!model.isEmpty()) {
        route = m_context->models.resolve(model);
        if (!route)
            return AdminReply::failure(404,
                                       u"the model '%1' is not routed by this gateway"_s.arg(model),
                                       "model_not_found");
        alias = m_context->models.alias(route->alias);
        credential.defaultModel = model;
        // Every layer, the credential's own list included: a default it forbids is a mistake.
        const Subject scope = access.subjectOf(credential);
        if (const auto layer = scope.forbiddingLayer(model))
            return AdminReply::failure(403,
                                       u"the model '%1' is not allowed by %2 (allowed: %3)"_s.arg(
                                           model, layer->layer, layer->patterns.join(u", "_s)),
                                       "model_not_allowed");
    }

    credential.governed = !(alias && alias->isDirectFor(credential.principalType));
    if (credential.governed) {
        minted.openaiBaseUrl = m_context->publicUrl + u"/openai/v1"_s;
        minted.anthropicBaseUrl = m_context->publicUrl + u"/anthropic"_s;
    } else {
        const ProviderEndpoint provider = m_context->providers.value(route->provider);
        minted.openaiBaseUrl = QString::fromLatin1(provider.openaiBase);
        minted.anthropicBaseUrl = QString::fromLatin1(provider.anthropicBase);
        minted.upstreamModel = route->upstreamModel;
        minted.notice =
            u"The alias '%1' is direct for %2: this runtime talks to provider '%3' "
            "itself, with its own provider key. Gatehouse does not govern this "
            "traffic (no budgets, no rate limits) and sees none of its usage."_s.arg(
                model,
                credential.principalType.isEmpty() ? u"every runtime"_s : credential.principalType,
                route->provider);
    }

    const auto [issued, token] = access.credentials().issue(credential);
    minted.id = issued.id;
    minted.token = QString::fromLatin1(token);
    minted.expiresAtMs = issued.expiresAtMs;
    minted.account = issued.account;
    minted.flow = issued.flow;
    minted.executionId = issued.executionId;
    minted.principalType = issued.principalType;
    minted.modelAlias = issued.defaultModel;
    minted.governed = issued.governed;

    if (!issued.governed) {
        // The ledger shows the hand-off, so ungoverned work is visible as such.
        UsageRecord record;
        record.requestId = newRequestId();
        record.startedAtMs = access.now();
        record.account = issued.account;
        record.apiKey = issued.apiKey;
        record.user = issued.user;
        record.flow = issued.flow;
        record.executionId = issued.executionId;
        record.principal = issued.principal;
        record.principalType = issued.principalType;
        record.credentialId = issued.id;
        record.endpoint = "admin.direct_handoff";
        record.provider = route->provider;
        record.modelAlias = model;
        record.upstreamModel = route->upstreamModel;
        record.governed = false;
        record.httpStatus = 201;
        record.outcome = "ungoverned";
        record.error = u"direct alias: usage happens at the provider, unseen"_s;
        m_context->ledger->enqueue(std::move(record)); // unpriced: the cost is unknown, not $0
    }
    return AdminReply::ok(minted.toJson(), 201);
}
