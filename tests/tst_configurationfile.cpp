#include "config/configurationfile.h"
#include "policy/apikeybook.h"
#include "policy/modelrouter.h"
#include "testenv.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

// The JSON fixtures live outside the test class: moc cannot tokenize raw strings holding "//".

QByteArray everyKeyJson()
{
    return R"({
            "listen": "[::1]:9000",
            "allowedHosts": ["gatehouse.local", "gatehouse.local:9000"],
            "dataDir": "/tmp/gatehouse-data",
            "shutdownGraceMs": 0,
            "limits": {"maxBodyBytes": 1048576, "maxHeaderBytes": 8192, "maxHeaderCount": 50,
                       "keepAliveTimeoutMs": 5000, "headerTimeoutMs": 3000, "maxConnections": 64,
                       "maxLedgerBacklog": 2500},
            "providers": [
                {"name": "openai", "protocol": "openai", "baseUrl": "https://api.openai.com/v1/",
                 "apiKeyEnv": "OPENAI_API_KEY",
                 "timeouts": {"connectMs": 1000, "firstByteMs": 2000, "idleMs": 3000}},
                {"name": "anthropic", "protocol": "anthropic", "baseUrl": "http://127.0.0.1:9/x"},
                {"name": "sim", "protocol": "simulated"}
            ],
            "models": [
                {"alias": "gpt-4o", "provider": "openai", "model": "gpt-4o-2024-08-06"},
                {"alias": "claude-*", "provider": "anthropic"},
                {"alias": "plain", "provider": "sim", "model": "", "direct": ["claude-code", "codex"]}
            ],
            "prices": {"my-model": {"input": 1.25, "output": 10, "cacheRead": 0.125,
                                    "cacheWrite": 1.5},
                       "in-only": {"input": 0.0000015}},
            "identity": {"defaultCredentialTtlSeconds": 600, "maxCredentialTtlSeconds": 7200,
                         "sessionIdleSeconds": 90},
            "apiKeys": [
                {"name": "ci", "account": "team", "sha256": "E12CEA48A0744BD4D17280ABEF4316F738F8567D700B29A326AD8E8D639EBE69",
                 "user": "ana", "allowedModels": ["gpt-*"]},
                {"name": "dev", "sha256": "0000000000000000000000000000000000000000000000000000000000000000"}
            ]
        })";
}

struct InvalidFile
{
    const char *name;
    QByteArray json;
    QString jsonPath; // where the error must point
    QString problem;  // what the error must say
};

