#pragma once

#include "config/configuration.h"

// A provider as the relays use it: where to send, with which credential. The credential is
// read from the environment once at start and lives only here, never in logs or records.
struct ProviderEndpoint
{
    QString name;
    ProviderProtocol protocol = ProviderProtocol::OpenAI; // simulated providers speak OpenAI
    QByteArray baseUrl;       // without trailing slash, e.g. https://api.openai.com/v1
    QByteArray authorization; // "Bearer <key>"; empty when the key is missing
    QString apiKeyEnv;        // named in the error when the key is missing
    UpstreamTimeouts timeouts;
};
