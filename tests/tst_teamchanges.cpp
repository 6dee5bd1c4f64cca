// Team mode with real processes: what the operator changes through one gatehouse's admin API
// (aliases, rate limits, credentials, API keys, the kill switch) applies on another gatehouse
// on the same PostgreSQL database at once, seen through real requests to that other one.
#include "postgresserver.h"
#include "teaminstance.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

// How long a change on one instance may take to apply on the other here (the promise is a
// second; a busy test machine gets more).
constexpr int kWaitMs = 5000;

} // namespace

class TestTeamChanges : public QObject
{
    Q_OBJECT

    PostgresServer m_server;
    std::unique_ptr<TeamInstance> m_here;      // where requests are sent
    std::unique_ptr<TeamInstance> m_elsewhere; // where the operator changes things

    // A quick chat request to the first instance; its status.
    int status(const QByteArray &key = TeamInstance::exampleKey,
               const QString &model = u"gpt-4o-mini"_s)
    {
        RawHttpClient client;
        if (!client.connectTo(m_here->port()))
            return 0;
        client.send(teamChatRequest(teamChatBody(0, model), m_here->port(), key));
        const auto response = client.readResponse(30'000);
        return response ? response->status : 0;
    }

    // A change through the other instance's admin API; its answer when it has the status.
    std::optional<QJsonObject> change(const QByteArray &method, const QByteArray &path,
                                      const QJsonObject &body, int expected)
    {
        const auto response = m_elsewhere->admin(method, path, body);
        if (!response || response->status != expected) {
            qWarning() << method << path << "answered" << (response ? response->status : 0)
                       << (response ? response->body : QByteArray());
            return std::nullopt;
        }
        return QJsonDocument::fromJson(response->body).object();
    }

    // A slow stream on the first instance, running once its first bytes are in.
    bool startStream(RawHttpClient &client, int seconds)
    {
        if (!client.connectTo(m_here->port()))
            return false;
        client.send(teamChatRequest(teamChatBody(seconds, u"gpt-4o-mini"_s, true), m_here->port()));
        return client.waitForBytes(1, 30'000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        m_here = std::make_unique<TeamInstance>();
        QVERIFY(m_here->start(m_server.url()));
        m_elsewhere = std::make_unique<TeamInstance>();
        QVERIFY(m_elsewhere->start(m_server.url()));
        QCOMPARE(status(), 200);
    }

    void cleanupTestCase()
    {
        m_elsewhere.reset();
        m_here.reset();
    }

    void anAliasAddedOrRemovedElsewhereRoutesHere()
    {
        QCOMPARE(status(TeamInstance::exampleKey, u"team-alias"_s), 404);
        QVERIFY(change("PUT", "/admin/v1/aliases/team-alias",
                       {{u"provider"_s, u"simulator"_s}, {u"model"_s, u"gpt-4o"_s}}, 200));
        QTRY_COMPARE_WITH_TIMEOUT(status(TeamInstance::exampleKey, u"team-alias"_s), 200, kWaitMs);
        QVERIFY(change("DELETE", "/admin/v1/aliases/team-alias", {}, 200));
        QTRY_COMPARE_WITH_TIMEOUT(status(TeamInstance::exampleKey, u"team-alias"_s), 404, kWaitMs);
        // The configuration file's alias stays as it was.
        QCOMPARE(status(), 200);
    }

    void aRateLimitAddedOrRemovedElsewhereAppliesHere()
    {
        const auto rule = change("POST", "/admin/v1/rate-limits",
                                 {{u"scope"_s, u"model"_s},
                                  {u"subject"_s, u"gpt-4o-mini"_s},
                                  {u"requestsPerMinute"_s, 1}},
                                 201);
        QVERIFY(rule);
        QTRY_COMPARE_WITH_TIMEOUT(status(), 429, kWaitMs);
        QVERIFY(change("DELETE",
                       "/admin/v1/rate-limits/" + rule->value(u"id"_s).toString().toUtf8(), {},
                       200));
        QTRY_COMPARE_WITH_TIMEOUT(status(), 200, kWaitMs);
    }

    void aCredentialMintedElsewhereWorksHereUntilRevokedThere()
    {
        const auto minted = change("POST", "/admin/v1/credentials", {}, 201);
        QVERIFY(minted);
        const QByteArray token = minted->value(u"token"_s).toString().toUtf8();
        QVERIFY(token.startsWith("ghrt_"));
        QTRY_COMPARE_WITH_TIMEOUT(status(token), 200, kWaitMs);
        QVERIFY(change("DELETE",
                       "/admin/v1/credentials/" + minted->value(u"id"_s).toString().toUtf8(), {},
                       200));
        QTRY_COMPARE_WITH_TIMEOUT(status(token), 401, kWaitMs);
    }

    void anApiKeyCreatedElsewhereWorksHereUntilRevokedThere()
    {
        const auto created = change("POST", "/admin/v1/keys", {{u"name"_s, u"team-key"_s}}, 201);
        QVERIFY(created);
        const QByteArray key = created->value(u"key"_s).toString().toUtf8();
        QTRY_COMPARE_WITH_TIMEOUT(status(key), 200, kWaitMs);
        QVERIFY(change("DELETE", "/admin/v1/keys/team-key", {}, 200));
        QTRY_COMPARE_WITH_TIMEOUT(status(key), 401, kWaitMs);
        QCOMPARE(status(), 200); // the configuration file's key stays
    }

    void aCutOrderElsewhereCutsAStreamRunningHere()
    {
        RawHttpClient stream;
        QVERIFY(startStream(stream, 30));
        QVERIFY(change(
            "POST", "/admin/v1/kill-switch",
            {{u"scope"_s, u"all"_s}, {u"mode"_s, u"cut"_s}, {u"reason"_s, u"incident"_s}}, 200));
        // Ended long before its 30 seconds, with the kill switch's error event.
        const auto cut = stream.readResponse(kWaitMs);
        QVERIFY(cut);
        QVERIFY2(cut->body.contains("Cut by the operator's kill switch: incident"),
                 cut->body.constData());
        QVERIFY(change("DELETE", "/admin/v1/kill-switch/all", {}, 200));
        QTRY_COMPARE_WITH_TIMEOUT(status(), 200, kWaitMs);
    }

    void aFinishOrderElsewhereLetsAStreamRunningHereFinish()
    {
        constexpr int kStreamSeconds = 8;
        QElapsedTimer running;
        running.start();
        RawHttpClient stream;
        QVERIFY(startStream(stream, kStreamSeconds));
        QVERIFY(change("POST", "/admin/v1/kill-switch",
                       {{u"scope"_s, u"all"_s}, {u"mode"_s, u"finish"_s}, {u"reason"_s, u"calm"_s}},
                       200));
        // The order stands here while the stream still runs...
        QTRY_COMPARE_WITH_TIMEOUT(status(), 403, kWaitMs);
        QVERIFY(running.elapsed() < kStreamSeconds * 1000);
        // ...and the stream ends as it would have.
        const auto finished = stream.readResponse(30'000);
        QVERIFY(finished);
        QCOMPARE(finished->status, 200);
        QVERIFY2(finished->body.contains("[DONE]") && !finished->body.contains("kill switch"),
                 finished->body.constData());
        QVERIFY(change("DELETE", "/admin/v1/kill-switch/all", {}, 200));
        QTRY_COMPARE_WITH_TIMEOUT(status(), 200, kWaitMs);
    }

    // The database restarts: the notifications of that moment are lost with the connections, so
    // an instance that makes a new connection reads the whole shared state again. The change
    // made on the other instance right after the restart applies here whichever comes first.
    void aChangeAroundADatabaseRestartAppliesHere()
    {
        QString error;
        QVERIFY2(m_server.stop(&error), qPrintable(error));
        QVERIFY2(m_server.restart(&error), qPrintable(error));
        QVERIFY(change("PUT", "/admin/v1/aliases/after-restart",
                       {{u"provider"_s, u"simulator"_s}, {u"model"_s, u"gpt-4o"_s}}, 200));
        QTRY_COMPARE_WITH_TIMEOUT(status(TeamInstance::exampleKey, u"after-restart"_s), 200,
                                  kWaitMs + 2 * 2000);
        QCOMPARE(status(), 200);
    }
};

QTEST_GUILESS_MAIN(TestTeamChanges)
#include "tst_teamchanges.moc"
