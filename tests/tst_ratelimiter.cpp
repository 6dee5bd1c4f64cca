// Requests- and tokens-per-minute limits on a controlled clock: burst, refusal and recovery after
// exactly the advertised wait, token settlement, atomicity across rules, per-subject buckets,
// live rule edits, tickets, bounded memory and OpenAI's header formats.
#include "policy/ratelimiter.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

using Scope = RateLimitRule::Scope;

// Tables write 0 for "no such limit".
std::optional<qint64> perMinute(qint64 figure)
{
    return figure > 0 ? std::optional<qint64>(figure) : std::nullopt;
}

RateLimitRule rule(const QString &id, Scope scope, const QString &subject, qint64 requests,
                   qint64 tokens = 0)
{
    RateLimitRule made;
    made.id = id;
    made.scope = scope;
    made.subject = subject;
    made.requestsPerMinute = perMinute(requests);
    made.tokensPerMinute = perMinute(tokens);
    return made;
}

RateLimitSubject request(const QString &key, const QString &model = u"gpt-4o"_s,
                         const QString &flow = {})
{
    return {key, flow, model};
}

QByteArray header(const RateLimiter::Decision &decision, QByteArrayView name)
{
    return headerValue(decision.headers, name);
}

} // namespace

Q_DECLARE_METATYPE(RateLimitSubject)

class tst_RateLimiter : public QObject
{
    Q_OBJECT

    qint64 m_now = 1'800'000'000'000;

