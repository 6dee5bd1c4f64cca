// Runtime credentials on a controlled clock: valid until the exact millisecond they expire,
// revoked for good, checked by id then by the secret's digest; what goes to the store.
#include "policy/credentialbook.h"
#include "policy/secrettoken.h"

#include <QTest>

using namespace Qt::StringLiterals;

class tst_CredentialBook : public QObject
{
    Q_OBJECT

    qint64 m_now = 1'800'000'000'000;
    QList<StoreStatement> m_stored;

    CredentialBook book()
    {
        return CredentialBook([this](StoreStatement s) { m_stored.append(std::move(s)); },
                              [this] { return m_now; });
    }
    RuntimeCredential scope(qint64 ttlMs)
    {
        RuntimeCredential credential;
        credential.account = u"default"_s;
        credential.principalType = u"sdk"_s;
        credential.expiresAtMs = m_now + ttlMs;
        return credential;
    }

private Q_SLOTS:
    void init() { m_stored.clear(); }

    void validUntilTheExactMillisecondOfExpiry()
    {
        CredentialBook credentials = book();
        const auto [issued, token] = credentials.issue(scope(60'000));
        QVERIFY(token.startsWith("ghrt_"));
        QVERIFY(issued.id.startsWith(u"cr_"_s));
        QVERIFY(credentials.check(token).credential);
        m_now = issued.expiresAtMs - 1;
        QVERIFY(credentials.check(token).credential);
        m_now = issued.expiresAtMs;
        const CredentialBook::Check expired = credentials.check(token);
        QVERIFY(!expired.credential);
        QVERIFY2(expired.failure.contains(u"expired"_s), qPrintable(expired.failure));
    }

    void revocationIsFinal()
    {
        CredentialBook credentials = book();
        const auto [issued, token] = credentials.issue(scope(60'000));
        QVERIFY(credentials.revoke(issued.id));
        const qint64 revokedAt = m_now;
        m_now += 10;
        QVERIFY(credentials.revoke(issued.id)); // again: keeps the first time
        QCOMPARE(*credentials.find(issued.id)->revokedAtMs, revokedAt);
        QVERIFY(credentials.check(token).failure.contains(u"revoked"_s));
        QVERIFY(!credentials.revoke(u"cr_0000000000000000"_s));
    }

    void wrongSecretsAndMalformedTokensAreRefused_data()
    {
        QTest::addColumn<bool>("keepId");
        QTest::addColumn<QByteArray>("replacement");
        QTest::newRow("another secret, same id") << true << QByteArray("A");
        QTest::newRow("unknown id") << false << QByteArray();
    }
    void wrongSecretsAndMalformedTokensAreRefused()
    {
        QFETCH(bool, keepId);
        QFETCH(QByteArray, replacement);
        CredentialBook credentials = book();
        const auto [issued, token] = credentials.issue(scope(60'000));
        QByteArray forged = token;
        if (keepId)
            forged[forged.size() - 1] = forged.endsWith(replacement) ? 'B' : replacement.at(0);
        else
            forged = SecretToken::generate().text("ghrt");
        const CredentialBook::Check check = credentials.check(forged);
        QVERIFY(!check.credential);
        QCOMPARE(check.failure, u"unknown runtime credential"_s);
        for (const QByteArray &malformed :
             {QByteArray("ghrt_"), QByteArray("ghrt_xyz_abc"), QByteArray("ghrt_0123456789abcdef"),
              QByteArray("ghrt_0123456789ABCDEF_abc"), QByteArray(token + "!"),
              QByteArray(token + QByteArray(100, 'a'))})
            QVERIFY(!credentials.check(malformed).credential);
    }

    void theStoreGetsTheDigestNeverTheToken()
    {
        CredentialBook credentials = book();
        const auto [issued, token] = credentials.issue(scope(60'000));
        QCOMPARE(m_stored.size(), 1);
        for (const QVariant &value : std::as_const(m_stored.first().values))
            QVERIFY(!token.contains(value.toString().toLatin1()) || value.toString().size() < 20);
        const QByteArray secret = token.mid(QByteArray("ghrt_0123456789abcdef_").size());
        QCOMPARE(m_stored.first().values.at(1).toString().toLatin1(),
                 SecretToken::digestHex(secret));
    }

    void loadsWhatWasStored()
    {
        CredentialBook first = book();
        const auto [issued, token] = first.issue(scope(60'000));
        first.revoke(issued.id);
        // The rows a store would return for the load query, from the statements it was sent.
        const QVariantList insert = m_stored.at(0).values;
        QVariantList row{insert.at(0),  insert.at(1),  insert.at(2),
                         insert.at(3),  insert.at(4),  insert.at(5),
                         insert.at(6),  insert.at(7),  insert.at(8),
                         insert.at(9),  insert.at(10), insert.at(11),
                         insert.at(12), insert.at(13), m_stored.at(1).values.at(0)};
        CredentialBook second = book();
        second.load({row});
        QVERIFY(second.check(token).failure.contains(u"revoked"_s));
        row[14] = QVariant();
        CredentialBook third = book();
        third.load({row});
        QVERIFY(third.check(token).credential);
        QCOMPARE(third.check(token).credential->principalType, u"sdk"_s);
        // Loading again replaces (team mode: another gateway's revocation, or a row gone).
        row[14] = m_now;
        third.load({row});
        QVERIFY(third.check(token).failure.contains(u"revoked"_s));
        third.load({});
        QVERIFY(!third.find(issued.id));
        QCOMPARE(third.check(token).failure, u"unknown runtime credential"_s);
    }
};

QTEST_GUILESS_MAIN(tst_CredentialBook)
#include "tst_credentialbook.moc"
