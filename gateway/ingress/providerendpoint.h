#pragma once

#include "config/configuration.h"

// A provider as the relays use it: where to send, with which credential. The credential is
// read from the environment once at start and lives only here, never in logs or records.
struct ProviderEndpoint
{
    QString name;
    ProviderProtocol protocol = ProviderProtocol::OpenAI;
    QByteArray openaiBase;    // e.g. https://api.openai.com/v1 (OpenAI and simulated providers)
    QByteArray anthropicBase; // e.g. https://api.anthropic.com (Anthropic and simulated providers)
    QByteArray apiKey;        // empty when the variable is unset
    QString apiKeyEnv;        // named in the error when the key is missing
    UpstreamTimeouts timeouts;

    // The built-in simulator speaks every protocol.
    bool speaks(ProviderProtocol wanted) const
    {
        return protocol == wanted || protocol == ProviderProtocol::Simulated;
    }
};
