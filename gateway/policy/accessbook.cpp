#include "policy/accessbook.h"

#include "ledger/ledgerstore.h"

using namespace Qt::StringLiterals;

AccessBook::AccessBook(const Configuration &configuration, StoreSink store, PolicyClock clock)
    : m_settings(configuration.identity)
    , m_clock(clock)
    , m_directory(configuration, store, clock)
    , m_credentials(store, clock)
    , m_executions(store, clock)
    , m_sessions(store, clock, configuration.identity.sessionIdleMs)
{}

bool AccessBook::load(LedgerStore *store, QString *error)
{
    QList<QList<QVariantList>> directory;
    for (const StoreStatement &query : Directory::loadQueries()) {
        auto rows = store->select(query, error);
        if (!rows)
            return false;
        directory.append(*rows);
    }
    m_directory.load(directory);
    auto credentials = store->select(CredentialBook::loadQuery(m_clock()), error);
    if (!credentials)
        return false;
    m_credentials.load(*credentials);
    auto executions = store->select(ExecutionBook::loadQuery(m_clock()), error);
    if (!executions)
        return false;
    m_executions.load(*executions);
    return true;
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
