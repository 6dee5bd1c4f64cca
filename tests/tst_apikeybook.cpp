#include "policy/apikeybook.h"

#include <QCryptographicHash>
#include <QTest>

class TestApiKeyBook : public QObject
{
    Q_OBJECT

private:
    static ApiKeyEntry entry(const QString &name, const QString &account, QByteArrayView key)
    {
        return ApiKeyEntry{name, account,
                           QCryptographicHash::hash(key, QCryptographicHash::Sha256)};
    }

    static ApiKeyBook book()
    {
        return ApiKeyBook({entry(QStringLiteral("alpha"), QStringLiteral("team-a"), "alpha-key"),
                           entry(QStringLiteral("beta"), QStringLiteral("team-b"), "beta-key")});
    }

private Q_SLOTS:
    void authenticate_data()
    {
        QTest::addColumn<QByteArray>("presented");
        QTest::addColumn<QString>("expectedName"); // empty: rejected

        QTest::newRow("first key") << QByteArray("alpha-key") << QStringLiteral("alpha");
        QTest::newRow("second key") << QByteArray("beta-key") << QStringLiteral("beta");
        QTest::newRow("wrong key") << QByteArray("gamma-key") << QString();
        QTest::newRow("prefix of a key") << QByteArray("alpha-ke") << QString();
        QTest::newRow("key plus a byte") << QByteArray("alpha-key!") << QString();
        QTest::newRow("other case") << QByteArray("ALPHA-KEY") << QString();
        QTest::newRow("empty") << QByteArray() << QString();
        QTest::newRow("the digest itself")
            << QCryptographicHash::hash("alpha-key", QCryptographicHash::Sha256) << QString();
    }

    void authenticate()
    {
        QFETCH(QByteArray, presented);
        QFETCH(QString, expectedName);
        const std::optional<ApiKeyEntry> found = book().authenticate(presented);
        if (expectedName.isEmpty()) {
            QVERIFY(!found);
            return;
        }
        QVERIFY(found);
        QCOMPARE(found->name, expectedName);
        QCOMPARE(found->account, expectedName == QStringLiteral("alpha")
                                     ? QStringLiteral("team-a")
                                     : QStringLiteral("team-b"));
    }

    void emptyBookAcceptsNothing()
    {
        QVERIFY(!ApiKeyBook().authenticate("alpha-key"));
        QVERIFY(!ApiKeyBook(QList<ApiKeyEntry>()).authenticate("alpha-key"));
    }

    void malformedEntryNeverMatches()
    {
        // A digest of the wrong length must not match a key whose digest starts with it.
        const QByteArray full = QCryptographicHash::hash("alpha-key", QCryptographicHash::Sha256);
        const ApiKeyBook truncated(
            {ApiKeyEntry{QStringLiteral("short"), QStringLiteral("a"), full.first(16)}});
        QVERIFY(!truncated.authenticate("alpha-key"));
    }

    void lastEntryIsFound()
    {
        QList<ApiKeyEntry> entries;
        for (int i = 0; i < 50; ++i)
            entries += entry(QString::number(i), QStringLiteral("acct"),
                             QByteArray(QByteArray("key-") + QByteArray::number(i)));
        const ApiKeyBook many(entries);
        QCOMPARE(many.authenticate("key-49")->name, QStringLiteral("49"));
        QCOMPARE(many.authenticate("key-0")->name, QStringLiteral("0"));
        QVERIFY(!many.authenticate("key-50"));
    }