    RateLimiter limiter(const QList<RateLimitRule> &rules, int maxSubjects = 10'000)
    {
        RateLimiter made([this] { return m_now; }, maxSubjects);
        QString error;
        if (!made.setRules(rules, &error))
            qFatal("rules rejected: %s", qPrintable(error));
        return made;
    }

private Q_SLOTS:
    void init() { m_now = 1'800'000'000'000; }

    // A full bucket admits the whole per-minute figure at once, refuses the next request, and
    // admits it after exactly retryAfterMs (not a millisecond earlier); then the rate is steady.
    void burstThenRecoveryAfterExactlyRetryAfter_data()
    {
        QTest::addColumn<qint64>("requestsPerMinute");
        QTest::addColumn<qint64>("tokensPerMinute");
        QTest::addColumn<qint64>("estimate");
        QTest::addColumn<int>("burst");
        QTest::addColumn<qint64>("expectedWaitMs");
        QTest::addColumn<QString>("limitedBy");

        QTest::newRow("1 rpm") << 1LL << 0LL << 0LL << 1 << 60'000LL << u"requests"_s;
        QTest::newRow("7 rpm (a wait that is not a whole ms)")
            << 7LL << 0LL << 0LL << 7 << 8'572LL << u"requests"_s;
        QTest::newRow("60 rpm") << 60LL << 0LL << 0LL << 60 << 1'000LL << u"requests"_s;
        QTest::newRow("1000 rpm") << 1000LL << 0LL << 0LL << 1000 << 60LL << u"requests"_s;
        QTest::newRow("tokens: 10 x 100 of 1000 tpm")
            << 0LL << 1000LL << 100LL << 10 << 6'000LL << u"tokens"_s;
        QTest::newRow("tokens: 3 x 333 of 1000 tpm, next needs 332 freed")
            << 0LL << 1000LL << 333LL << 3 << 19'920LL << u"tokens"_s;
        QTest::newRow("both: tokens run out first")
            << 100LL << 1000LL << 250LL << 4 << 15'000LL << u"tokens"_s;
        QTest::newRow("both: requests run out first")
            << 3LL << 1000LL << 10LL << 3 << 20'000LL << u"requests"_s;
    }
    void burstThenRecoveryAfterExactlyRetryAfter()
    {
        QFETCH(qint64, requestsPerMinute);
        QFETCH(qint64, tokensPerMinute);
        QFETCH(qint64, estimate);
        QFETCH(int, burst);
        QFETCH(qint64, expectedWaitMs);
        QFETCH(QString, limitedBy);
        RateLimiter limits =
            limiter({rule(u"rl_1"_s, Scope::Key, u"alice"_s, requestsPerMinute, tokensPerMinute)});

        for (int i = 0; i < burst; ++i) {
            const auto decision = limits.admit(request(u"alice"_s), estimate);
            QVERIFY2(decision.allowed, qPrintable(u"request %1 of the burst"_s.arg(i + 1)));
            QVERIFY(decision.ticket != 0);
            limits.settle(decision.ticket, estimate);
        }
        const auto refused = limits.admit(request(u"alice"_s), estimate);
        QVERIFY(!refused.allowed);
        QCOMPARE(refused.ticket, quint64(0));
        QCOMPARE(refused.retryAfterMs, expectedWaitMs);
        QCOMPARE(refused.ruleId, u"rl_1"_s);
        QVERIFY2(refused.message.contains(u"rl_1"_s) &&
                     refused.message.contains(limitedBy + u" per minute"_s) &&
                     refused.message.contains(u"key 'alice'"_s),
                 qPrintable(refused.message));
        QCOMPARE(header(refused, "retry-after"), QByteArray::number((expectedWaitMs + 999) / 1000));
        QCOMPARE(header(refused, "retry-after-ms"), QByteArray::number(expectedWaitMs));

        m_now += expectedWaitMs - 1;
        QVERIFY(!limits.admit(request(u"alice"_s), estimate).allowed);
        m_now += 1;
        const auto retried = limits.admit(request(u"alice"_s), estimate);
        QVERIFY2(retried.allowed, "waiting exactly retryAfterMs must succeed");
        limits.settle(retried.ticket, estimate);
        // Steady state: one more request per refill interval, never a second burst.
        const qint64 interval = std::max(
            requestsPerMinute ? (60'000 + requestsPerMinute - 1) / requestsPerMinute : 0,
            tokensPerMinute ? (estimate * 60'000 + tokensPerMinute - 1) / tokensPerMinute : 0);
        const auto next = limits.admit(request(u"alice"_s), estimate);
        QVERIFY(!next.allowed);
        QVERIFY(next.retryAfterMs > 0 && next.retryAfterMs <= interval);
    }

    // settle() corrects the estimate by actual - estimate in every token bucket it was counted in.
    void tokensSettleCorrectsTheEstimate_data()
    {
        QTest::addColumn<qint64>("estimate");
        QTest::addColumn<qint64>("actual");
        QTest::addColumn<qint64>("elapsedMs"); // between admission and settlement
        QTest::addColumn<QByteArray>("remainingAfter");

        QTest::newRow("exact") << 400LL << 400LL << 0LL << QByteArray("600");
        QTest::newRow("over-estimate gives back") << 400LL << 100LL << 0LL << QByteArray("900");
        QTest::newRow("under-estimate takes more") << 400LL << 700LL << 0LL << QByteArray("300");
        QTest::newRow("nothing used") << 400LL << 0LL << 0LL << QByteArray("1000");
        QTest::newRow("under-estimate into debt") << 400LL << 1500LL << 0LL << QByteArray("0");
        QTest::newRow("negative actual counts as zero")
            << 400LL << -5LL << 0LL << QByteArray("1000");
        // After 12 s the 400 have drained to 200; giving back 300 must not go below zero.
        QTest::newRow("correction never below zero")
            << 400LL << 100LL << 12'000LL << QByteArray("1000");
        QTest::newRow("late under-estimate") << 400LL << 600LL << 12'000LL << QByteArray("600");
    }
    void tokensSettleCorrectsTheEstimate()
    {
        QFETCH(qint64, estimate);
        QFETCH(qint64, actual);
        QFETCH(qint64, elapsedMs);
        QFETCH(QByteArray, remainingAfter);
        RateLimiter limits = limiter({rule(u"rl_t"_s, Scope::Model, u"gpt-4o"_s, 0, 1000)});

        const auto admitted = limits.admit(request(u"alice"_s), estimate);
        QVERIFY(admitted.allowed);
        QCOMPARE(header(admitted, "x-ratelimit-remaining-tokens"),
                 QByteArray::number(1000 - estimate));
        m_now += elapsedMs;
        limits.settle(admitted.ticket, actual);
        QCOMPARE(limits.openTicketCount(), 0);
        const auto probe = limits.admit(request(u"alice"_s), 0);
        QCOMPARE(header(probe, "x-ratelimit-remaining-tokens"), remainingAfter);
    }

    void debtFromUnderEstimateDelaysTheNext()
    {
        RateLimiter limits = limiter({rule(u"rl_t"_s, Scope::Key, u"alice"_s, 0, 1000)});
        const auto first = limits.admit(request(u"alice"_s), 400);
        limits.settle(first.ticket, 1500);
        const auto refused = limits.admit(request(u"alice"_s), 100);
        QVERIFY(!refused.allowed);
        QCOMPARE(refused.retryAfterMs, 36'000LL); // 1500 + 100 - 1000 tokens at 1000 per minute
        m_now += 36'000;
        QVERIFY(limits.admit(request(u"alice"_s), 100).allowed);
    }

    // A request bigger than the whole tokens-per-minute limit is not refused forever: it goes
    // through when the bucket is full and leaves a debt that later requests wait out.
    void oversizedRequestGoesThroughWhenFull()
    {
        RateLimiter limits = limiter({rule(u"rl_t"_s, Scope::Key, u"alice"_s, 0, 1000)});
        const auto small = limits.admit(request(u"alice"_s), 10);
        QVERIFY(small.allowed);
        const auto waiting = limits.admit(request(u"alice"_s), 5000);
        QVERIFY(!waiting.allowed);
        QCOMPARE(waiting.retryAfterMs, 600LL); // until the 10 tokens have drained
        QVERIFY2(waiting.message.contains(u"more than the whole limit"_s),
                 qPrintable(waiting.message));
        m_now += 600;
        const auto big = limits.admit(request(u"alice"_s), 5000);
        QVERIFY(big.allowed);
        QCOMPARE(header(big, "x-ratelimit-remaining-tokens"), QByteArray("0"));
        QCOMPARE(header(big, "x-ratelimit-reset-tokens"), QByteArray("5m0s"));
        const auto after = limits.admit(request(u"alice"_s), 1);
        QVERIFY(!after.allowed);
        QCOMPARE(after.retryAfterMs, 240'060LL); // 5000 + 1 - 1000 tokens at 1000 per minute
        m_now += 240'060;
        QVERIFY(limits.admit(request(u"alice"_s), 1).allowed);
    }

    // Every applicable rule must admit before any of them counts the request.
    void rulesAreCheckedTogether_data()
    {
        QTest::addColumn<qint64>("firstEstimate");
        QTest::addColumn<qint64>("refusedEstimate");
        QTest::addColumn<QString>("refusingRule");

        QTest::newRow("tokens of the model refuse, the key's requests stay")
            << 900LL << 200LL << u"rl_model"_s;
        QTest::newRow("requests of the key refuse, the model's tokens stay")
            << 100LL << 100LL << u"rl_key"_s;
    }
    void rulesAreCheckedTogether()
    {
        QFETCH(qint64, firstEstimate);
        QFETCH(qint64, refusedEstimate);
        QFETCH(QString, refusingRule);
        // The key may send 2 requests a minute; the model takes 1000 tokens a minute.
        RateLimiter limits = limiter({rule(u"rl_key"_s, Scope::Key, u"alice"_s, 2),
                                      rule(u"rl_model"_s, Scope::Model, u"gpt-4o"_s, 0, 1000)});
        QVERIFY(limits.admit(request(u"alice"_s), firstEstimate).allowed);
        if (refusingRule == u"rl_key") // use up the key's second request on another model
            QVERIFY(limits.admit(request(u"alice"_s, u"other"_s), 0).allowed);

        const auto refused = limits.admit(request(u"alice"_s), refusedEstimate);
        QVERIFY(!refused.allowed);
        QCOMPARE(refused.ruleId, refusingRule);

        if (refusingRule == u"rl_model") {
            // The refused request did not take the key's second request.
            QVERIFY(limits.admit(request(u"alice"_s, u"other"_s), 0).allowed);
            QVERIFY(!limits.admit(request(u"alice"_s, u"other"_s), 0).allowed);
        } else {
            // The refused request did not take the model's tokens: bob gets all the rest.
            const auto bob = limits.admit(request(u"bob"_s), 1000 - firstEstimate);
            QVERIFY(bob.allowed);
            QCOMPARE(header(bob, "x-ratelimit-remaining-tokens"), QByteArray("0"));
        }
    }

    // Refused by several rules: the wait is the longest, so that one retry passes all of them.
    void retryWaitsForEveryRefusingRule()
    {
        RateLimiter limits = limiter({rule(u"rl_key"_s, Scope::Key, u"alice"_s, 60),
                                      rule(u"rl_flow"_s, Scope::Flow, u"nightly"_s, 6)});
        const RateLimitSubject nightly = request(u"alice"_s, u"gpt-4o"_s, u"nightly"_s);
        for (int i = 0; i < 6; ++i)
            QVERIFY(limits.admit(nightly, 0).allowed);
        for (int i = 0; i < 54; ++i)
            QVERIFY(limits.admit(request(u"alice"_s), 0).allowed);
        const auto refused = limits.admit(nightly, 0);
        QVERIFY(!refused.allowed);
        QCOMPARE(refused.ruleId, u"rl_flow"_s);
        QCOMPARE(refused.retryAfterMs, 10'000LL);
        QVERIFY2(refused.message.contains(u"flow 'nightly'"_s), qPrintable(refused.message));
        m_now += 10'000;
        QVERIFY(limits.admit(nightly, 0).allowed);
    }

    // "*" keeps a separate bucket per key, flow or model; an empty value matches no "*" rule.
    void perSubjectBucketsAreIsolated_data()
    {
        QTest::addColumn<int>("scope");
        QTest::addColumn<RateLimitSubject>("first");
        QTest::addColumn<RateLimitSubject>("sameBucket");
        QTest::addColumn<RateLimitSubject>("otherBucket");

        QTest::newRow("key") << int(Scope::Key) << request(u"alice"_s, u"a"_s)
                             << request(u"alice"_s, u"b"_s) << request(u"bob"_s, u"a"_s);
        QTest::newRow("model") << int(Scope::Model) << request(u"alice"_s, u"a"_s)
                               << request(u"bob"_s, u"a"_s) << request(u"alice"_s, u"b"_s);
        QTest::newRow("flow") << int(Scope::Flow) << request(u"alice"_s, u"a"_s, u"f1"_s)
                              << request(u"bob"_s, u"b"_s, u"f1"_s)
                              << request(u"alice"_s, u"a"_s, u"f2"_s);
    }
    void perSubjectBucketsAreIsolated()
    {
        QFETCH(int, scope);
        QFETCH(RateLimitSubject, first);
        QFETCH(RateLimitSubject, sameBucket);
        QFETCH(RateLimitSubject, otherBucket);
        RateLimiter limits = limiter({rule(u"rl_each"_s, Scope(scope), u"*"_s, 2)});

        QVERIFY(limits.admit(first, 0).allowed);
        QVERIFY(limits.admit(sameBucket, 0).allowed);
        const auto refused = limits.admit(first, 0);
        QVERIFY(!refused.allowed);
        QVERIFY2(refused.message.contains(u"a separate limit for each"_s),
                 qPrintable(refused.message));
        QVERIFY(limits.admit(otherBucket, 0).allowed);
        QVERIFY(limits.admit(otherBucket, 0).allowed);
        QVERIFY(!limits.admit(otherBucket, 0).allowed);
        QCOMPARE(limits.bucketCount(), 2);

        const auto unmatched = limits.admit(RateLimitSubject{}, 0);
        QVERIFY(unmatched.allowed);
        QCOMPARE(unmatched.ticket, quint64(0));
        QVERIFY(unmatched.headers.isEmpty());
    }

    // Rules change at runtime: what a kept rule has counted stays counted.
    void liveEditsKeepState_data()
    {
        QTest::addColumn<QList<RateLimitRule>>("edited");
        QTest::addColumn<int>("moreAdmitted"); // after 3 of 4 allowed requests were used

        const RateLimitRule original = rule(u"rl_a"_s, Scope::Key, u"alice"_s, 4);
        RateLimitRule raised = original;
        raised.requestsPerMinute = 10;
        RateLimitRule lowered = original;
        lowered.requestsPerMinute = 2;
        RateLimitRule tokensAdded = original;
        tokensAdded.tokensPerMinute = 1000;
        RateLimitRule renamed = original;
        renamed.id = u"rl_b"_s;
        RateLimitRule widened = original;
        widened.subject = u"*"_s;

        QTest::newRow("unchanged, among new rules")
            << QList<RateLimitRule>{rule(u"rl_x"_s, Scope::Model, u"m"_s, 1), original} << 1;
        QTest::newRow("limit raised") << QList<RateLimitRule>{raised} << 7;
        QTest::newRow("limit lowered") << QList<RateLimitRule>{lowered} << 0;
        QTest::newRow("tokens limit added") << QList<RateLimitRule>{tokensAdded} << 1;
        QTest::newRow("new id starts afresh") << QList<RateLimitRule>{renamed} << 4;
        QTest::newRow("new subject starts afresh") << QList<RateLimitRule>{widened} << 4;
    }
    void liveEditsKeepState()
    {
        QFETCH(QList<RateLimitRule>, edited);
        QFETCH(int, moreAdmitted);
        RateLimiter limits = limiter({rule(u"rl_a"_s, Scope::Key, u"alice"_s, 4)});
        QList<quint64> open;
        for (int i = 0; i < 3; ++i)
            open.append(limits.admit(request(u"alice"_s), 0).ticket);

        QVERIFY(limits.setRules(edited));
        QCOMPARE(limits.rules(), edited);
        for (quint64 ticket : open) // tickets of a replaced rule settle harmlessly
            limits.settle(ticket, 0);
        int admitted = 0;
        while (limits.admit(request(u"alice"_s), 0).allowed && admitted < 100)
            ++admitted;
        QCOMPARE(admitted, moreAdmitted);
    }

    void invalidRuleSetsChangeNothing_data()
    {
        QTest::addColumn<QList<RateLimitRule>>("rules");
        QTest::addColumn<QString>("error");

        QTest::newRow("no id") << QList<RateLimitRule>{rule(QString(), Scope::Key, u"a"_s, 1)}
                               << u"needs an id"_s;
        QTest::newRow("same id twice")
            << QList<RateLimitRule>{rule(u"rl_1"_s, Scope::Key, u"a"_s, 1),
                                    rule(u"rl_1"_s, Scope::Flow, u"f"_s, 1)}
            << u"used twice"_s;
        QTest::newRow("no limit") << QList<RateLimitRule>{rule(u"rl_1"_s, Scope::Key, u"a"_s, 0)}
                                  << u"needs requestsPerMinute"_s;
        QTest::newRow("no subject")
            << QList<RateLimitRule>{rule(u"rl_1"_s, Scope::Key, {}, 5)} << u"subject is required"_s;
    }
    void invalidRuleSetsChangeNothing()
    {
        QFETCH(QList<RateLimitRule>, rules);
        QFETCH(QString, error);
        const QList<RateLimitRule> before{rule(u"rl_a"_s, Scope::Key, u"alice"_s, 1)};
        RateLimiter limits = limiter(before);
        QVERIFY(limits.admit(request(u"alice"_s), 0).allowed);
        QString message;
        QVERIFY(!limits.setRules(rules, &message));
        QVERIFY2(message.contains(error), qPrintable(message));
        QCOMPARE(limits.rules(), before);
        QVERIFY(!limits.admit(request(u"alice"_s), 0).allowed);
    }

    // Tickets: unknown, zero, settled twice or released after settling change nothing.
    void strayTicketsAreHarmless_data()
    {
        QTest::addColumn<QString>("what");
        QTest::newRow("zero ticket settled") << u"settle 0"_s;
        QTest::newRow("zero ticket released") << u"release 0"_s;
        QTest::newRow("unknown ticket settled") << u"settle unknown"_s;
        QTest::newRow("unknown ticket released") << u"release unknown"_s;
        QTest::newRow("settled twice") << u"settle twice"_s;
        QTest::newRow("released after settling") << u"release settled"_s;
    }
    void strayTicketsAreHarmless()
    {
        QFETCH(QString, what);
        RateLimiter limits = limiter({rule(u"rl_a"_s, Scope::Key, u"alice"_s, 10, 1000)});
        const auto admitted = limits.admit(request(u"alice"_s), 300);
        limits.settle(admitted.ticket, 300);
        const quint64 stray = what.endsWith(u" 0"_s)        ? 0
                              : what.endsWith(u"unknown"_s) ? admitted.ticket + 1000
                                                            : admitted.ticket;
        if (what.startsWith(u"settle"_s))
            limits.settle(stray, 0);
        else
            limits.release(stray);
        const auto probe = limits.admit(request(u"alice"_s), 0);
        QCOMPARE(header(probe, "x-ratelimit-remaining-requests"), QByteArray("8"));
        QCOMPARE(header(probe, "x-ratelimit-remaining-tokens"), QByteArray("700"));
    }

    // A request that never reached the provider gives back its request and its tokens.
    void releaseGivesBackRequestAndTokens()
    {
        RateLimiter limits = limiter({rule(u"rl_a"_s, Scope::Key, u"alice"_s, 2, 1000)});
        const auto kept = limits.admit(request(u"alice"_s), 300);
        const auto deniedByBudget = limits.admit(request(u"alice"_s), 600);
        QVERIFY(kept.allowed && deniedByBudget.allowed);
        QVERIFY(!limits.admit(request(u"alice"_s), 0).allowed);
        limits.release(deniedByBudget.ticket);
        QCOMPARE(limits.openTicketCount(), 1);
        const auto probe = limits.admit(request(u"alice"_s), 700);
        QVERIFY(probe.allowed);
        QCOMPARE(header(probe, "x-ratelimit-remaining-requests"), QByteArray("0"));
        QCOMPARE(header(probe, "x-ratelimit-remaining-tokens"), QByteArray("0"));
    }

    // Rotating keys or model names cannot grow the limiter: refilled idle buckets are swept, and
    // a rule holds at most maxSubjects buckets, keeping the heavy users' debts.
    void memoryIsBounded_data()
    {
        QTest::addColumn<qint64>("stepMs"); // clock advance per request
        QTest::addColumn<int>("maxSubjects");
        QTest::addColumn<int>("bound");

        QTest::newRow("buckets refill between requests: swept") << 1'000LL << 10'000 << 64;
        QTest::newRow("frozen clock: capped") << 0LL << 500 << 500;
        QTest::newRow("slow refill: capped") << 1LL << 300 << 300;
    }
    void memoryIsBounded()
    {
        QFETCH(qint64, stepMs);
        QFETCH(int, maxSubjects);
        QFETCH(int, bound);
        RateLimiter limits = limiter({rule(u"rl_keys"_s, Scope::Key, u"*"_s, 60),
                                      rule(u"rl_models"_s, Scope::Model, u"*"_s, 0, 10'000)},
                                     maxSubjects);
        // The heavy user exhausts both of their buckets first.
        for (int i = 0; i < 60; ++i)
            QVERIFY(limits.admit(request(u"heavy"_s, u"big"_s), i == 0 ? 10'000 : 0).allowed);
        QVERIFY(!limits.admit(request(u"heavy"_s, u"big"_s), 0).allowed);

        int most = 0;
        for (int i = 0; i < 20'000; ++i) {
            const QString name = QString::number(i);
            const auto decision = limits.admit(request(name, name), 100);
            QVERIFY(decision.allowed);
            limits.settle(decision.ticket, 100);
            most = std::max(most, limits.bucketCount());
            m_now += stepMs;
        }
        QVERIFY2(most <= 2 * bound, qPrintable(QString::number(most)));
        // The heavy user's key bucket was kept: it holds what has not drained yet.
        const qint64 stillUsed = std::max<qint64>(0, 60 - 20'000 * stepMs / 1'000);
        const auto heavy = limits.admit(request(u"heavy"_s, u"other"_s), 0);
        QCOMPARE(heavy.allowed, stillUsed < 60);
        if (heavy.allowed)
            QCOMPARE(header(heavy, "x-ratelimit-remaining-requests"),
                     QByteArray::number(60 - stillUsed - 1));
    }

    // Buckets with a request in flight are not dropped: its settlement must land.
    void openTicketsKeepTheirBuckets()
    {
        RateLimiter limits = limiter({rule(u"rl_keys"_s, Scope::Key, u"*"_s, 0, 1000)}, 2);
        const auto a = limits.admit(request(u"a"_s), 0);
        const auto b = limits.admit(request(u"b"_s), 0);
        m_now += 60'000;
        QVERIFY(limits.admit(request(u"c"_s), 0).allowed); // no idle bucket to drop: grows
        QCOMPARE(limits.bucketCount(), 3);
        limits.settle(a.ticket, 900); // the under-estimate lands on a's bucket
        const auto probe = limits.admit(request(u"a"_s), 0);
        QCOMPARE(header(probe, "x-ratelimit-remaining-tokens"), QByteArray("100"));
        limits.settle(b.ticket, 0);
    }

    void limitHeaders_data()
    {
        QTest::addColumn<QList<RateLimitRule>>("rules");
        QTest::addColumn<qint64>("estimate");
        QTest::addColumn<HttpHeaders>("expected");

        QTest::newRow("requests and tokens of one rule")
            << QList<RateLimitRule>{rule(u"rl_1"_s, Scope::Key, u"alice"_s, 60, 1000)} << 100LL
            << HttpHeaders{{"x-ratelimit-limit-requests", "60"},
                           {"x-ratelimit-remaining-requests", "59"},
                           {"x-ratelimit-reset-requests", "1s"},
                           {"x-ratelimit-limit-tokens", "1000"},
                           {"x-ratelimit-remaining-tokens", "900"},
                           {"x-ratelimit-reset-tokens", "6s"}};
        QTest::newRow("tightest rule of each kind")
            << QList<RateLimitRule>{rule(u"rl_key"_s, Scope::Key, u"alice"_s, 100, 150'000),
                                    rule(u"rl_model"_s, Scope::Model, u"*"_s, 10, 2'000'000)}
            << 50'000LL << HttpHeaders{{"x-ratelimit-limit-requests", "10"},
                                       {"x-ratelimit-remaining-requests", "9"},
                                       {"x-ratelimit-reset-requests", "6s"},
                                       {"x-ratelimit-limit-tokens", "150000"},
                                       {"x-ratelimit-remaining-tokens", "100000"},
                                       {"x-ratelimit-reset-tokens", "20s"}};
        QTest::newRow("a limit of one")
            << QList<RateLimitRule>{rule(u"rl_key"_s, Scope::Key, u"alice"_s, 1),
                                    rule(u"rl_model"_s, Scope::Model, u"gpt-4o"_s, 0, 1)}
            << 1LL
            << HttpHeaders{
                   {"x-ratelimit-limit-requests", "1"},    {"x-ratelimit-remaining-requests", "0"},
                   {"x-ratelimit-reset-requests", "1m0s"}, {"x-ratelimit-limit-tokens", "1"},
                   {"x-ratelimit-remaining-tokens", "0"},  {"x-ratelimit-reset-tokens", "1m0s"}};
        QTest::newRow("tokens only")
            << QList<RateLimitRule>{rule(u"rl_1"_s, Scope::Model, u"gpt-4o"_s, 0, 90'000)}
            << 1'500LL
            << HttpHeaders{{"x-ratelimit-limit-tokens", "90000"},
                           {"x-ratelimit-remaining-tokens", "88500"},
                           {"x-ratelimit-reset-tokens", "1s"}};
    }
    void limitHeaders()
    {
        QFETCH(QList<RateLimitRule>, rules);
        QFETCH(qint64, estimate);
        QFETCH(HttpHeaders, expected);
        RateLimiter limits = limiter(rules);
        const auto decision = limits.admit(request(u"alice"_s), estimate);
        QVERIFY(decision.allowed);
        QCOMPARE(decision.headers, expected);
    }

    void durationText_data()
    {
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("zero") << 0LL << QByteArray("0s");
        QTest::newRow("1ms") << 1LL << QByteArray("1ms");
        QTest::newRow("120ms") << 120LL << QByteArray("120ms");
        QTest::newRow("999ms") << 999LL << QByteArray("999ms");
        QTest::newRow("1s") << 1'000LL << QByteArray("1s");
        QTest::newRow("1.001s") << 1'001LL << QByteArray("1.001s");
        QTest::newRow("1.25s") << 1'250LL << QByteArray("1.25s");
        QTest::newRow("59.5s") << 59'500LL << QByteArray("59.5s");
        QTest::newRow("1m0s") << 60'000LL << QByteArray("1m0s");
        QTest::newRow("2m30s") << 150'000LL << QByteArray("2m30s");
        QTest::newRow("6m0s") << 360'000LL << QByteArray("6m0s");
        QTest::newRow("2m59.56s") << 179'560LL << QByteArray("2m59.56s");
        QTest::newRow("1h0m0s") << 3'600'000LL << QByteArray("1h0m0s");
        QTest::newRow("1h2m3.004s") << 3'723'004LL << QByteArray("1h2m3.004s");
    }
    void durationText()
    {
        QFETCH(qint64, ms);
        QFETCH(QByteArray, text);
        QCOMPARE(RateLimiter::durationText(ms), text);
    }

    // Refused: the retry-after header is the wait in whole seconds, rounded up.
    void retryAfterRoundsUp_data()
    {
        QTest::addColumn<qint64>("requestsPerMinute");
        QTest::addColumn<QByteArray>("retryAfter");
        QTest::addColumn<QByteArray>("reset");
        QTest::newRow("1000 rpm: 60 ms") << 1000LL << QByteArray("1") << QByteArray("1m0s");
        QTest::newRow("60 rpm: 1 s") << 60LL << QByteArray("1") << QByteArray("1m0s");
        QTest::newRow("40 rpm: 1.5 s") << 40LL << QByteArray("2") << QByteArray("1m0s");
        QTest::newRow("7 rpm: 8.572 s") << 7LL << QByteArray("9") << QByteArray("1m0s");
    }
    void retryAfterRoundsUp()
    {
        QFETCH(qint64, requestsPerMinute);
        QFETCH(QByteArray, retryAfter);
        QFETCH(QByteArray, reset);
        RateLimiter limits = limiter({rule(u"rl_1"_s, Scope::Key, u"alice"_s, requestsPerMinute)});
        for (qint64 i = 0; i < requestsPerMinute; ++i)
            limits.admit(request(u"alice"_s), 0);
        const auto refused = limits.admit(request(u"alice"_s), 0);
        QVERIFY(!refused.allowed);
        QCOMPARE(header(refused, "retry-after"), retryAfter);
        QCOMPARE(header(refused, "x-ratelimit-remaining-requests"), QByteArray("0"));
        QCOMPARE(header(refused, "x-ratelimit-reset-requests"), reset);
    }

    // A wall clock that steps back drains nothing but does not wedge the limits either.
    void clockSteppingBack()
    {
        RateLimiter limits = limiter({rule(u"rl_1"_s, Scope::Key, u"alice"_s, 60)});
        for (int i = 0; i < 60; ++i)
            limits.admit(request(u"alice"_s), 0);
        m_now -= 3'600'000;
        const auto refused = limits.admit(request(u"alice"_s), 0);
        QVERIFY(!refused.allowed);
        QCOMPARE(refused.retryAfterMs, 1'000LL);
        m_now += 1'000;
        QVERIFY(limits.admit(request(u"alice"_s), 0).allowed);
    }

    void ruleJson_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error"); // empty: valid, and toJson gives back the same rule

        QTest::newRow("key rpm")
            << QByteArray(R"({"id":"rl_1","scope":"key","subject":"alice","requestsPerMinute":60})")
            << QString();
        QTest::newRow("each model, both")
            << QByteArray(
                   R"({"id":"rl_2","scope":"model","subject":"*","requestsPerMinute":5,"tokensPerMinute":90000})")
            << QString();
        QTest::newRow("flow tpm, no id yet")
            << QByteArray(R"({"scope":"flow","subject":"nightly","tokensPerMinute":1000})")
            << QString();
        QTest::newRow("unknown scope")
            << QByteArray(R"({"id":"rl_1","scope":"user","subject":"a","requestsPerMinute":1})")
            << u"scope must be one of"_s;
        QTest::newRow("unknown field")
            << QByteArray(R"({"id":"rl_1","scope":"key","subject":"a","requestsPerSecond":1})")
            << u"unknown field 'requestsPerSecond'"_s;
        QTest::newRow("no limit") << QByteArray(R"({"id":"rl_1","scope":"key","subject":"a"})")
                                  << u"needs requestsPerMinute"_s;
        QTest::newRow("zero")
            << QByteArray(R"({"id":"rl_1","scope":"key","subject":"a","requestsPerMinute":0})")
            << u"whole number from 1"_s;
        QTest::newRow("fraction")
            << QByteArray(R"({"id":"rl_1","scope":"key","subject":"a","tokensPerMinute":1.5})")
            << u"whole number from 1"_s;
        QTest::newRow("string")
            << QByteArray(R"({"id":"rl_1","scope":"key","subject":"a","tokensPerMinute":"100"})")
            << u"whole number from 1"_s;
        QTest::newRow("no subject")
            << QByteArray(R"({"id":"rl_1","scope":"model","requestsPerMinute":1})")
            << u"subject is required"_s;
    }
    void ruleJson()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        const QJsonObject object = QJsonDocument::fromJson(json).object();
        QString message;
        const auto parsed = RateLimitRule::fromJson(object, &message);
        if (!error.isEmpty()) {
            QVERIFY(!parsed);
            QVERIFY2(message.contains(error), qPrintable(message));
            return;
        }
        QVERIFY2(parsed, qPrintable(message));
        const auto again = RateLimitRule::fromJson(parsed->toJson(), &message);
        QVERIFY(again);
        QCOMPARE(again->toJson(), parsed->toJson());
        for (auto it = object.begin(); it != object.end(); ++it)
            QCOMPARE(parsed->toJson().value(it.key()), QJsonValue(it.value()));
    }
};

QTEST_GUILESS_MAIN(tst_RateLimiter)
#include "tst_ratelimiter.moc"
