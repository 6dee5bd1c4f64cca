// Who is calling, end to end over loopback: the admin API mints runtime credentials that work
// on both API families, carry their subject into every ledger row, restrict models by every
// layer, expire, are revoked (a running stream finishes), survive a restart; runtime sessions
// are namespaced by their owner; direct aliases are handed out as ungoverned.
#include "gatewayfixture.h"
#include "requestbodies.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QNetworkInterface>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QString errorMessage(const RawHttpResponse &response)
{
    return GatewayFixture::json(response)
        .value(u"error"_s)
        .toObject()
        .value(u"message"_s)
        .toString();
}

} // namespace

class tst_GatewayIdentity : public QObject
{
    Q_OBJECT

    GatewayFixture m_fixture;

    QJsonObject mint(const QJsonObject &request)
    {
        const auto response = m_fixture.admin("POST", "/admin/v1/credentials", request);
        if (!response || response->status != 201) {
            qWarning() << "mint failed:" << (response ? response->body : QByteArray("no answer"));
            return {};
        }
        return GatewayFixture::json(*response);
    }
    static QByteArray tokenOf(const QJsonObject &minted)
    {
        return minted.value(u"token"_s).toString().toLatin1();
    }
    std::optional<RawHttpResponse> chatAs(const QByteArray &token, const QString &model,
                                          const QByteArray &headers = {},
                                          const QJsonObject &extra = {})
    {
        return m_fixture.call("POST", "/openai/v1/chat/completions",
                              RequestBodies::chat(model, u"hello"_s, false, extra), token, headers);
    }
    std::optional<RawHttpResponse> messageAs(const QByteArray &token, const QString &model,
                                             const QByteArray &headers = {},
                                             const QJsonObject &extra = {})
    {
        return m_fixture.call("POST", "/anthropic/v1/messages",
                              RequestBodies::message(model, u"hi"_s, 16, extra), token, headers);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_fixture.start(&error), qPrintable(error));
    }

    void adminTokenIsPrivateAndRequired()
    {
        const QFileInfo token(QDir(m_fixture.dataDir()).filePath(u"admin-token"_s));
        QVERIFY(token.exists());
        QCOMPARE(token.permissions() &
                     ~(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser),
                 QFile::Permissions());
        const auto missing = m_fixture.exchange(
            rawRequest("GET", "/admin/v1/credentials", {}, {}, m_fixture.port()));
        QVERIFY(missing);
        QCOMPARE(missing->status, 401);
        const auto wrong = m_fixture.call("GET", "/admin/v1/credentials", {}, "ghadm_wrong");
        QCOMPARE(wrong->status, 401);
        // A caller key is not an admin token.
        const auto callerKey = m_fixture.call("GET", "/admin/v1/credentials", {});
        QCOMPARE(callerKey->status, 401);
        QCOMPARE(m_fixture.admin("GET", "/admin/v1/credentials")->status, 200);
        QCOMPARE(m_fixture.admin("GET", "/admin/v1/nothing")->status, 404);
        const auto url = QFile(QDir(m_fixture.dataDir()).filePath(u"listen-url"_s));
        QVERIFY(url.exists());
    }

    void mintedCredentialWorksOnBothFamilies()
    {
        const QJsonObject minted = mint({{u"principal"_s, u"sdk"_s}, {u"model"_s, u"fast"_s}});
        QVERIFY(tokenOf(minted).startsWith("ghrt_"));
        QCOMPARE(minted.value(u"governed"_s).toBool(), true);
        QCOMPARE(minted.value(u"openaiBaseUrl"_s).toString(),
                 u"http://127.0.0.1:%1/openai/v1"_s.arg(m_fixture.port()));
        QCOMPARE(minted.value(u"anthropicBaseUrl"_s).toString(),
                 u"http://127.0.0.1:%1/anthropic"_s.arg(m_fixture.port()));
        QVERIFY(minted.value(u"expiresAtMs"_s).toDouble() > QDateTime::currentMSecsSinceEpoch());

        const auto openai = chatAs(tokenOf(minted), u"fast"_s);
        QCOMPARE(openai->status, 200);
        // Claude Code sends its token as x-api-key when it comes from ANTHROPIC_API_KEY.
        const auto anthropic = m_fixture.exchange(
            rawRequest("POST", "/anthropic/v1/messages",
                       RequestBodies::message(u"claude-haiku-4-5"_s, u"hi"_s, 16),
                       "x-api-key: " + tokenOf(minted) + "\r\nContent-Type: application/json\r\n",
                       m_fixture.port()));
        QCOMPARE(anthropic->status, 200);

        const QVariantMap row = m_fixture.ledgerRow(*openai);
        QCOMPARE(row.value(u"account"_s).toString(), u"default"_s);
        QCOMPARE(row.value(u"credential_id"_s).toString(), minted.value(u"id"_s).toString());
        QCOMPARE(row.value(u"principal"_s).toString(), u"sdk"_s);
        QCOMPARE(row.value(u"principal_type"_s).toString(), u"sdk"_s);
        QCOMPARE(row.value(u"provider"_s).toString(), u"simulator"_s);
        QCOMPARE(row.value(u"model_alias"_s).toString(), u"fast"_s);
        QVERIFY(row.value(u"runtime_session"_s).toString().startsWith(u"rs_"_s));
        QCOMPARE(row.value(u"governed"_s).toInt(), 1);
    }

    void unknownAndMalformedTokensAreRefusedInTheCallersShape()
    {
        const auto openai = chatAs("ghrt_0123456789abcdef_notarealsecret", u"fast"_s);
        QCOMPARE(openai->status, 401);
        QCOMPARE(errorMessage(*openai), u"unknown runtime credential"_s);
        const auto anthropic = messageAs("ghrt_garbage", u"claude-x"_s);
        QCOMPARE(anthropic->status, 401);
        const QJsonObject body = GatewayFixture::json(*anthropic);
        QCOMPARE(body.value(u"type"_s).toString(), u"error"_s);
        QCOMPARE(body.value(u"error"_s).toObject().value(u"type"_s).toString(),
                 u"authentication_error"_s);
    }

    void executionScopeIsRecordedOnEveryRow()
    {
        const auto opened = m_fixture.admin("POST", "/admin/v1/executions",
                                            {{u"flow"_s, u"nightly"_s},
                                             {u"principal"_s, u"codex"_s},
                                             {u"command"_s, u"codex exec fix"_s}});
        QCOMPARE(opened->status, 201);
        const QString execution = GatewayFixture::json(*opened).value(u"id"_s).toString();
        QVERIFY(execution.startsWith(u"ex_"_s));
        const QJsonObject minted =
            mint({{u"execution"_s, execution}, {u"principal"_s, u"codex"_s}});
        QCOMPARE(minted.value(u"flow"_s).toString(), u"nightly"_s);
        const auto response = m_fixture.call(
            "POST", "/openai/v1/responses", R"({"model":"gpt-5-mini","input":"hi","stream":false})",
            tokenOf(minted), "session-id: 0190c0de-0000-7000-8000-000000000001\r\n");
        QCOMPARE(response->status, 200);
        const QVariantMap row = m_fixture.ledgerRow(*response);
        QCOMPARE(row.value(u"flow"_s).toString(), u"nightly"_s);
        QCOMPARE(row.value(u"execution_id"_s).toString(), execution);
        QCOMPARE(row.value(u"principal_type"_s).toString(), u"codex"_s);
        const auto sessions = m_fixture.ledger().query(
            u"SELECT source, external_id, execution_id FROM runtime_sessions WHERE id = ?"_s,
            {row.value(u"runtime_session"_s)});
        QCOMPARE(sessions.size(), 1);
        QCOMPARE(sessions.first().value(u"source"_s).toString(), u"codex"_s);
        QCOMPARE(sessions.first().value(u"external_id"_s).toString(),
                 u"0190c0de-0000-7000-8000-000000000001"_s);

        const auto closed =
            m_fixture.admin("POST", "/admin/v1/executions/" + execution.toLatin1() + "/close",
                            {{u"exitStatus"_s, 3}});
        QCOMPARE(closed->status, 200);
        QCOMPARE(GatewayFixture::json(*closed).value(u"status"_s).toString(), u"failed"_s);
        QCOMPARE(GatewayFixture::json(*closed).value(u"exitStatus"_s).toInt(), 3);
        // No new credential for an execution that ended.
        const auto late =
            m_fixture.admin("POST", "/admin/v1/credentials", {{u"execution"_s, execution}});
        QCOMPARE(late->status, 409);
    }

    void allowedModelsAreTheIntersectionOfEveryLayer()
    {
        QCOMPARE(m_fixture
                     .admin("PUT", "/admin/v1/flows/reviews",
                            {{u"allowedModels"_s, QJsonArray{u"claude-*"_s, u"fast"_s}}})
                     ->status,
                 200);
        QCOMPARE(m_fixture
                     .admin("PUT", "/admin/v1/principals/reviewer",
                            {{u"type"_s, u"claude-code"_s},
                             {u"allowedModels"_s, QJsonArray{u"claude-*"_s}}})
                     ->status,
                 200);
        const QJsonObject minted = mint({{u"flow"_s, u"reviews"_s},
                                         {u"principal"_s, u"reviewer"_s},
                                         {u"allowedModels"_s, QJsonArray{u"claude-haiku-*"_s}}});
        const QByteArray token = tokenOf(minted);
        QVERIFY(!token.isEmpty());
        QCOMPARE(messageAs(token, u"claude-haiku-4-5"_s)->status, 200);

        // Allowed by flow and principal, not by the credential.
        const auto sonnet = messageAs(token, u"claude-sonnet-4-5"_s);
        QCOMPARE(sonnet->status, 403);
        const QJsonObject error = GatewayFixture::json(*sonnet).value(u"error"_s).toObject();
        QCOMPARE(error.value(u"type"_s).toString(), u"permission_error"_s);
        QVERIFY2(
            error.value(u"message"_s).toString().contains(u"'claude-sonnet-4-5'"_s) &&
                error.value(u"message"_s).toString().contains(minted.value(u"id"_s).toString()),
            qPrintable(error.value(u"message"_s).toString()));
        // Allowed by the flow, not by the principal: the first layer that forbids is named.
        const auto fast = chatAs(token, u"fast"_s);
        QCOMPARE(fast->status, 403);
        QVERIFY2(errorMessage(*fast).contains(u"runtime principal 'reviewer'"_s),
                 qPrintable(errorMessage(*fast)));
        QCOMPARE(m_fixture.ledgerRow(*fast).value(u"outcome"_s).toString(), u"denied_model"_s);

        // The models list shows only what this caller may use.
        const auto models = m_fixture.call("GET", "/anthropic/v1/models", {}, token);
        QCOMPARE(models->status, 200);
        QStringList ids;
        for (const QJsonValue &model : GatewayFixture::json(*models).value(u"data"_s).toArray())
            ids += model.toObject().value(u"id"_s).toString();
        QCOMPARE(ids, QStringList());
        QCOMPARE(m_fixture
                     .admin("PUT", "/admin/v1/aliases/claude-haiku-latest",
                            {{u"provider"_s, u"simulator"_s}, {u"model"_s, u"claude-haiku-4-5"_s}})
                     ->status,
                 200);
        const auto after = m_fixture.call("GET", "/openai/v1/models", {}, token);
        ids.clear();
        for (const QJsonValue &model : GatewayFixture::json(*after).value(u"data"_s).toArray())
            ids += model.toObject().value(u"id"_s).toString();
        QCOMPARE(ids, QStringList{u"claude-haiku-latest"_s});
        // Changing a flow applies to credentials already minted.
        m_fixture.admin("PUT", "/admin/v1/flows/reviews",
                        {{u"allowedModels"_s, QJsonArray{u"gpt-*"_s}}});
        const auto narrowed = messageAs(token, u"claude-haiku-4-5"_s);
        QCOMPARE(narrowed->status, 403);
        QVERIFY2(errorMessage(*narrowed).contains(u"flow 'reviews'"_s),
                 qPrintable(errorMessage(*narrowed)));
    }

    void mintingChecksItsScope()
    {
        QCOMPARE(m_fixture.admin("POST", "/admin/v1/credentials", {{u"principal"_s, u"robot"_s}})
                     ->status,
                 400);
        QCOMPARE(
            m_fixture.admin("POST", "/admin/v1/credentials", {{u"model"_s, u"no-such"_s}})->status,
            404);
        QCOMPARE(m_fixture.admin("POST", "/admin/v1/credentials", {{u"ttlSeconds"_s, 0}})->status,
                 400);
        QCOMPARE(
            m_fixture.admin("POST", "/admin/v1/credentials", {{u"ttlSeconds"_s, 10 * 24 * 3600}})
                ->status,
            400);
        QCOMPARE(
            m_fixture.admin("POST", "/admin/v1/credentials", {{u"apiKey"_s, u"nobody"_s}})->status,
            404);
        const auto bad = m_fixture.call("POST", "/admin/v1/credentials", "{not json", [&] {
            QFile f(QDir(m_fixture.dataDir()).filePath(u"admin-token"_s));
            f.open(QIODevice::ReadOnly);
            return f.readAll().trimmed();
        }());
        QCOMPARE(bad->status, 400);
    }

    void concurrentMintingGivesDistinctWorkingCredentials()
    {
        QFile tokenFile(QDir(m_fixture.dataDir()).filePath(u"admin-token"_s));
        QVERIFY(tokenFile.open(QIODevice::ReadOnly));
        const QByteArray admin = tokenFile.readAll().trimmed();
        constexpr int kClients = 24;
        std::vector<std::unique_ptr<RawHttpClient>> clients;
        for (int i = 0; i < kClients; ++i) {
            auto client = std::make_unique<RawHttpClient>();
            QVERIFY(client->connectTo(m_fixture.port()));
            clients.push_back(std::move(client));
        }
        const QByteArray body = R"({"principal":"sdk","ttlSeconds":600})";
        for (auto &client : clients)
            client->send(rawRequest("POST", "/admin/v1/credentials", body,
                                    "Authorization: Bearer " + admin + "\r\n", m_fixture.port()));
        QSet<QString> ids;
        QSet<QByteArray> tokens;
        for (auto &client : clients) {
            const auto response = client->readResponse(20'000);
            QVERIFY(response);
            QCOMPARE(response->status, 201);
            const QJsonObject minted = GatewayFixture::json(*response);
            ids.insert(minted.value(u"id"_s).toString());
            tokens.insert(tokenOf(minted));
        }
        QCOMPARE(ids.size(), kClients);
        QCOMPARE(tokens.size(), kClients);
        for (const QByteArray &token : std::as_const(tokens))
            QCOMPARE(chatAs(token, u"fast"_s)->status, 200);
        const auto listed = m_fixture.admin("GET", "/admin/v1/credentials");
        QVERIFY(!listed->body.contains("ghrt_")); // listings never show a token
    }

    void expiredCredentialIsRefusedWithItsReason()
    {
        const QJsonObject minted = mint({{u"ttlSeconds"_s, 1}});
        const QByteArray token = tokenOf(minted);
        QCOMPARE(chatAs(token, u"fast"_s)->status, 200);
        const qint64 expiresAt = qint64(minted.value(u"expiresAtMs"_s).toDouble());
        QTRY_VERIFY_WITH_TIMEOUT(QDateTime::currentMSecsSinceEpoch() >= expiresAt, 5000);
        const auto expired = chatAs(token, u"fast"_s);
        QCOMPARE(expired->status, 401);
        QVERIFY2(errorMessage(*expired).contains(u"expired"_s), qPrintable(errorMessage(*expired)));
        QCOMPARE(m_fixture.ledgerRow(*expired).value(u"outcome"_s).toString(), u"unauthorized"_s);
    }

    void revocationLetsARunningStreamFinishAndRefusesTheNextCall()
    {
        const QJsonObject minted = mint({{u"principal"_s, u"sdk"_s}});
        const QByteArray token = tokenOf(minted);
        RawHttpClient client;
        QVERIFY(client.connectTo(m_fixture.port()));
        client.send(
            rawRequest("POST", "/openai/v1/chat/completions",
                       RequestBodies::chat(u"fast"_s, u"[[sim tps=40 tokens=40]] go"_s, true),
                       "Authorization: Bearer " + token + "\r\nContent-Type: application/json\r\n",
                       m_fixture.port()));
        QVERIFY(client.waitForBytes(300));
        const auto revoked = m_fixture.admin(
            "DELETE", "/admin/v1/credentials/" + minted.value(u"id"_s).toString().toLatin1());
        QCOMPARE(revoked->status, 200);
        QCOMPARE(GatewayFixture::json(*revoked).value(u"state"_s).toString(), u"revoked"_s);
        const auto stream = client.readResponse(20'000);
        QVERIFY(stream);
        QCOMPARE(stream->status, 200);
        QVERIFY(stream->body.contains("data: [DONE]"));
        QCOMPARE(m_fixture.ledgerRow(*stream).value(u"outcome"_s).toString(), u"ok"_s);

        const auto next = chatAs(token, u"fast"_s);
        QCOMPARE(next->status, 401);
        QVERIFY2(errorMessage(*next).contains(u"revoked"_s), qPrintable(errorMessage(*next)));
    }

    void aKeyCannotAdoptAnotherKeysSession()
    {
        QStringList keys;
        for (const QString &name : {u"alice-key"_s, u"mallory-key"_s}) {
            const auto created = m_fixture.admin("POST", "/admin/v1/keys",
                                                 {{u"name"_s, name}, {u"account"_s, u"acme"_s}});
            QCOMPARE(created->status, 201);
            keys += GatewayFixture::json(*created).value(u"key"_s).toString();
        }
        const QByteArray header = "X-Gatehouse-Session-Id: shared-session-1\r\n";
        const auto alice = chatAs(keys.at(0).toLatin1(), u"fast"_s, header);
        const auto mallory = chatAs(keys.at(1).toLatin1(), u"fast"_s, header);
        QCOMPARE(alice->status, 200);
        QCOMPARE(mallory->status, 200);
        const QString aliceSession =
            m_fixture.ledgerRow(*alice).value(u"runtime_session"_s).toString();
        const QString mallorySession =
            m_fixture.ledgerRow(*mallory).value(u"runtime_session"_s).toString();
        QVERIFY(!aliceSession.isEmpty());
        QVERIFY(aliceSession != mallorySession);
        QCOMPARE(m_fixture.ledgerRow(*alice).value(u"api_key"_s).toString(), u"alice-key"_s);
        // Revoking a key stops it at once.
        QCOMPARE(m_fixture.admin("DELETE", "/admin/v1/keys/mallory-key")->status, 200);
        QCOMPARE(chatAs(keys.at(1).toLatin1(), u"fast"_s)->status, 401);
        // A key from the configuration file is changed there, not here.
        QCOMPARE(m_fixture.admin("DELETE", "/admin/v1/keys/ci")->status, 409);
    }

    void claudeCodeSubAgentsAreChildSessions()
    {
        const QByteArray token = tokenOf(mint({{u"principal"_s, u"claude-code"_s}}));
        const QByteArray parent =
            "x-claude-code-session-id: 5f0c6f6e-1111-4222-8333-944445555666\r\n";
        const auto main = messageAs(token, u"claude-haiku-4-5"_s, parent);
        const auto agent =
            messageAs(token, u"claude-haiku-4-5"_s, parent + "x-claude-code-agent-id: agent-7\r\n");
        QCOMPARE(main->status, 200);
        QCOMPARE(agent->status, 200);
        const QString mainSession =
            m_fixture.ledgerRow(*main).value(u"runtime_session"_s).toString();
        const QString agentSession =
            m_fixture.ledgerRow(*agent).value(u"runtime_session"_s).toString();
        QVERIFY(mainSession != agentSession);
        const auto rows = m_fixture.ledger().query(
            u"SELECT parent_id, source FROM runtime_sessions WHERE id = ?"_s, {agentSession});
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().value(u"parent_id"_s).toString(), mainSession);
        QCOMPARE(rows.first().value(u"source"_s).toString(), u"claude-code"_s);
        const auto listed = m_fixture.admin("GET", "/admin/v1/sessions/" + mainSession.toLatin1());
        QCOMPARE(listed->status, 200);
        QCOMPARE(GatewayFixture::json(*listed).value(u"children"_s).toArray(),
                 QJsonArray{agentSession});

        // The same header from a credential of another runtime type is not trusted.
        const QByteArray sdk = tokenOf(mint({{u"principal"_s, u"sdk"_s}}));
        const auto other = messageAs(sdk, u"claude-haiku-4-5"_s, parent);
        const QString otherSession =
            m_fixture.ledgerRow(*other).value(u"runtime_session"_s).toString();
        const auto source = m_fixture.ledger().query(
            u"SELECT source FROM runtime_sessions WHERE id = ?"_s, {otherSession});
        QCOMPARE(source.value(0).value(u"source"_s).toString(), u"fallback"_s);
        // Claude Code's session id inside metadata.user_id counts when the header is missing.
        const QJsonObject metadata{
            {u"user_id"_s,
             u"{\"device_id\":\"d1\",\"account_uuid\":\"\",\"session_id\":\"5f0c6f6e-1111-4222-8333-944445555666\"}"_s}};
        const auto viaBody =
            messageAs(token, u"claude-haiku-4-5"_s, {}, {{u"metadata"_s, metadata}});
        QCOMPARE(m_fixture.ledgerRow(*viaBody).value(u"runtime_session"_s).toString(), mainSession);
    }

    void hostileSessionValuesAreIgnored()
    {
        const QByteArray token = tokenOf(mint({{u"principal"_s, u"claude-code"_s}}));
        const QByteArray tooLong(4000, 'a');
        const auto first = chatAs(token, u"fast"_s,
                                  "X-Gatehouse-Session-Id: " + tooLong +
                                      "\r\nx-claude-code-session-id: bad value;drop table\r\n",
                                  {{u"prompt_cache_key"_s, QJsonArray{1, 2}}});
        QCOMPARE(first->status, 200);
        const QString session = m_fixture.ledgerRow(*first).value(u"runtime_session"_s).toString();
        const auto rows = m_fixture.ledger().query(
            u"SELECT source FROM runtime_sessions WHERE id = ?"_s, {session});
        QCOMPARE(rows.value(0).value(u"source"_s).toString(), u"fallback"_s);
        // prompt_cache_key is the last signal before the fallback.
        const auto keyed = chatAs(token, u"fast"_s, {}, {{u"prompt_cache_key"_s, u"pck-42"_s}});
        const QString keyedSession =
            m_fixture.ledgerRow(*keyed).value(u"runtime_session"_s).toString();
        const auto keyedRows = m_fixture.ledger().query(
            u"SELECT source, external_id FROM runtime_sessions WHERE id = ?"_s, {keyedSession});
        QCOMPARE(keyedRows.value(0).value(u"source"_s).toString(), u"prompt-cache-key"_s);
        QCOMPARE(keyedRows.value(0).value(u"external_id"_s).toString(), u"pck-42"_s);
    }

    void directAliasIsHandedOutUngoverned()
    {
        QCOMPARE(m_fixture
                     .admin("PUT", "/admin/v1/aliases/claude-direct",
                            {{u"provider"_s, u"simulator"_s},
                             {u"model"_s, u"claude-sonnet-4-5"_s},
                             {u"direct"_s, QJsonArray{u"claude-code"_s}}})
                     ->status,
                 200);
        const QJsonObject direct =
            mint({{u"principal"_s, u"claude-code"_s}, {u"model"_s, u"claude-direct"_s}});
        QCOMPARE(direct.value(u"governed"_s).toBool(true), false);
        QVERIFY(direct.value(u"token"_s).isNull());
        QCOMPARE(direct.value(u"upstreamModel"_s).toString(), u"claude-sonnet-4-5"_s);
        QVERIFY(!direct.value(u"notice"_s).toString().isEmpty());
        const QString base = direct.value(u"anthropicBaseUrl"_s).toString();
        QVERIFY(base.startsWith(u"http://127.0.0.1:"_s));
        QVERIFY(!base.contains(QString::number(m_fixture.port())));
        // The provider answers there directly.
        const QUrl url(base);
        const auto answered = [&] {
            RawHttpClient client;
            client.connectTo(quint16(url.port()));
            client.send(rawRequest(
                "POST", "/v1/messages", RequestBodies::message(u"claude-sonnet-4-5"_s, u"hi"_s, 16),
                "x-api-key: own-provider-key\r\nanthropic-version: 2023-06-01\r\n"
                "Content-Type: application/json\r\n",
                quint16(url.port())));
            return client.readResponse();
        }();
        QCOMPARE(answered->status, 200);
        const auto rows = m_fixture.ledger().query(
            u"SELECT governed, outcome, cost_micros, model_alias FROM usage WHERE credential_id = ?"_s,
            {direct.value(u"id"_s).toString()});
        QTRY_COMPARE(m_fixture.ledger()
                         .query(u"SELECT count(*) AS n FROM usage WHERE credential_id = ?"_s,
                                {direct.value(u"id"_s).toString()})
                         .value(0)
                         .value(u"n"_s)
                         .toInt(),
                     1);
        const auto handoff = m_fixture.ledger().query(
            u"SELECT governed, outcome, cost_micros FROM usage WHERE credential_id = ?"_s,
            {direct.value(u"id"_s).toString()});
        QCOMPARE(handoff.value(0).value(u"governed"_s).toInt(), 0);
        QCOMPARE(handoff.value(0).value(u"outcome"_s).toString(), u"ungoverned"_s);
        QVERIFY(handoff.value(0).value(u"cost_micros"_s).isNull());
        Q_UNUSED(rows);
        // For another runtime type the same alias stays governed.
        const QJsonObject governed =
            mint({{u"principal"_s, u"codex"_s}, {u"model"_s, u"claude-direct"_s}});
        QCOMPARE(governed.value(u"governed"_s).toBool(), true);
        const auto aliases = m_fixture.admin("GET", "/admin/v1/aliases/claude-direct");
        QCOMPARE(GatewayFixture::json(*aliases).value(u"governed"_s).toString(),
                 u"except for claude-code"_s);
    }

    void changesAreAudited()
    {
        QTRY_VERIFY(!m_fixture.ledger()
                         .query(u"SELECT 1 FROM admin_audit WHERE action = 'flow.put' AND "
                                "target = 'reviews' AND old_value LIKE '%claude-*%' AND "
                                "new_value LIKE '%gpt-*%'"_s)
                         .isEmpty());
        const auto tokens = m_fixture.ledger().query(
            u"SELECT count(*) AS n FROM admin_audit WHERE new_value LIKE '%ghrt_%' OR "
            "new_value LIKE '%ghk_%'"_s);
        QCOMPARE(tokens.value(0).value(u"n"_s).toInt(), 0);
    }

    void storedPatternsKeepTheirOrder()
    {
        // Two stored patterns that both match: the older one wins, after an update of it and
        // after a restart (PostgreSQL moves an updated row to the end of its table).
        const auto put = [this](const QByteArray &pattern, const QString &provider) {
            const auto answer =
                m_fixture.admin("PUT", "/admin/v1/aliases/" + pattern, {{u"provider"_s, provider}});
            QVERIFY(answer && answer->status == 200);
        };
        const auto providerFor = [this](const QString &model) {
            const auto answer = m_fixture.call(
                "POST", "/openai/v1/chat/completions",
                QJsonDocument(
                    QJsonObject{{u"model"_s, model},
                                {u"messages"_s, QJsonArray{QJsonObject{{u"role"_s, u"user"_s},
                                                                       {u"content"_s, u"hi"_s}}}}})
                    .toJson(QJsonDocument::Compact));
            return answer && answer->status == 200
                       ? m_fixture.ledgerRow(*answer).value(u"provider"_s).toString()
                       : QString();
        };
        put("ord-*", u"simulator"_s);
        put("ord-a*", u"impatient"_s);
        put("ord-*", u"simulator"_s); // an update keeps its place
        QCOMPARE(providerFor(u"ord-abc"_s), u"simulator"_s);
        m_fixture.stop();
        QString error;
        QVERIFY2(m_fixture.start(&error), qPrintable(error));
        QCOMPARE(providerFor(u"ord-abc"_s), u"simulator"_s);
        // Deleted and made again, it goes last.
        QCOMPARE(m_fixture.admin("DELETE", "/admin/v1/aliases/ord-*")->status, 200);
        put("ord-*", u"simulator"_s);
        QCOMPARE(providerFor(u"ord-abc"_s), u"impatient"_s);
        m_fixture.stop();
        QVERIFY2(m_fixture.start(&error), qPrintable(error));
        QCOMPARE(providerFor(u"ord-abc"_s), u"impatient"_s);
    }

    void credentialsSurviveARestart()
    {
        const QJsonObject kept = mint({{u"principal"_s, u"sdk"_s}, {u"ttlSeconds"_s, 600}});
        const QJsonObject revoked = mint({{u"principal"_s, u"sdk"_s}, {u"ttlSeconds"_s, 600}});
        m_fixture.admin("DELETE",
                        "/admin/v1/credentials/" + revoked.value(u"id"_s).toString().toLatin1());
        m_fixture.admin("PUT", "/admin/v1/aliases/after-restart",
                        {{u"provider"_s, u"simulator"_s}, {u"model"_s, u"gpt-4o-mini"_s}});
        m_fixture.stop();
        QString error;
        QVERIFY2(m_fixture.start(&error), qPrintable(error));
        QCOMPARE(chatAs(tokenOf(kept), u"after-restart"_s)->status, 200);
        const auto refused = chatAs(tokenOf(revoked), u"fast"_s);
        QCOMPARE(refused->status, 401);
        QVERIFY(errorMessage(*refused).contains(u"revoked"_s));
        // The token itself is nowhere in the store: only its digest.
        const QByteArray bytes = m_fixture.storedBytes();
        QVERIFY(!bytes.isEmpty());
        // "ghrt_" + 16 hex digits + "_" + the secret (base64url: it may hold '_' itself).
        const QByteArray secret = tokenOf(kept).mid(QByteArray("ghrt_0123456789abcdef_").size());
        QCOMPARE(secret.size(), 43);
        QVERIFY(!bytes.contains(secret));
    }

    void adminRefusesPeersBeyondLoopback()
    {
        QHostAddress outside;
        for (const QHostAddress &address : QNetworkInterface::allAddresses()) {
            if (address.protocol() == QAbstractSocket::IPv4Protocol && !address.isLoopback())
                outside = address;
        }
        if (outside.isNull())
            QSKIP("this machine has no non-loopback IPv4 address");
        m_fixture.stop();
        m_fixture.configuration().listenHost = u"0.0.0.0"_s;
        m_fixture.configuration().allowedHosts = {outside.toString()};
        QString error;
        QVERIFY2(m_fixture.start(&error), qPrintable(error));
        QFile tokenFile(QDir(m_fixture.dataDir()).filePath(u"admin-token"_s));
        QVERIFY(tokenFile.open(QIODevice::ReadOnly));
        QTcpSocket socket;
        socket.connectToHost(outside, m_fixture.port());
        QVERIFY(socket.waitForConnected(5000));
        socket.write(
            "GET /admin/v1/credentials HTTP/1.1\r\nHost: " + outside.toString().toLatin1() + ':' +
            QByteArray::number(m_fixture.port()) + "\r\nAuthorization: Bearer " +
            tokenFile.readAll().trimmed() + "\r\nConnection: close\r\n\r\n");
        QByteArray answer;
        while (socket.waitForReadyRead(5000))
            answer += socket.readAll();
        QVERIFY2(answer.startsWith("HTTP/1.1 403"), answer.constData());
        QVERIFY(answer.contains("loopback"));
    }
};

QTEST_GUILESS_MAIN(tst_GatewayIdentity)
#include "tst_gatewayidentity.moc"