    void bearerToken_data()
    {
        QTest::addColumn<QByteArray>("authorization");
        QTest::addColumn<QByteArray>("expected");

        QTest::newRow("plain") << QByteArray("Bearer abc") << QByteArray("abc");
        QTest::newRow("lower-case scheme") << QByteArray("bearer abc") << QByteArray("abc");
        QTest::newRow("upper-case scheme") << QByteArray("BEARER abc") << QByteArray("abc");
        QTest::newRow("surrounding spaces") << QByteArray("  Bearer   abc  ") << QByteArray("abc");
        QTest::newRow("tab separator") << QByteArray("Bearer\tabc") << QByteArray("abc");
        QTest::newRow("token keeps its symbols")
            << QByteArray("Bearer gh-example_key.0/+=") << QByteArray("gh-example_key.0/+=");
        QTest::newRow("no separator") << QByteArray("Bearerabc") << QByteArray();
        QTest::newRow("scheme only") << QByteArray("Bearer") << QByteArray();
        QTest::newRow("scheme and spaces") << QByteArray("Bearer   ") << QByteArray();
        QTest::newRow("other scheme") << QByteArray("Basic YWxhZGRpbg==") << QByteArray();
        QTest::newRow("two words") << QByteArray("Bearer abc def") << QByteArray();
        QTest::newRow("bare token") << QByteArray("abc") << QByteArray();
        QTest::newRow("empty") << QByteArray() << QByteArray();
    }

    void bearerToken()
    {
        QFETCH(QByteArray, authorization);
        QFETCH(QByteArray, expected);
        QCOMPARE(ApiKeyBook::bearerToken(authorization).toByteArray(), expected);
    }

    void presentedKey_data()
    {
        QTest::addColumn<QByteArray>("authorization");
        QTest::addColumn<QByteArray>("xApiKey");
        QTest::addColumn<QByteArray>("expected");

        QTest::newRow("bearer only")
            << QByteArray("Bearer abc") << QByteArray() << QByteArray("abc");
        QTest::newRow("x-api-key only") << QByteArray() << QByteArray("xyz") << QByteArray("xyz");
        QTest::newRow("x-api-key trimmed")
            << QByteArray() << QByteArray(" xyz ") << QByteArray("xyz");
        QTest::newRow("bearer wins")
            << QByteArray("Bearer abc") << QByteArray("xyz") << QByteArray("abc");
        QTest::newRow("non-bearer authorization falls back")
            << QByteArray("Basic YWxhZGRpbg==") << QByteArray("xyz") << QByteArray("xyz");
        QTest::newRow("neither") << QByteArray() << QByteArray() << QByteArray();
    }

    void presentedKey()
    {
        QFETCH(QByteArray, authorization);
        QFETCH(QByteArray, xApiKey);
        QFETCH(QByteArray, expected);
        QCOMPARE(ApiKeyBook::presentedKey(authorization, xApiKey).toByteArray(), expected);
    }

    void headerToEntry()
    {
        const ApiKeyBook keys = book();
        QCOMPARE(keys.authenticate(ApiKeyBook::presentedKey("bearer  beta-key ", {}))->name,
                 QStringLiteral("beta"));
        QCOMPARE(keys.authenticate(ApiKeyBook::presentedKey({}, "alpha-key"))->name,
                 QStringLiteral("alpha"));
        QVERIFY(!keys.authenticate(ApiKeyBook::presentedKey("Bearer", {})));
    }

    // Team mode reloads the keys made through the admin API: they are replaced, the
    // configuration file's stay, and the file wins a name both have.
    void storedKeysAreReplacedConfiguredOnesStay()
    {
        ApiKeyBook keys = book();
        const auto stored = [](const QString &name, QByteArrayView key) {
            ApiKeyEntry entry = TestApiKeyBook::entry(name, QStringLiteral("team-c"), key);
            entry.fromConfiguration = false;
            return entry;
        };
        keys.setStored({stored(QStringLiteral("gamma"), "gamma-key"),
                        stored(QStringLiteral("alpha"), "impostor-key")});
        QCOMPARE(keys.authenticate("gamma-key")->name, QStringLiteral("gamma"));
        QVERIFY(!keys.authenticate("impostor-key"));
        QCOMPARE(keys.entries().size(), 3);

        keys.setStored({stored(QStringLiteral("delta"), "delta-key")});
        QVERIFY(!keys.authenticate("gamma-key")); // revoked elsewhere
        QCOMPARE(keys.authenticate("delta-key")->name, QStringLiteral("delta"));
        QCOMPARE(keys.authenticate("alpha-key")->name, QStringLiteral("alpha"));
        QCOMPARE(keys.authenticate("beta-key")->name, QStringLiteral("beta"));
        QCOMPARE(keys.entries().size(), 3);
    }
};

QTEST_GUILESS_MAIN(TestApiKeyBook)
#include "tst_apikeybook.moc"