QList<InvalidFile> invalidFiles()
{
    const auto sim = QByteArray(R"({"name":"sim","protocol":"simulated"})");
    QList<InvalidFile> files;
    const auto row = [&files](const char *name, const QByteArray &json, const QString &path,
                              const QString &problem) {
        files += InvalidFile{name, json, path, problem};
    };
    row("root is an array", "[]", u"$"_s, u"must be an object (got an array)"_s);
    row("unknown top-level key", R"({"listn":"127.0.0.1:1"})", u"$.listn"_s,
        u"unknown key (expected one of: listen, allowedHosts"_s);
    row("listen without port", R"({"listen":"127.0.0.1"})", u"$.listen"_s, u"must be host:port"_s);
    row("listen port too big", R"({"listen":"127.0.0.1:65536"})", u"$.listen"_s,
        u"port 0..65535 (got \"127.0.0.1:65536\")"_s);
    row("listen hostname", R"({"listen":"example.com:80"})", u"$.listen"_s, u"must be host:port"_s);
    row("listen bad ipv4", R"({"listen":"256.1.1.1:80"})", u"$.listen"_s, u"must be host:port"_s);
    row("listen ipv6 without brackets", R"({"listen":"::1:80"})", u"$.listen"_s,
        u"must be host:port"_s);
    row("listen is a number", R"({"listen":8787})", u"$.listen"_s,
        u"must be a string (got 8787)"_s);
    row("allowed host with space", R"({"allowedHosts":["a b"]})", u"$.allowedHosts[0]"_s,
        u"must be a Host header value"_s);
    row("dataDir empty", R"({"dataDir":""})", u"$.dataDir"_s, u"must not be empty"_s);
    row("negative grace", R"({"shutdownGraceMs":-1})", u"$.shutdownGraceMs"_s,
        u"must not be negative (got -1)"_s);
    row("zero limit", R"({"limits":{"maxBodyBytes":0}})", u"$.limits.maxBodyBytes"_s,
        u"must be positive (got 0)"_s);
    row("fractional limit", R"({"limits":{"maxHeaderCount":1.5}})", u"$.limits.maxHeaderCount"_s,
        u"must be an integer (got 1.5)"_s);
    row("limit too big for int", R"({"limits":{"maxConnections":3000000000}})",
        u"$.limits.maxConnections"_s, u"must be at most 2147483647"_s);
    row("no ledger backlog at all", R"({"limits":{"maxLedgerBacklog":0}})",
        u"$.limits.maxLedgerBacklog"_s, u"must be positive (got 0)"_s);
    row("body limit beyond exact JSON integers", R"({"limits":{"maxBodyBytes":1e19}})",
        u"$.limits.maxBodyBytes"_s, u"must be at most 9007199254740992"_s);
    row("unknown limit", R"({"limits":{"maxBody":1}})", u"$.limits.maxBody"_s, u"unknown key"_s);
    row("providers not an array", R"({"providers":{}})", u"$.providers"_s,
        u"must be an array (got an object)"_s);
    row("unknown protocol", R"({"providers":[)" + sim + R"(,{"name":"g","protocol":"gemini"}]})",
        u"$.providers[1].protocol"_s,
        u"must be one of openai, anthropic, simulated (got \"gemini\")"_s);
    row("provider without name", R"({"providers":[{"protocol":"simulated"}]})",
        u"$.providers[0].name"_s, u"is required"_s);
    row("provider without protocol", R"({"providers":[{"name":"x"}]})",
        u"$.providers[0].protocol"_s, u"is required"_s);
    row("provider with empty name", R"({"providers":[{"name":"","protocol":"simulated"}]})",
        u"$.providers[0].name"_s, u"must not be empty"_s);
    row("duplicate provider", R"({"providers":[)" + sim + "," + sim + "]}",
        u"$.providers[1].name"_s, u"duplicate provider name \"sim\" (first at $.providers[0])"_s);
    row("openai without baseUrl", R"({"providers":[{"name":"o","protocol":"openai"}]})",
        u"$.providers[0].baseUrl"_s, u"is required"_s);
    row("baseUrl not http",
        R"({"providers":[{"name":"o","protocol":"openai","baseUrl":"ftp://h/v1"}]})",
        u"$.providers[0].baseUrl"_s, u"must be an http:// or https:// URL"_s);
    row("baseUrl without scheme",
        R"({"providers":[{"name":"o","protocol":"openai","baseUrl":"api.openai.com/v1"}]})",
        u"$.providers[0].baseUrl"_s, u"must be an http:// or https:// URL"_s);
    row("baseUrl with query",
        R"({"providers":[{"name":"o","protocol":"anthropic","baseUrl":"https://h/v1?k=1"}]})",
        u"$.providers[0].baseUrl"_s, u"must not have a query"_s);
    row("baseUrl with credentials",
        R"({"providers":[{"name":"o","protocol":"openai","baseUrl":"https://u:p@h/v1"}]})",
        u"$.providers[0].baseUrl"_s, u"must not contain user:password@"_s);
    row("apiKeyEnv holds a key",
        R"({"providers":[{"name":"o","protocol":"openai","baseUrl":"https://h",)"
        R"("apiKeyEnv":"sk-proj-abc123"}]})",
        u"$.providers[0].apiKeyEnv"_s, u"looks like an API key"_s);
    row("apiKeyEnv with dash",
        R"({"providers":[{"name":"o","protocol":"openai","baseUrl":"https://h",)"
        R"("apiKeyEnv":"MY-KEY"}]})",
        u"$.providers[0].apiKeyEnv"_s, u"must be an environment variable name"_s);
    row("apiKeyEnv starts with digit",
        R"({"providers":[{"name":"o","protocol":"openai","baseUrl":"https://h",)"
        R"("apiKeyEnv":"1KEY"}]})",
        u"$.providers[0].apiKeyEnv"_s, u"must be an environment variable name"_s);
    row("simulated with baseUrl",
        R"({"providers":[{"name":"s","protocol":"simulated","baseUrl":"https://h"}]})",
        u"$.providers[0].baseUrl"_s, u"is not used by a simulated provider"_s);
    row("simulation on openai",
        R"({"providers":[{"name":"o","protocol":"openai","baseUrl":"https://h",)"
        R"("simulation":{}}]})",
        u"$.providers[0].simulation"_s, u"is only for protocol \"simulated\""_s);
    row("zero timeout",
        R"({"providers":[{"name":"s","protocol":"simulated","timeouts":{"idleMs":0}}]})",
        u"$.providers[0].timeouts.idleMs"_s, u"must be positive (got 0)"_s);
    row("negative simulation speed",
        R"({"providers":[{"name":"s","protocol":"simulated",)"
        R"("simulation":{"tokensPerSecond":-1}}]})",
        u"$.providers[0].simulation.tokensPerSecond"_s, u"must not be negative (got -1)"_s);
    row("unknown provider key",
        R"({"providers":[{"name":"s","protocol":"simulated","apikey":"X"}]})",
        u"$.providers[0].apikey"_s, u"unknown key (expected one of: name, protocol"_s);
    row("alias to unknown provider",
        R"({"providers":[)" + sim + R"(],"models":[{"alias":"a","provider":"nope"}]})",
        u"$.models[0].provider"_s, u"unknown provider \"nope\" (configured: sim)"_s);
    row("duplicate alias",
        R"({"providers":[)" + sim +
            R"(],"models":[{"alias":"a","provider":"sim"},{"alias":"a","provider":"sim"}]})",
        u"$.models[1].alias"_s, u"duplicate alias \"a\" (first at $.models[0])"_s);
    row("alias without provider", R"({"models":[{"alias":"a"}]})", u"$.models[0].provider"_s,
        u"is required"_s);
    row("empty alias", R"({"models":[{"alias":"","provider":"simulator"}]})",
        u"$.models[0].alias"_s, u"must not be empty"_s);
    row("pattern with model",
        R"({"providers":[)" + sim +
            R"(],"models":[{"alias":"gpt-*","provider":"sim","model":"x"}]})",
        u"$.models[0].model"_s, u"must be absent for a pattern alias"_s);
    row("negative price", R"({"prices":{"my-model":{"input":-1}}})",
        u"$.prices[\"my-model\"].input"_s, u"must not be negative (got -1)"_s);
    row("price as a string", R"({"prices":{"m":{"output":"10"}}})", u"$.prices.m.output"_s,
        u"must be a number (got \"10\")"_s);
    row("price with no part", R"({"prices":{"m":{}}})", u"$.prices.m"_s,
        u"must set at least one of"_s);
    row("unknown price part", R"({"prices":{"m":{"inputs":1}}})", u"$.prices.m.inputs"_s,
        u"unknown key"_s);
    row("absurd price", R"({"prices":{"m":{"input":1e300}}})", u"$.prices.m.input"_s,
        u"must be at most 1000000"_s);
    row("short digest", R"({"apiKeys":[{"name":"k","sha256":"abc"}]})", u"$.apiKeys[0].sha256"_s,
        u"must be exactly 64 hexadecimal characters"_s);
    row("non-hex digest",
        R"({"apiKeys":[{"name":"k","sha256":")" + QByteArray(63, 'a') + R"(g"}]})",
        u"$.apiKeys[0].sha256"_s, u"must be exactly 64 hexadecimal characters"_s);
    row("key without digest", R"({"apiKeys":[{"name":"k"}]})", u"$.apiKeys[0].sha256"_s,
        u"is required"_s);
    row("duplicate key name",
        R"({"apiKeys":[{"name":"k","sha256":")" + QByteArray(64, 'a') +
            R"("},{"name":"k","sha256":")" + QByteArray(64, 'b') + R"("}]})",
        u"$.apiKeys[1].name"_s, u"duplicate key name \"k\" (first at $.apiKeys[0])"_s);
    row("duplicate digest",
        R"({"apiKeys":[{"name":"a","sha256":")" + QByteArray(64, 'a') +
            R"("},{"name":"b","sha256":")" + QByteArray(64, 'A') + R"("}]})",
        u"$.apiKeys[1].sha256"_s, u"same key as $.apiKeys[0]"_s);
    row("direct pattern", R"({"models":[{"alias":"gpt-*","provider":"simulator","direct":true}]})",
        u"$.models[0].direct"_s, u"a pattern alias cannot be direct"_s);
    row("direct unknown runtime",
        R"({"models":[{"alias":"a","provider":"simulator","direct":["cursor"]}]})",
        u"$.models[0].direct"_s, u"unknown runtime type \"cursor\""_s);
    row("default ttl above max",
        R"({"identity":{"defaultCredentialTtlSeconds":7200,"maxCredentialTtlSeconds":60}})",
        u"$.identity.defaultCredentialTtlSeconds"_s, u"must not exceed maxCredentialTtlSeconds"_s);
    row("zero session idle", R"({"identity":{"sessionIdleSeconds":0}})",
        u"$.identity.sessionIdleSeconds"_s, u"must be positive"_s);
    row("unknown key entry field", R"({"apiKeys":[{"name":"k","key":"gh-secret"}]})",
        u"$.apiKeys[0].key"_s, u"unknown key (expected one of: name, account, sha256, user, allowedModels)"_s);
    return files;
}

