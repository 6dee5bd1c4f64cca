#pragma once

#include "ledger/price.h"
#include "server/serverlimits.h"
#include "simulator/simulationsettings.h"
#include "upstream/upstreamrequest.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

enum class ProviderProtocol
{
    OpenAI,
    Anthropic,
    Simulated
};

struct ProviderConfig
{
    QString name;
    ProviderProtocol protocol = ProviderProtocol::Simulated;
    QByteArray baseUrl; // e.g. https://api.openai.com/v1 ; empty for a built-in simulated provider
    QString apiKeyEnv;  // the *name* of the environment variable holding the key
    UpstreamTimeouts timeouts;
    SimulationSettings simulation;
};

// alias "gpt-4o" -> provider "openai", model "gpt-4o-2024-08-06".
// An alias with '*' is a pattern: the requested name matches it and passes through unchanged.
struct ModelAlias
{
    QString alias;
    QString provider;
    QString model; // empty for patterns: the requested name is the upstream model
};

struct ApiKeyEntry
{
    QString name;
    QString account;
    QByteArray sha256; // 32 raw bytes of SHA-256(key)
};

struct Configuration
{
    QString sourceFile; // empty: built-in defaults
    QString listenHost = QStringLiteral("127.0.0.1");
    quint16 listenPort = 8787;
    QStringList allowedHosts; // extra Host header values accepted besides the bound address
    QString dataDir;
    ServerLimits limits;
    int shutdownGraceMs = 10'000;
    QList<ProviderConfig> providers;
    QList<ModelAlias> models;
    QHash<QString, Price> prices; // upstream model name -> price, over the bundled table
    QList<ApiKeyEntry> apiKeys;

    const ProviderConfig *provider(const QString &name) const;
};
