#pragma once

#include "ledger/storestatement.h"
#include "policy/policyclock.h"
#include "policy/runtimecredential.h"

#include <QHash>
#include <QList>

// The runtime credentials Gatehouse issued: minting, the check of a presented token (by its
// public id, then its secret's digest in constant time), revocation. Lives on the gateway
// thread; changes go to the store, reads never do.
class CredentialBook
{
public:
    static constexpr QByteArrayView kTokenPrefix = "ghrt";

    CredentialBook(StoreSink store, PolicyClock clock);

    static StoreStatement loadQuery(qint64 nowMs);
    // Replaces the book's credentials by these rows (at start, and in team mode when another
    // gateway minted or revoked one).
    void load(const QList<QVariantList> &rows);

    // Stores the credential (id, digest and creation time are set here) and returns it with
    // its token, the only time the token exists.
    std::pair<RuntimeCredential, QByteArray> issue(RuntimeCredential credential);

    struct Check
    {
        const RuntimeCredential *credential = nullptr; // set when the token is valid now
        QString failure; // why not, for the 401: unknown, expired at ..., revoked at ...
    };
    static bool isCredentialToken(QByteArrayView token) { return token.startsWith(kTokenPrefix); }
    Check check(QByteArrayView token) const;

    // False when there is no such credential; revoking twice keeps the first time.
    bool revoke(const QString &id);
    const RuntimeCredential *find(const QString &id) const;
    QList<RuntimeCredential> list() const;

private:
    StoreSink m_store;
    PolicyClock m_clock;
    QHash<QString, RuntimeCredential> m_credentials;
};
