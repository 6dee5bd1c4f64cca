#pragma once

#include <QtGlobal>

// Token counts of one call, normalised across wire shapes.
struct TokenUsage
{
    qint64 promptTokens = 0;     // all input, cached and cache writes included
    qint64 cachedTokens = 0;     // input read from the provider's prompt cache
    qint64 cacheWriteTokens = 0; // input written to the prompt cache (Anthropic)
    qint64 completionTokens = 0; // all output, reasoning included
    qint64 reasoningTokens = 0;
    // Reported: the provider said so. Otherwise the numbers are the gateway's own count of
    // what it relayed (a stream cut before the usage arrived).
    bool reported = false;

    qint64 totalTokens() const { return promptTokens + completionTokens; }
    qint64 uncachedInputTokens() const { return promptTokens - cachedTokens - cacheWriteTokens; }
};
