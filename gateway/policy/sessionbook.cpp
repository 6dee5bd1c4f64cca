#include "policy/sessionbook.h"

#include "policy/optionaltext.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

constexpr qsizetype kMaxIdLength = 128;
constexpr qsizetype kMaxUserIdLength = 1024;
constexpr qint64 kForgetAfterMs = 24LL * 3600 * 1000;
constexpr qint64 kSweepEveryMs = 60'000;

QString acceptable(const QByteArray &value)
{
    return SessionBook::isAcceptableId(value) ? QString::fromLatin1(value) : QString();
}

} // namespace

SessionBook::SessionBook(StoreSink store, PolicyClock clock, qint64 idleMs)
    : m_store(std::move(store))
    , m_clock(std::move(clock))
    , m_idleMs(idleMs)
{}

bool SessionBook::isAcceptableId(QByteArrayView value)
{
    if (value.isEmpty() || value.size() > kMaxIdLength)
        return false;
    for (const char c : value) {
        const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                        (c >= 'A' && c <= 'Z') || c == '-' || c == '_' || c == '.' || c == ':' ||
                        c == '@' || c == '/' || c == '+' || c == '=';
        if (!ok)
            return false;
    }
    return true;
}

QString SessionBook::claudeSessionFromUserId(const QString &userId)
{
    if (userId.isEmpty() || userId.size() > kMaxUserIdLength)
        return {};
    QString session;
    if (userId.startsWith(u'{')) {
        const QJsonValue value =
            QJsonDocument::fromJson(userId.toUtf8()).object().value(u"session_id"_s);
        session = value.toString();
    } else {
        static const QRegularExpression older(u"_session_([0-9A-Za-z-]{1,64})$"_s);
        session = older.match(userId).captured(1);
    }
    return isAcceptableId(session.toUtf8()) ? session : QString();
}

std::optional<SessionBook::Candidate> SessionBook::vendorSignal(const HttpRequest &request,
                                                                const SessionHints &hints,
                                                                const QString &principalType) const
{
    // Generic names such as session-id may be stamped by any proxy on the way: each runtime's
    // own headers count only for a credential issued to that runtime.
    if (principalType == u"claude-code") {
        QString session = acceptable(request.header("x-claude-code-session-id"));
        if (session.isEmpty())
            session = claudeSessionFromUserId(hints.metadataUserId);
        if (session.isEmpty())
            return std::nullopt;
        // A sub-agent keeps its parent's session id and adds its own agent id.
        const QString agent = acceptable(request.header("x-claude-code-agent-id"));
        if (!agent.isEmpty())
            return Candidate{session + u"/agent/"_s + agent, "claude-code", session};
        return Candidate{session, "claude-code", {}};
    }
    if (principalType == u"codex") {
        QString session = acceptable(request.header("session-id"));
        if (session.isEmpty())
            session = acceptable(request.header("thread-id"));
        if (session.isEmpty())
            return std::nullopt;
        return Candidate{session, "codex", {}};
    }
    if (principalType == u"opencode") {
        const QString session = acceptable(request.header("x-session-id"));
        if (session.isEmpty())
            return std::nullopt;
        return Candidate{session, "opencode", acceptable(request.header("x-parent-session-id"))};
    }
    return std::nullopt;
}

QString SessionBook::fallbackExternalId(const Subject &subject, qint64 nowMs)
{
    const QString anchor = !subject.executionId.isEmpty() ? u"execution:"_s + subject.executionId
                           : !subject.credentialId.isEmpty()
                               ? u"credential:"_s + subject.credentialId
                               : u"key:"_s + subject.apiKey;
    Fallback &fallback = m_fallbacks[anchor];
    if (fallback.externalId.isEmpty() || nowMs - fallback.lastSeenMs > m_idleMs)
        fallback.externalId = anchor + u'@' + QString::number(nowMs);
    fallback.lastSeenMs = nowMs;
    return fallback.externalId;
}

QString SessionBook::sessionId(const QString &owner, QByteArrayView source,
                               const QString &externalId)
{
    QString key = owner + u'\0' + QLatin1StringView(source) + u'\0' + externalId;
    const auto known = m_ids.constFind(key);
    if (known != m_ids.constEnd())
        return *known;
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(owner.toUtf8());
    hash.addData(QByteArrayView("\0", 1));
    hash.addData(source);
    hash.addData(QByteArrayView("\0", 1));
    hash.addData(externalId.toUtf8());
    const QString id = u"rs_"_s + QString::fromLatin1(hash.result().toHex().left(20));
    m_ids.insert(std::move(key), id);
    return id;
}

