#pragma once

#include "config/configuration.h"

#include <QByteArray>
#include <QString>

#include <optional>

// Reads and validates gatehouse.json into a Configuration (start-up only).
//
// File format: JSON; every key is optional unless marked "required", and an unknown key is an
// error so that typos never pass silently.
// clang-format off
// {
//   "listen": "127.0.0.1:8787",          // host:port; IPv4, [IPv6] or localhost; port 0..65535
//   "allowedHosts": ["gatehouse.local"], // extra Host header values accepted
//   "dataDir": "/var/lib/gatehouse",     // where the ledger lives; default chosen by the app
//   "shutdownGraceMs": 10000,            // >= 0
//   "limits": {                          // each a positive integer
//     "maxBodyBytes": 33554432, "maxHeaderBytes": 65536, "maxHeaderCount": 100,
//     "keepAliveTimeoutMs": 75000, "headerTimeoutMs": 60000, "maxConnections": 4096
//   },
//   "providers": [
//     { "name": "openai",                // required, unique
//       "protocol": "openai",            // required: openai | anthropic | simulated
//       "baseUrl": "https://api.openai.com/v1", // required for openai/anthropic; http(s), no query
//       "apiKeyEnv": "OPENAI_API_KEY",   // NAME of the environment variable holding the key
//       "timeouts": { "connectMs": 10000, "firstByteMs": 120000, "idleMs": 120000 } },
//     { "name": "simulator", "protocol": "simulated",
//       "simulation": { "tokensPerSecond": 40, "firstTokenMs": 250 } } // simulated only
//   ],
//   "models": [                          // exact aliases first, then patterns in this order
//     { "alias": "gpt-4o", "provider": "openai", "model": "gpt-4o-2024-08-06" },
//     { "alias": "claude-*", "provider": "anthropic" } // '*'/'?' pattern: name passes through
//   ],
//   "prices": {                          // USD per million tokens, over the bundled table
//     "my-model": { "input": 1.25, "output": 10, "cacheRead": 0.125, "cacheWrite": 1.5 }
//   },
//   "apiKeys": [                         // caller keys, stored only as SHA-256 digests
//     { "name": "example",               // required, unique
//       "account": "default",            // default "default"
//       "sha256": "<64 hex chars>" }     // required: printf %s "$KEY" | sha256sum
//   ]
// }
// clang-format on
// An alias without "model" routes the requested name unchanged. A file without any provider
// gets a simulated provider "simulator" and a pattern alias "*" to it, so a fresh install
// answers at once. Every error is one line: "<file>: <JSON path>: <problem>", or
// "<file>:<line>:<column>: invalid JSON: <problem>" for syntax errors.
class ConfigurationFile
{
public:
    static std::optional<Configuration> load(const QString &path, QString *error);
    // The same rules applied to bytes; sourceName stands for the file in error messages.
    static std::optional<Configuration> parse(const QByteArray &json, const QString &sourceName,
                                              QString *error);
    // The built-in configuration used when no file is given (the embedded example file).
    static Configuration defaults();
};
