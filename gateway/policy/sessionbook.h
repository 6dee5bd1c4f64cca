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
// error. Lives on the gateway thread. A new session goes to the store at once; the requests
// and last sight of known ones are kept here and sent by save(), one upsert per changed
// session, instead of one statement per request.
class SessionBook
{
public:
    SessionBook(StoreSink store, PolicyClock clock, qint64 idleMs);

    RuntimeSession resolve(const HttpRequest &request, const SessionHints &hints,
                           const Subject &subject);

    // Sends the store what changed since the last save: each changed session's new requests and
    // last sight. The gateway calls it every saveEveryMs and before it stops.
    void save();
    static constexpr int saveEveryMs = 1000;

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
    QString sessionId(const QString &owner, QByteArrayView source, const QString &externalId);
    RuntimeSession &touch(const QString &id, const Candidate &candidate, const QString &parentId,
                          const Subject &subject, qint64 nowMs, bool counted);
    void store(const RuntimeSession &session, qint64 requests, qint64 lastSeenMs);
    void forgetIdle(qint64 nowMs);

    StoreSink m_store;
    PolicyClock m_clock;
    qint64 m_idleMs;
    QHash<QString, RuntimeSession> m_sessions;
    // Known sessions' requests not sent to the store yet (their last sight is in m_sessions).
    QHash<QString, qint64> m_unsaved;
    // Ids already derived (owner, source and external id joined by '\0' -> id): the SHA-256
    // runs once per session, not once per request.
    QHash<QString, QString> m_ids;
    struct Fallback
    {
        QString externalId;
        qint64 lastSeenMs = 0;
    };
    QHash<QString, Fallback> m_fallbacks; // anchor -> its current session
    qint64 m_lastSweepMs = 0;
};