RuntimeSession SessionBook::resolve(const HttpRequest &request, const SessionHints &hints,
                                    const Subject &subject)
{
    const qint64 now = m_clock();
    forgetIdle(now);
    std::optional<Candidate> candidate;
    if (const QString explicitId = acceptable(request.header("x-gatehouse-session-id"));
        !explicitId.isEmpty()) {
        candidate = Candidate{explicitId, "gatehouse-header",
                              acceptable(request.header("x-gatehouse-parent-session-id"))};
    }
    if (!candidate)
        candidate = vendorSignal(request, hints, subject.principalType);
    if (!candidate && isAcceptableId(hints.promptCacheKey.toUtf8()))
        candidate = Candidate{hints.promptCacheKey, "prompt-cache-key", {}};
    if (!candidate)
        candidate = Candidate{fallbackExternalId(subject, now), "fallback", {}};

    const QString owner = subject.sessionOwner();
    QString parentId;
    if (!candidate->parentExternalId.isEmpty() &&
        candidate->parentExternalId != candidate->externalId) {
        parentId = sessionId(owner, candidate->source, candidate->parentExternalId);
        touch(parentId, Candidate{candidate->parentExternalId, candidate->source, {}}, {}, subject,
              now, false);
    }
    const QString id = sessionId(owner, candidate->source, candidate->externalId);
    return touch(id, *candidate, parentId, subject, now, true);
}

RuntimeSession &SessionBook::touch(const QString &id, const Candidate &candidate,
                                   const QString &parentId, const Subject &subject, qint64 nowMs,
                                   bool counted)
{
    auto found = m_sessions.find(id);
    const bool known = found != m_sessions.end();
    if (!known) {
        RuntimeSession session;
        session.id = id;
        session.externalId = candidate.externalId;
        session.source = candidate.source;
        session.parentId = parentId;
        session.owner = subject.sessionOwner();
        session.account = subject.account;
        session.principal = subject.principal;
        session.principalType = subject.principalType;
        session.flow = subject.flow;
        session.executionId = subject.executionId;
        session.credentialId = subject.credentialId;
        session.firstSeenMs = nowMs;
        found = m_sessions.insert(id, session);
    }
    found->lastSeenMs = std::max(found->lastSeenMs, nowMs);
    if (counted)
        ++found->requests;
    if (!known) // at once: queries follow the parent links and sources of new sessions
        store(*found, counted ? 1 : 0, nowMs);
    else
        m_unsaved[id] += counted ? 1 : 0;
    return *found;
}

void SessionBook::store(const RuntimeSession &session, qint64 requests, qint64 lastSeenMs)
{
    // The store keeps first sight, last sight and the count. CASE, not max() or GREATEST():
    // the statement runs on SQLite and PostgreSQL alike.
    m_store(
        {u"INSERT INTO runtime_sessions (id, parent_id, external_id, source, owner, account, "
         "principal, principal_type, flow, execution_id, credential_id, first_seen_ms, "
         "last_seen_ms, requests) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
         "ON CONFLICT (id) DO UPDATE SET last_seen_ms = CASE WHEN excluded.last_seen_ms > "
         "runtime_sessions.last_seen_ms THEN excluded.last_seen_ms ELSE "
         "runtime_sessions.last_seen_ms END, "
         "requests = runtime_sessions.requests + excluded.requests"_s,
         {session.id, OptionalText::sql(session.parentId), session.externalId,
          QString::fromLatin1(session.source), session.owner, OptionalText::sql(session.account),
          OptionalText::sql(session.principal), OptionalText::sql(session.principalType),
          OptionalText::sql(session.flow), OptionalText::sql(session.executionId),
          OptionalText::sql(session.credentialId), session.firstSeenMs, lastSeenMs, requests}});
}

void SessionBook::save()
{
    for (auto it = m_unsaved.cbegin(); it != m_unsaved.cend(); ++it) {
        if (const RuntimeSession *session = find(it.key()))
            store(*session, it.value(), session->lastSeenMs);
    }
    m_unsaved.clear();
}

QList<RuntimeSession> SessionBook::recent() const
{
    QList<RuntimeSession> all = m_sessions.values();
    std::sort(all.begin(), all.end(), [](const RuntimeSession &a, const RuntimeSession &b) {
        return a.lastSeenMs != b.lastSeenMs ? a.lastSeenMs > b.lastSeenMs : a.id < b.id;
    });
    return all;
}

const RuntimeSession *SessionBook::find(const QString &id) const
{
    const auto found = m_sessions.constFind(id);
    return found == m_sessions.constEnd() ? nullptr : &*found;
}

void SessionBook::forgetIdle(qint64 nowMs)
{
    if (nowMs - m_lastSweepMs < kSweepEveryMs)
        return;
    m_lastSweepMs = nowMs;
    const qint64 horizon = nowMs - kForgetAfterMs;
    save(); // what is forgotten here is in the store first
    m_sessions.removeIf([horizon](const QHash<QString, RuntimeSession>::iterator &it) {
        return it->lastSeenMs < horizon;
    });
    m_ids.removeIf([this](const QHash<QString, QString>::iterator &it) {
        return !m_sessions.contains(it.value());
    });
    m_fallbacks.removeIf([horizon](const QHash<QString, Fallback>::iterator &it) {
        return it->lastSeenMs < horizon;
    });
}
