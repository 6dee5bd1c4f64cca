// Which runtime session a request belongs to: the precedence of PROTOCOLS.md, vendor signals
// trusted only from their own runtime's credentials, owners kept apart, hostile values skipped,
// sub-agent lineage, the fallback session that ends after an idle gap, and what goes to the
// store: a new session at once, a known one's requests and last sight once per save().
#include "policy/sessionbook.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

HttpRequest requestWith(const HttpHeaders &headers)
{
    HttpRequest request;
    request.method = "POST";
    request.path = "/anthropic/v1/messages";
    request.headers = headers;
    return request;
}

Subject credentialSubject(const QString &type, const QString &credential = u"cr_1"_s)
{
    Subject subject;
    subject.account = u"default"_s;
    subject.principal = type;
    subject.principalType = type;
    subject.credentialId = credential;
    return subject;
}

} // namespace

class tst_SessionBook : public QObject
{
    Q_OBJECT

    qint64 m_now = 1'800'000'000'000;
    QList<StoreStatement> m_statements;

    SessionBook book(qint64 idleMs = 60'000)
    {
        return SessionBook(
            [this](StoreStatement statement) { m_statements.append(std::move(statement)); },
            [this] { return m_now; }, idleMs);
    }

    // The id, last sight and request count an upsert sends (the statement's bound values).
    static std::tuple<QString, qint64, qint64> upserted(const StoreStatement &statement)
    {
        const QVariantList &values = statement.values;
        return {values.first().toString(), values.at(values.size() - 2).toLongLong(),
                values.last().toLongLong()};
    }

private Q_SLOTS:
    void precedence_data()
    {
        QTest::addColumn<QString>("principalType");
        QTest::addColumn<HttpHeaders>("headers");
        QTest::addColumn<QString>("promptCacheKey");
        QTest::addColumn<QString>("userId");
        QTest::addColumn<QByteArray>("source");
        QTest::addColumn<QString>("externalId");

        const HttpHeaders claude{{"x-claude-code-session-id", "cc-1"}};
        QTest::newRow("explicit header beats everything")
            << u"claude-code"_s
            << HttpHeaders{{"x-gatehouse-session-id", "mine"}, {"x-claude-code-session-id", "cc-1"}}
            << u"pck"_s << QString() << QByteArray("gatehouse-header") << u"mine"_s;
        QTest::newRow("claude code header") << u"claude-code"_s << claude << u"pck"_s << QString()
                                            << QByteArray("claude-code") << u"cc-1"_s;
        QTest::newRow("claude code metadata")
            << u"claude-code"_s << HttpHeaders() << QString()
            << u"{\"device_id\":\"d\",\"session_id\":\"cc-meta\"}"_s << QByteArray("claude-code")
            << u"cc-meta"_s;
        QTest::newRow("claude code older user_id form")
            << u"claude-code"_s << HttpHeaders() << QString()
            << u"user_abc_account_def_session_0190-aa"_s << QByteArray("claude-code")
            << u"0190-aa"_s;
        QTest::newRow("claude header from an sdk credential is not trusted")
            << u"sdk"_s << claude << u"pck"_s << QString() << QByteArray("prompt-cache-key")
            << u"pck"_s;
        QTest::newRow("codex session-id") << u"codex"_s
                                          << HttpHeaders{{"session-id", "s-9"}, {"thread-id", "t-9"}}
                                          << QString() << QString() << QByteArray("codex") << u"s-9"_s;
        QTest::newRow("codex thread-id") << u"codex"_s << HttpHeaders{{"thread-id", "t-9"}}
                                         << QString() << QString() << QByteArray("codex") << u"t-9"_s;
        QTest::newRow("codex header from a claude-code credential")
            << u"claude-code"_s << HttpHeaders{{"session-id", "s-9"}} << QString() << QString()
            << QByteArray("fallback") << QString();
        QTest::newRow("opencode") << u"opencode"_s << HttpHeaders{{"x-session-id", "oc-1"}}
                                  << QString() << QString() << QByteArray("opencode") << u"oc-1"_s;
        QTest::newRow("oversize header skipped")
            << u"sdk"_s << HttpHeaders{{"x-gatehouse-session-id", QByteArray(129, 'x')}}
            << u"pck"_s << QString() << QByteArray("prompt-cache-key") << u"pck"_s;
        QTest::newRow("bad characters skipped")
            << u"sdk"_s << HttpHeaders{{"x-gatehouse-session-id", "a b\"c"}} << QString()
            << QString() << QByteArray("fallback") << QString();
        QTest::newRow("hostile metadata skipped")
            << u"claude-code"_s << HttpHeaders() << QString()
            << u"{\"session_id\":\"../../etc/passwd; rm\"}"_s << QByteArray("fallback") << QString();
    }
    void precedence()
    {
        QFETCH(QString, principalType);
        QFETCH(HttpHeaders, headers);
        QFETCH(QString, promptCacheKey);
        QFETCH(QString, userId);
        QFETCH(QByteArray, source);
        QFETCH(QString, externalId);
        SessionBook sessions = book();
        const RuntimeSession session = sessions.resolve(
            requestWith(headers), {promptCacheKey, userId}, credentialSubject(principalType));
        QCOMPARE(session.source, source);
        if (!externalId.isEmpty())
            QCOMPARE(session.externalId, externalId);
        QVERIFY(session.id.startsWith(u"rs_"_s));
    }

    void ownersNeverShareASession()
    {
        SessionBook sessions = book();
        const HttpRequest request = requestWith({{"x-gatehouse-session-id", "shared"}});
        Subject alice;
        alice.account = u"acme"_s;
        alice.apiKey = u"alice"_s;
        Subject mallory = alice;
        mallory.apiKey = u"mallory"_s;
        const QString a = sessions.resolve(request, {}, alice).id;
        QCOMPARE(sessions.resolve(request, {}, alice).id, a);
        QVERIFY(sessions.resolve(request, {}, mallory).id != a);
        QCOMPARE(sessions.find(a)->requests, 2);
    }

    void subAgentsAreChildren()
    {
        SessionBook sessions = book();
        const Subject subject = credentialSubject(u"claude-code"_s);
        const RuntimeSession parent =
            sessions.resolve(requestWith({{"x-claude-code-session-id", "cc-1"}}), {}, subject);
        const RuntimeSession child = sessions.resolve(
            requestWith({{"x-claude-code-session-id", "cc-1"}, {"x-claude-code-agent-id", "a1"}}),
            {}, subject);
        QCOMPARE(child.parentId, parent.id);
        QVERIFY(child.id != parent.id);
        QCOMPARE(sessions.find(parent.id)->requests, 1); // naming a parent does not count a call
        const RuntimeSession opencodeChild = sessions.resolve(
            requestWith({{"x-session-id", "oc-2"}, {"x-parent-session-id", "oc-1"}}), {},
            credentialSubject(u"opencode"_s));
        QVERIFY(!opencodeChild.parentId.isEmpty());
    }

    void fallbackSessionEndsAfterAnIdleGap()
    {
        SessionBook sessions = book(60'000);
        Subject subject = credentialSubject(u"sdk"_s);
        subject.executionId = u"ex_1"_s;
        const HttpRequest request = requestWith({});
        const QString first = sessions.resolve(request, {}, subject).id;
        m_now += 60'000; // exactly the idle limit: still the same session
        QCOMPARE(sessions.resolve(request, {}, subject).id, first);
        m_now += 60'001;
        const QString second = sessions.resolve(request, {}, subject).id;
        QVERIFY(second != first);
        // Another execution has its own fallback.
        subject.executionId = u"ex_2"_s;
        QVERIFY(sessions.resolve(request, {}, subject).id != second);
    }

    void newSessionsAreStoredAtOnce()
    {
        m_statements.clear();
        SessionBook sessions = book();
        const Subject subject = credentialSubject(u"claude-code"_s);
        const RuntimeSession child = sessions.resolve(
            requestWith({{"x-claude-code-session-id", "cc-1"}, {"x-claude-code-agent-id", "a1"}}),
            {}, subject);
        QCOMPARE(m_statements.size(), 2); // the child, and its parent made known
        QCOMPARE(upserted(m_statements.first()), std::tuple(child.parentId, m_now, qint64(0)));
        QCOMPARE(upserted(m_statements.last()), std::tuple(child.id, m_now, qint64(1)));
    }

    void knownSessionsAreSavedOncePerSave()
    {
        m_statements.clear();
        SessionBook sessions = book();
        const Subject subject = credentialSubject(u"codex"_s);
        const HttpRequest first = requestWith({{"session-id", "one"}});
        const HttpRequest second = requestWith({{"session-id", "two"}});
        const QString one = sessions.resolve(first, {}, subject).id;
        const qint64 start = m_now;
        for (int i = 0; i < 4; ++i) {
            m_now += 100;
            sessions.resolve(first, {}, subject);
        }
        const QString two = sessions.resolve(second, {}, subject).id;
        QCOMPARE(m_statements.size(), 2); // the two new sessions only
        QCOMPARE(upserted(m_statements.first()), std::tuple(one, start, qint64(1)));

        m_statements.clear();
        sessions.save();
        // Only what changed since it was stored: four more requests of the first session.
        QCOMPARE(m_statements.size(), 1);
        QCOMPARE(upserted(m_statements.first()), std::tuple(one, m_now, qint64(4)));
        QCOMPARE(sessions.find(one)->requests, 5);
        QCOMPARE(sessions.find(two)->requests, 1);

        m_statements.clear();
        sessions.save();
        QVERIFY(m_statements.isEmpty()); // nothing new
    }
};

QTEST_GUILESS_MAIN(tst_SessionBook)
#include "tst_sessionbook.moc"
