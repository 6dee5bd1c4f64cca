#pragma once

#include "config/configuration.h"
#include "ledgerreader.h"
#include "postgresserver.h"
#include "rawhttpclient.h"

#include <QTcpServer>
#include <QTemporaryDir>

#include <memory>
#include <optional>

class Gateway;

// A running Gateway for integration tests: the built-in simulated provider, a provider that
// refuses connections ("down"), one that never answers ("silent"), one without its key
// ("keyless"), aliases to each, one caller key, and a reader on the ledger it writes. With
// GATEHOUSE_TEST_POSTGRES=1 in the environment, the store is a PostgreSQL server of its own
// (team mode) instead of ledger.sqlite: the same tests then cover both databases.
class GatewayFixture
{
public:
    static const QByteArray kKey;

    GatewayFixture();
    ~GatewayFixture();
    bool start(QString *error);
    // Shuts the gateway down (its store written); start() again runs a new one on the same data.
    void stop();
    QString dataDir() const { return m_dir.path(); }

    quint16 port() const;
    // The running gateway (for a GatewayConsole); null before start() and after stop().
    Gateway *gateway() const { return m_gateway.get(); }
    LedgerReader &ledger() { return *m_ledger; }
    Configuration &configuration() { return m_configuration; }

    // A complete request with the caller key and a JSON body.
    QByteArray post(const QByteArray &path, const QByteArray &body,
                    const QByteArray &extraHeaders = {}) const;
    // Sends on a fresh connection and waits for the answer.
    std::optional<RawHttpResponse> exchange(const QByteArray &raw) const;
    // A request with a bearer token (the caller key when empty) and a JSON body.
    std::optional<RawHttpResponse> call(const QByteArray &method, const QByteArray &path,
                                        const QByteArray &body, const QByteArray &bearer = {},
                                        const QByteArray &extraHeaders = {}) const;
    // The admin API with the token from the data directory; the body parsed as JSON.
    std::optional<RawHttpResponse> admin(const QByteArray &method, const QByteArray &path,
                                         const QJsonObject &body = {}) const;
    static QJsonObject json(const RawHttpResponse &response);
    // Everything the store holds, to search for what must never be there: the SQLite file and
    // its write-ahead log byte for byte, or every PostgreSQL table's rows as text.
    QByteArray storedBytes() const;
    // The ledger row of a response (by its request id header), once written.
    QVariantMap ledgerRow(const RawHttpResponse &response) const;

private:
    QTemporaryDir m_dir;
    QTcpServer m_silent;
    std::unique_ptr<PostgresServer> m_postgres;
    Configuration m_configuration;
    std::unique_ptr<Gateway> m_gateway;
    std::unique_ptr<LedgerReader> m_ledger;
};
