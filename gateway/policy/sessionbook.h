#pragma once

#include "ledger/storestatement.h"
#include "policy/policyclock.h"
#include "policy/runtimesession.h"
#include "policy/subject.h"
#include "server/httprequest.h"

#include <QHash>
#include <QList>

// What a request's body says about its session (read in place by the wire shape).
struct SessionHints
{
    QString promptCacheKey; // OpenAI shapes
    QString metadataUserId; // Anthropic metadata.user_id (Claude Code puts its session id in it)
};

// Tells which runtime session a request belongs to, first match wins (PROTOCOLS.md):
// X-Gatehouse-Session-Id; the runtime's own signal, trusted only from a credential issued to
// that runtime type; prompt_cache_key; else the credential's execution (or credential, or key),
// a new session after an idle gap. Session ids are namespaced by the subject, so no caller can
// join another's session; hostile or oversize values are skipped, never trusted, never an
// error. Lives on the gateway thread; every request's session goes to the store as an upsert.
class SessionBook
{
public:
    SessionBook(StoreSink store, PolicyClock clock, qint64 idleMs);

    RuntimeSession resolve(const HttpRequest &request, const SessionHints &hints,
                           const Subject &subject);

    // Sessions seen in the last day, most recent first.
    QList<RuntimeSession> recent() const;
    const RuntimeSession *find(const QString &id) const;

    // A value a runtime sent is used only if it looks like an id.
    static bool isAcceptableId(QByteArrayView value);
    // The session id inside Claude Code's metadata.user_id (JSON text or the older
    // "user_..._session_<uuid>" form), or empty.
    static QString claudeSessionFromUserId(const QString &userId);

private:
    struct Candidate
    {
        QString externalId;
        QByteArray source;
        QString parentExternalId; // same source; empty: a root
    };
    std::optional<Candidate> vendorSignal(const HttpRequest &request, const SessionHints &hints,
                                          const QString &principalType) const;
    QString fallbackExternalId(const Subject &subject, qint64 nowMs);
    QString sessionId(const QString &owner, QByteArrayView source, const QString &externalId) const;
    RuntimeSession &touch(const QString &id, const Candidate &candidate, const QString &parentId,
                          const Subject &subject, qint64 nowMs, bool counted);
    void forgetIdle(qint64 nowMs);

    StoreSink m_store;
    PolicyClock m_clock;
    qint64 m_idleMs;
    QHash<QString, RuntimeSession> m_sessions;
    struct Fallback
    {
        QString externalId;
        qint64 lastSeenMs = 0;
    };
    QHash<QString, Fallback> m_fallbacks; // anchor -> its current session
    qint64 m_lastSweepMs = 0;
};