// Each holds "SECRETSECRET" where a key was pasted by mistake.
QList<std::pair<const char *, QByteArray>> keyLikeValues()
{
    return {
        {"key in apiKeyEnv",
         QByteArray(R"({"providers":[{"name":"o","protocol":"openai","baseUrl":"https://h",)"
                    R"("apiKeyEnv":"sk-ant-api03-SECRETSECRET"}]})")},
        {"long key in apiKeyEnv",
         QByteArray(R"({"providers":[{"name":"o","protocol":"openai","baseUrl":"https://h",)"
                    R"("apiKeyEnv":"AIzaSyDxSECRETSECRETSECRET1234567890ab"}]})")},
        {"key instead of its digest",
         QByteArray(R"({"apiKeys":[{"name":"k","sha256":"gh-SECRETSECRET"}]})")},
    };
}

} // namespace

class TestConfigurationFile : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString write(const QByteArray &json, const QString &name = u"gatehouse.json"_s)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            file.write(json) != json.size())
            qFatal("cannot write %s", qUtf8Printable(path));
        return path;
    }

    static QString exampleFile()
    {
        return QDir(TestEnv::sourceDir()).filePath(u"resources/gatehouse.example.json"_s);
    }

    // What the README promises about the example: it serves every model from the simulator and
    // accepts the documented example key.
    static void verifyExample(const Configuration &c)
    {
        QCOMPARE(c.listenHost, u"127.0.0.1"_s);
        QCOMPARE(c.listenPort, quint16(8787));
        QCOMPARE(c.providers.size(), 1);
        const ProviderConfig *simulator = c.provider(u"simulator"_s);
        QVERIFY(simulator);
        QCOMPARE(simulator->protocol, ProviderProtocol::Simulated);
        QCOMPARE(simulator->simulation.tokensPerSecond, 40.0);
        QCOMPARE(simulator->simulation.firstTokenMs, 250);
        QVERIFY(!c.provider(u"openai"_s));

        const ModelRouter router(c);
        for (const QString &model : {u"gpt-4o"_s, u"claude-sonnet-5"_s, u"anything"_s}) {
            const std::optional<ModelRoute> route = router.resolve(model);
            QVERIFY(route);
            QCOMPARE(route->provider, u"simulator"_s);
            QCOMPARE(route->upstreamModel, model);
        }

        QCOMPARE(c.apiKeys.size(), 1);
        const std::optional<ApiKeyEntry> key =
            ApiKeyBook(c.apiKeys).authenticate("gh-example-key-change-me");
        QVERIFY(key);
        QCOMPARE(key->name, u"example"_s);
        QCOMPARE(key->account, u"default"_s);
        QVERIFY(!ApiKeyBook(c.apiKeys).authenticate("gh-example-key-change-m"));
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void exampleFileLoads()
    {
        QString error;
        const std::optional<Configuration> c = ConfigurationFile::load(exampleFile(), &error);
        QVERIFY2(c, qUtf8Printable(error));
        QVERIFY(error.isEmpty());
        QCOMPARE(c->sourceFile, exampleFile());
        verifyExample(*c);
    }

    void defaultsAreTheEmbeddedExample()
    {
        const Configuration c = ConfigurationFile::defaults();
        QVERIFY(c.sourceFile.isEmpty());
        verifyExample(c);
        QVERIFY(c.dataDir.isEmpty());
        QCOMPARE(c.limits.maxBodyBytes, ServerLimits().maxBodyBytes);
        QCOMPARE(c.shutdownGraceMs, 10'000);
    }

    void everyKeyIsRead()
    {
        const QByteArray json = everyKeyJson();
        const QString path = write(json);
        QString error;
        const std::optional<Configuration> c = ConfigurationFile::load(path, &error);
        QVERIFY2(c, qUtf8Printable(error));
        QCOMPARE(c->sourceFile, path);
        QCOMPARE(c->listenHost, u"::1"_s);
        QCOMPARE(c->listenPort, quint16(9000));
        QCOMPARE(c->allowedHosts, QStringList({u"gatehouse.local"_s, u"gatehouse.local:9000"_s}));
        QCOMPARE(c->dataDir, u"/tmp/gatehouse-data"_s);
        QCOMPARE(c->shutdownGraceMs, 0);
        QCOMPARE(c->limits.maxBodyBytes, 1048576);
        QCOMPARE(c->limits.maxHeaderBytes, 8192);
        QCOMPARE(c->limits.maxHeaderCount, 50);
        QCOMPARE(c->limits.keepAliveTimeoutMs, 5000);
        QCOMPARE(c->limits.headerTimeoutMs, 3000);
        QCOMPARE(c->limits.maxConnections, 64);
        QCOMPARE(c->limits.maxLedgerBacklog, 2500);

        QCOMPARE(c->providers.size(), 3); // configured providers: no simulator is added
        const ProviderConfig &openai = c->providers.at(0);
        QCOMPARE(openai.name, u"openai"_s);
        QCOMPARE(openai.protocol, ProviderProtocol::OpenAI);
        QCOMPARE(openai.baseUrl, QByteArray("https://api.openai.com/v1"));
        QCOMPARE(openai.apiKeyEnv, u"OPENAI_API_KEY"_s);
        QCOMPARE(openai.timeouts.connectMs, 1000);
        QCOMPARE(openai.timeouts.firstByteMs, 2000);
        QCOMPARE(openai.timeouts.idleMs, 3000);
        const ProviderConfig &anthropic = c->providers.at(1);
        QCOMPARE(anthropic.protocol, ProviderProtocol::Anthropic);
        QCOMPARE(anthropic.baseUrl, QByteArray("http://127.0.0.1:9/x"));
        QVERIFY(anthropic.apiKeyEnv.isEmpty());
        QCOMPARE(anthropic.timeouts.idleMs, UpstreamTimeouts().idleMs);
        QCOMPARE(c->providers.at(2).protocol, ProviderProtocol::Simulated);
        QVERIFY(c->providers.at(2).baseUrl.isEmpty());

        QCOMPARE(c->models.size(), 3); // no catch-all is added either
        QCOMPARE(c->models.at(0).model, u"gpt-4o-2024-08-06"_s);
        QCOMPARE(c->models.at(1).alias, u"claude-*"_s);
        QVERIFY(c->models.at(1).model.isEmpty());
        QVERIFY(c->models.at(2).model.isEmpty());
        QCOMPARE(c->models.at(2).directFor, QStringList({u"claude-code"_s, u"codex"_s}));
        QVERIFY(c->models.at(2).isDirectFor(u"codex"_s));
        QVERIFY(!c->models.at(2).isDirectFor(u"sdk"_s));
        QVERIFY(c->models.at(0).directFor.isEmpty());
        QCOMPARE(c->identity.defaultCredentialTtlMs, 600'000);
        QCOMPARE(c->identity.maxCredentialTtlMs, 7'200'000);
        QCOMPARE(c->identity.sessionIdleMs, 90'000);

        const Price price = c->prices.value(u"my-model"_s);
        QCOMPARE(price.input, std::optional<qint64>(1'250'000));
        QCOMPARE(price.output, std::optional<qint64>(10'000'000));
        QCOMPARE(price.cacheRead, std::optional<qint64>(125'000));
        QCOMPARE(price.cacheWrite, std::optional<qint64>(1'500'000));
        QCOMPARE(price.source, u"config"_s);
        const Price inputOnly = c->prices.value(u"in-only"_s);
        QCOMPARE(inputOnly.input, std::optional<qint64>(2)); // llround(1.5): never truncated
        QVERIFY(!inputOnly.output);
        QVERIFY(!inputOnly.cacheRead);

        QCOMPARE(c->apiKeys.size(), 2);
        QCOMPARE(c->apiKeys.at(0).account, u"team"_s);
        QCOMPARE(c->apiKeys.at(0).sha256,
                 QCryptographicHash::hash("gh-example-key-change-me", QCryptographicHash::Sha256));
        QCOMPARE(c->apiKeys.at(0).user, u"ana"_s);
        QCOMPARE(c->apiKeys.at(0).allowedModels, QStringList{u"gpt-*"_s});
        QCOMPARE(c->apiKeys.at(1).account, u"default"_s);
        QVERIFY(c->apiKeys.at(1).allowedModels.isEmpty());
        QCOMPARE(c->apiKeys.at(1).sha256, QByteArray(32, '\0'));
    }

    void listen_data()
    {
        QTest::addColumn<QString>("listen");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::newRow("ipv4") << u"127.0.0.1:8787"_s << u"127.0.0.1"_s << 8787;
        QTest::newRow("any ipv4, top port") << u"0.0.0.0:65535"_s << u"0.0.0.0"_s << 65535;
        QTest::newRow("localhost, port 0") << u"localhost:0"_s << u"localhost"_s << 0;
        QTest::newRow("ipv6") << u"[::1]:8080"_s << u"::1"_s << 8080;
        QTest::newRow("ipv6 any") << u"[::]:1"_s << u"::"_s << 1;
    }

    void listen()
    {
        QFETCH(QString, listen);
        QFETCH(QString, host);
        QFETCH(int, port);
        QString error;
        const std::optional<Configuration> c =
            ConfigurationFile::load(write("{\"listen\":\"" + listen.toUtf8() + "\"}"), &error);
        QVERIFY2(c, qUtf8Printable(error));
        QCOMPARE(c->listenHost, host);
        QCOMPARE(c->listenPort, quint16(port));
    }

    void invalid_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("jsonPath");
        QTest::addColumn<QString>("problem");

        for (const InvalidFile &file : invalidFiles())
            QTest::newRow(file.name) << file.json << file.jsonPath << file.problem;
    }

    void invalid()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, jsonPath);
        QFETCH(QString, problem);
        const QString path = write(json);
        QString error;
        QVERIFY(!ConfigurationFile::load(path, &error));
        QVERIFY2(error.startsWith(path % u": "_s % jsonPath % u": "_s), qUtf8Printable(error));
        QVERIFY2(error.contains(problem), qUtf8Printable(error));
        QVERIFY2(!error.contains(u'\n'), qUtf8Printable(error));
    }

    void secretsAreNeverEchoed_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("secret");
        for (const auto &[name, json] : keyLikeValues())
            QTest::newRow(name) << json << u"SECRETSECRET"_s;
    }

    void secretsAreNeverEchoed()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, secret);
        QString error;
        QVERIFY(!ConfigurationFile::load(write(json), &error));
        QVERIFY(!error.isEmpty());
        QVERIFY2(!error.contains(secret), qUtf8Printable(error));
    }

    void syntaxErrorHasLineAndColumn_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("location");
        QTest::newRow("missing comma")
            << QByteArray("{\n  \"listen\": \"127.0.0.1:1\"\n  \"dataDir\": \"x\"\n}")
            << u":3:3: "_s;
        QTest::newRow("trailing comma") << QByteArray("{\"a\": 1,}") << u":1:9: "_s;
        QTest::newRow("multi-byte text before the error")
            << QByteArray("{\"dataDir\": \"d\xc3\xa9j\xc3\xa0\" x}") << u":1:20: "_s;
        QTest::newRow("empty file") << QByteArray() << u":1:1: "_s;
        QTest::newRow("unterminated string")
            << QByteArray("{\n\"dataDir\": \"d\xc3\xa9j\xc3\xa0") << u":2:16: "_s;
    }

    void syntaxErrorHasLineAndColumn()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, location);
        const QString path = write(json);
        QString error;
        QVERIFY(!ConfigurationFile::load(path, &error));
        QVERIFY2(error.startsWith(path % location % u"invalid JSON: "_s), qUtf8Printable(error));
        QVERIFY2(!error.contains(u'\n'), qUtf8Printable(error));
    }

    void unreadableFile()
    {
        const QString path = m_dir.filePath(u"missing.json"_s);
        QString error;
        QVERIFY(!ConfigurationFile::load(path, &error));
        QVERIFY2(error.startsWith(path % u": cannot read: "_s), qUtf8Printable(error));
        QVERIFY(!ConfigurationFile::load(path, nullptr)); // the error is optional
    }

    void noProviderGetsTheSimulator_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QStringList>("aliases");
        QTest::newRow("empty object") << QByteArray("{}") << QStringList({u"*"_s});
        QTest::newRow("empty provider list")
            << QByteArray(R"({"providers":[],"apiKeys":[]})") << QStringList({u"*"_s});
        QTest::newRow("aliases to the simulator")
            << QByteArray(R"({"models":[{"alias":"fast","provider":"simulator","model":"m"}]})")
            << QStringList({u"fast"_s, u"*"_s});
        QTest::newRow("own catch-all kept")
            << QByteArray(R"({"models":[{"alias":"*","provider":"simulator"}]})")
            << QStringList({u"*"_s});
    }

    void noProviderGetsTheSimulator()
    {
        QFETCH(QByteArray, json);
        QFETCH(QStringList, aliases);
        QString error;
        const std::optional<Configuration> c = ConfigurationFile::load(write(json), &error);
        QVERIFY2(c, qUtf8Printable(error));
        QCOMPARE(c->providers.size(), 1);
        QCOMPARE(c->providers.at(0).name, u"simulator"_s);
        QCOMPARE(c->providers.at(0).protocol, ProviderProtocol::Simulated);
        QStringList configured;
        for (const ModelAlias &model : c->models) {
            configured += model.alias;
            QCOMPARE(model.provider, u"simulator"_s);
        }
        QCOMPARE(configured, aliases);
        const std::optional<ModelRoute> route = ModelRouter(*c).resolve(u"claude-opus-4-8"_s);
        QVERIFY(route);
        QCOMPARE(route->provider, u"simulator"_s);
    }

    void providerLookup()
    {
        Configuration c;
        c.providers = {ProviderConfig{}, ProviderConfig{}};
        c.providers[0].name = u"a"_s;
        c.providers[1].name = u"b"_s;
        QCOMPARE(c.provider(u"b"_s), &c.providers.at(1));
        QVERIFY(!c.provider(u"c"_s));
        QVERIFY(!c.provider(QString()));
    }
};

QTEST_GUILESS_MAIN(TestConfigurationFile)
#include "tst_configurationfile.moc"
