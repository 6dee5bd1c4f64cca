#pragma once

#include <QString>

// Where a requested model name goes: the alias that matched, its provider, the model to ask for.
struct ModelRoute
{
    QString alias;         // the configured alias or pattern that matched
    QString provider;      // a provider name from the configuration
    QString upstreamModel; // the model name sent to the provider
};
