#include "policy/credentialbook.h"

#include "policy/namelist.h"
#include "policy/optionaltext.h"
#include "policy/secrettoken.h"

#include <QDateTime>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// Credentials expired longer ago than this are not loaded: their tokens are refused as unknown.
constexpr qint64 kForgetAfterMs = 7LL * 24 * 3600 * 1000;

QString timeText(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

} // namespace

CredentialBook::CredentialBook(StoreSink store, PolicyClock clock)
    : m_store(std::move(store))
    , m_clock(std::move(clock))
{}

StoreStatement CredentialBook::loadQuery(qint64 nowMs)
{
    return {u"SELECT id, secret_sha256, account, user_name, api_key, flow, execution_id, "
            "principal, principal_type, allowed_models, default_model, governed, created_at_ms, "
            "expires_at_ms, revoked_at_ms FROM runtime_credentials WHERE expires_at_ms > ?"_s,
            {nowMs - kForgetAfterMs}};
}

void CredentialBook::load(const QList<QVariantList> &rows)
{
    m_credentials.clear();
    for (const QVariantList &row : rows) {
        RuntimeCredential c;
        c.id = row.at(0).toString();
        c.secretDigest = row.at(1).toString().toLatin1();
        c.account = row.at(2).toString();
        c.user = row.at(3).toString();
        c.apiKey = row.at(4).toString();
        c.flow = row.at(5).toString();
        c.executionId = row.at(6).toString();
        c.principal = row.at(7).toString();
        c.principalType = row.at(8).toString();
        c.allowedModels = NameList::fromJsonText(row.at(9).toString());
        c.defaultModel = row.at(10).toString();
        c.governed = row.at(11).toInt() != 0;
        c.createdAtMs = row.at(12).toLongLong();
        c.expiresAtMs = row.at(13).toLongLong();
        if (!row.at(14).isNull())
            c.revokedAtMs = row.at(14).toLongLong();
        m_credentials.insert(c.id, c);
    }
}

std::pair<RuntimeCredential, QByteArray> CredentialBook::issue(RuntimeCredential credential)
{
    SecretToken token = SecretToken::generate();
    while (m_credentials.contains(u"cr_"_s + token.id))
        token = SecretToken::generate();
    credential.id = u"cr_"_s + token.id;
    credential.secretDigest = SecretToken::digestHex(token.secret);
    credential.createdAtMs = m_clock();
    credential.revokedAtMs.reset();
    m_credentials.insert(credential.id, credential);
    m_store({u"INSERT INTO runtime_credentials (id, secret_sha256, account, user_name, api_key, "
             "flow, execution_id, principal, principal_type, allowed_models, default_model, "
             "governed, created_at_ms, expires_at_ms) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
             {credential.id, QString::fromLatin1(credential.secretDigest), credential.account,
              OptionalText::sql(credential.user), OptionalText::sql(credential.apiKey),
              OptionalText::sql(credential.flow), OptionalText::sql(credential.executionId),
              OptionalText::sql(credential.principal), OptionalText::sql(credential.principalType),
              NameList::toJsonText(credential.allowedModels),
              OptionalText::sql(credential.defaultModel), credential.governed ? 1 : 0,
              credential.createdAtMs, credential.expiresAtMs}});
    return {credential, credential.governed ? token.text(kTokenPrefix) : QByteArray()};
}

CredentialBook::Check CredentialBook::check(QByteArrayView presented) const
{
    const auto token = SecretToken::parse(presented, kTokenPrefix);
    if (!token)
        return {nullptr, u"malformed runtime credential"_s};
    const auto found = m_credentials.constFind(u"cr_"_s + token->id);
    // An unknown id still costs a digest, so a caller cannot tell ids apart by timing.
    const QByteArray digest = SecretToken::digestHex(token->secret);
    if (found == m_credentials.constEnd() || !found->governed ||
        !SecretToken::sameDigest(digest, found->secretDigest))
        return {nullptr, u"unknown runtime credential"_s};
    if (found->revokedAtMs)
        return {nullptr, u"runtime credential %1 was revoked at %2"_s.arg(
                             found->id, timeText(*found->revokedAtMs))};
    if (found->expiredAt(m_clock()))
        return {nullptr, u"runtime credential %1 expired at %2: mint a new one"_s.arg(
                             found->id, timeText(found->expiresAtMs))};
    return {&*found, {}};
}

bool CredentialBook::revoke(const QString &id)
{
    const auto found = m_credentials.find(id);
    if (found == m_credentials.end())
        return false;
    if (found->revokedAtMs)
        return true;
    found->revokedAtMs = m_clock();
    m_store(
        {u"UPDATE runtime_credentials SET revoked_at_ms = ? WHERE id = ? AND revoked_at_ms IS NULL"_s,
         {*found->revokedAtMs, id}});
    return true;
}

const RuntimeCredential *CredentialBook::find(const QString &id) const
{
    const auto found = m_credentials.constFind(id);
    return found == m_credentials.constEnd() ? nullptr : &*found;
}

QList<RuntimeCredential> CredentialBook::list() const
{
    QList<RuntimeCredential> all = m_credentials.values();
    std::sort(all.begin(), all.end(), [](const RuntimeCredential &a, const RuntimeCredential &b) {
        return a.createdAtMs != b.createdAtMs ? a.createdAtMs > b.createdAtMs : a.id < b.id;
    });
    return all;
}
