#include "gatewayfixture.h"

#include "gateway.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

const QByteArray GatewayFixture::kKey = "test-key-123";

namespace {

ProviderConfig remoteProvider(const QString &name, ProviderProtocol protocol, const QByteArray &url,
                              const QString &keyEnv)
{
    ProviderConfig provider;
    provider.name = name;
    provider.protocol = protocol;
    provider.baseUrl = url;
    provider.apiKeyEnv = keyEnv;
    provider.timeouts.firstByteMs = 400;
    return provider;
}

} // namespace

GatewayFixture::GatewayFixture()
{
    quint16 closedPort = 0;
    {
        QTcpServer closed;
        closed.listen(QHostAddress::LocalHost, 0);
        closedPort = closed.serverPort();
    }
    m_silent.listen(QHostAddress::LocalHost, 0);
    qputenv("GH_TEST_PROVIDER_KEY", "sk-upstream-secret");

    Configuration &config = m_configuration;
    config.listenPort = 0;
    config.dataDir = m_dir.path();
    ProviderConfig simulator;
    simulator.name = QStringLiteral("simulator");
    simulator.protocol = ProviderProtocol::Simulated;
    const QByteArray down = "http://127.0.0.1:" + QByteArray::number(closedPort);
    const QByteArray silent = "http://127.0.0.1:" + QByteArray::number(m_silent.serverPort());
    const QString key = QStringLiteral("GH_TEST_PROVIDER_KEY");
    ProviderConfig impatient = simulator; // gives up on a provider silent for 300 ms
    impatient.name = QStringLiteral("impatient");
    impatient.timeouts.idleMs = 300;
    config.providers = {
        simulator,
        impatient,
        remoteProvider(QStringLiteral("down"), ProviderProtocol::OpenAI, down + "/v1", key),
        remoteProvider(QStringLiteral("silent"), ProviderProtocol::OpenAI, silent + "/v1", key),
        remoteProvider(QStringLiteral("down-anthropic"), ProviderProtocol::Anthropic, down, key),
        remoteProvider(QStringLiteral("keyless"), ProviderProtocol::OpenAI, down + "/v1",
                       QStringLiteral("GH_TEST_UNSET_KEY")),
    };
    const auto alias = [](const char *name, const char *provider, const char *model) {
        return ModelAlias{QString::fromLatin1(name), QString::fromLatin1(provider),
                          QString::fromLatin1(model)};
    };
    config.models = {
        alias("fast", "simulator", "gpt-4o-mini"),
        alias("mystery", "simulator", "sim-unpriced-1"),
        alias("down-model", "down", "gpt-4o"),
        alias("down-claude", "down-anthropic", "claude-sonnet-4-5"),
        alias("slow-model", "silent", "gpt-4o"),
        alias("keyless-model", "keyless", "gpt-4o"),
        alias("impatient-model", "impatient", "gpt-4o"),
        alias("gpt-*", "simulator", ""),
        alias("claude-*", "simulator", ""),
    };
    config.apiKeys = {{QStringLiteral("ci"), QStringLiteral("acme"),
                       QCryptographicHash::hash(kKey, QCryptographicHash::Sha256)}};
    config.limits.maxBodyBytes = 1024 * 1024;
}

GatewayFixture::~GatewayFixture()
{
    m_gateway.reset();
    m_ledger.reset();
}

bool GatewayFixture::start(QString *error)
{
    if (!m_postgres && qEnvironmentVariableIntValue("GATEHOUSE_TEST_POSTGRES") == 1) {
        m_postgres = std::make_unique<PostgresServer>();
        if (!m_postgres->start(error))
            return false;
        const auto location = DatabaseLocation::parse(m_postgres->url(), error);
        if (!location)
            return false;
        m_configuration.database = *location;
    }
    m_gateway = std::make_unique<Gateway>(m_configuration);
    if (!m_gateway->start(error))
        return false;
    m_ledger = std::make_unique<LedgerReader>(m_configuration.database.resolved(m_dir.path()));
    return true;
}

void GatewayFixture::stop()
{
    if (m_gateway)
        m_gateway->shutdown(0);
    m_gateway.reset();
    m_ledger.reset();
}

std::optional<RawHttpResponse> GatewayFixture::call(const QByteArray &method,
                                                    const QByteArray &path, const QByteArray &body,
                                                    const QByteArray &bearer,
                                                    const QByteArray &extraHeaders) const
{
    return exchange(rawRequest(method, path, body,
                               "Authorization: Bearer " + (bearer.isEmpty() ? kKey : bearer) +
                                   "\r\nContent-Type: application/json\r\n" + extraHeaders,
                               port()));
}

std::optional<RawHttpResponse> GatewayFixture::admin(const QByteArray &method,
                                                     const QByteArray &path,
                                                     const QJsonObject &body) const
{
    QFile tokenFile(QDir(m_dir.path()).filePath(QStringLiteral("admin-token")));
    if (!tokenFile.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QByteArray token = tokenFile.readAll().trimmed();
    return call(method, path,
                body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact),
                token);
}

QJsonObject GatewayFixture::json(const RawHttpResponse &response)
{
    return QJsonDocument::fromJson(response.body).object();
}

quint16 GatewayFixture::port() const
{
    return m_gateway->port();
}

QByteArray GatewayFixture::post(const QByteArray &path, const QByteArray &body,
                                const QByteArray &extraHeaders) const
{
    return rawRequest("POST", path, body,
                      "Authorization: Bearer " + kKey + "\r\nContent-Type: application/json\r\n" +
                          extraHeaders,
                      port());
}

std::optional<RawHttpResponse> GatewayFixture::exchange(const QByteArray &raw) const
{
    RawHttpClient client;
    if (!client.connectTo(port()))
        return std::nullopt;
    client.send(raw);
    return client.readResponse(30'000);
}

QByteArray GatewayFixture::storedBytes() const
{
    QByteArray stored;
    if (!m_configuration.database.isPostgres()) {
        for (const QString &name :
             {QStringLiteral("ledger.sqlite"), QStringLiteral("ledger.sqlite-wal")}) {
            QFile file(QDir(m_dir.path()).filePath(name));
            if (file.open(QIODevice::ReadOnly))
                stored += file.readAll();
        }
        return stored;
    }
    const auto tables = m_ledger->query(
        QStringLiteral("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"));
    for (const QVariantMap &table : tables) {
        const QString name = table.value(QStringLiteral("tablename")).toString();
        const auto rows = m_ledger->query(
            QStringLiteral("SELECT COALESCE(string_agg(t::text, E'\n'), '') AS text FROM \"%1\" t")
                .arg(name));
        stored += rows.value(0).value(QStringLiteral("text")).toString().toUtf8();
    }
    return stored;
}

QVariantMap GatewayFixture::ledgerRow(const RawHttpResponse &response) const
{
    QByteArray id = response.header("x-request-id");
    if (id.isEmpty())
        id = response.header("request-id");
    QVariantMap row;
    // An empty row (the caller's assertions fail on it) tells that it never came.
    static_cast<void>(
        QTest::qWaitFor([&] { return !(row = m_ledger->row(id)).isEmpty(); }, 15'000));
    return row;
}
