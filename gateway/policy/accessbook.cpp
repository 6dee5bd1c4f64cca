#include "policy/accessbook.h"

using namespace Qt::StringLiterals;

AccessBook::AccessBook(const Configuration &configuration, StoreSink store, PolicyClock clock)
    : m_settings(configuration.identity)
    , m_clock(clock)
    , m_directory(configuration, store, clock)
    , m_credentials(store, clock)
    , m_executions(store, clock)
    , m_sessions(store, clock, configuration.identity.sessionIdleMs)
{}

QList<StoreStatement> AccessBook::loadQueries() const
{
    return Directory::loadQueries() + QList<StoreStatement>{CredentialBook::loadQuery(m_clock()),
                                                            ExecutionBook::loadQuery(m_clock())};
}

void AccessBook::load(const QList<QList<QVariantList>> &results)
{
    const qsizetype directory = Directory::loadQueries().size();
    m_directory.load(results.first(directory));
    m_credentials.load(results.value(directory));
    m_executions.load(results.value(directory + 1));
}

AccessBook::Authentication AccessBook::authenticate(QByteArrayView presented) const
{
    if (presented.isEmpty())
        return {std::nullopt, u"missing API key: send Authorization: Bearer <key> or "
                              "x-api-key: <key>"_s};
    if (CredentialBook::isCredentialToken(presented)) {
        const CredentialBook::Check check = m_credentials.check(presented);
        if (!check.credential)
            return {std::nullopt, check.failure};
        // A credential minted under a key dies with the key.
        if (!check.credential->apiKey.isEmpty() &&
            !m_directory.keys().find(check.credential->apiKey))
            return {std::nullopt, u"runtime credential %1 belongs to API key '%2', which was "
                                  "revoked"_s.arg(check.credential->id, check.credential->apiKey)};
        return {subjectOf(*check.credential), {}};
    }
    const auto key = m_directory.keys().authenticate(presented);
    if (!key)
        return {std::nullopt, u"unknown API key"_s};
    Subject subject;
    subject.account = key->account;
    subject.apiKey = key->name;
    subject.user = key->user;
    if (!key->allowedModels.isEmpty())
        subject.layers.append({u"API key '%1'"_s.arg(key->name), key->allowedModels});
    return {subject, {}};
}

Subject AccessBook::subjectOf(const RuntimeCredential &credential) const
{
    Subject subject;
    subject.account = credential.account;
    subject.user = credential.user;
    subject.apiKey = credential.apiKey;
    subject.flow = credential.flow;
    subject.executionId = credential.executionId;
    subject.principal = credential.principal;
    subject.principalType = credential.principalType;
    subject.credentialId = credential.id;
    subject.defaultModel = credential.defaultModel;
    // Every layer that applies, each checked now: a flow's list changed after minting counts.
    if (!credential.apiKey.isEmpty()) {
        const ApiKeyEntry *key = m_directory.keys().find(credential.apiKey);
        if (key && !key->allowedModels.isEmpty())
            subject.layers.append({u"API key '%1'"_s.arg(key->name), key->allowedModels});
    }
    if (const Flow *flow = m_directory.flow(credential.flow);
        flow && !flow->allowedModels.isEmpty())
        subject.layers.append({u"flow '%1'"_s.arg(flow->name), flow->allowedModels});
    if (const RuntimePrincipal *principal = m_directory.principal(credential.principal);
        principal && !principal->allowedModels.isEmpty())
        subject.layers.append(
            {u"runtime principal '%1'"_s.arg(principal->name), principal->allowedModels});
    if (!credential.allowedModels.isEmpty())
        subject.layers.append(
            {credential.id.isEmpty() ? u"this credential"_s : u"credential %1"_s.arg(credential.id),
             credential.allowedModels});
    return subject;
}
