#pragma once

#include "events/redactionpattern.h"
#include "ledger/databaselocation.h"
#include "ledger/price.h"
#include "policy/ratelimitrule.h"
#include "server/serverlimits.h"
#include "simulator/simulationsettings.h"
#include "upstream/upstreamrequest.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

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
// The kinds of runtime Gatehouse tells apart (each sends its own session signals).
inline const QStringList &principalTypes()
{
    static const QStringList types{QStringLiteral("claude-code"), QStringLiteral("codex"),
                                   QStringLiteral("opencode"), QStringLiteral("sdk"),
                                   QStringLiteral("custom")};
    return types;
}

// An alias can be direct for some runtimes (principal types, "*" for all): minting a credential
// for one of them hands out the provider's own base URL and model, and the gateway does not
// see (govern, meter) that traffic.
struct ModelAlias
{
    QString alias;
    QString provider;
    QString model; // empty for patterns: the requested name is the upstream model
    QStringList directFor;
    bool fromConfiguration = true; // false: made through the admin API and kept in the store

    bool isDirectFor(const QString &principalType) const
    {
        return directFor.contains(QStringLiteral("*")) ||
               (!principalType.isEmpty() && directFor.contains(principalType));
    }
};

struct ApiKeyEntry
{
    QString name;
    QString account;
    QByteArray sha256; // 32 raw bytes of SHA-256(key)
    QString user;
    QStringList allowedModels;     // empty: every model
    bool fromConfiguration = true; // false: made through the admin API and kept in the store
};

// How long runtime credentials live and how runtime sessions are told apart.
struct IdentitySettings
{
    qint64 defaultCredentialTtlMs = 30LL * 60 * 1000;
    qint64 maxCredentialTtlMs = 24LL * 3600 * 1000;
    qint64 sessionIdleMs =
        30LL * 60 * 1000; // a request after this gap starts a new fallback session
};

// How budgets count: the calendar they follow and how much output a reservation assumes.
struct BudgetPolicy
{
    QString timeZone; // IANA name; empty: the system's
    // A request reserves its input plus max_tokens of output, but at most this much output:
    // Claude Code asks for 32k-64k on every call and would lock budgets far below real use.
    qint64 reservationCapTokens = 8192;
};

// What the events keep and for how long.
struct EventSettings
{
    qint64 previewBytes = 32 * 1024; // the most a request's preview takes
    bool captureFullBodies = false;  // also keep both bodies (redacted)
    int retentionDays = 30;          // events older than this are pruned (usage rows are kept)
    qint64 maxStoredBytes = qint64(1) << 30;   // and the oldest beyond this total
    QList<RedactionPattern> redactionPatterns; // the operator's, added to the built-in ones
};

// Team mode: several gateways sharing one PostgreSQL database (budgets, ledger, live view).
struct TeamSettings
{
    // When the database cannot be reached at admission: refuse with 503 (closed), or admit
    // without a shared reservation (open), which can overspend.
    bool failOpen = false;
    // An instance renews its reservations' lease while it runs; after a crash any instance
    // releases them once the lease has passed.
    qint64 leaseMs = 30'000;
};

struct Configuration
{
    QString sourceFile; // empty: built-in defaults
    QString listenHost = QStringLiteral("127.0.0.1");
    quint16 listenPort = 8787;
    QStringList allowedHosts; // extra Host header values accepted besides the bound address
    QString dataDir;
    DatabaseLocation database; // unset: ledger.sqlite in dataDir; postgresql://...: team mode
    TeamSettings team;
    ServerLimits limits;
    int shutdownGraceMs = 10'000;
    QList<ProviderConfig> providers;
    QList<ModelAlias> models;
    QHash<QString, Price> prices; // upstream model name -> price, over the bundled table
    QList<ApiKeyEntry> apiKeys;
    IdentitySettings identity;
    BudgetPolicy budgetPolicy;
    EventSettings events;
    QList<RateLimitRule> rateLimits;

    const ProviderConfig *provider(const QString &name) const;
};
