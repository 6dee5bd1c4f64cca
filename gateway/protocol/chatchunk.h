#pragma once

#include "ledger/tokenusage.h"

#include <optional>

// What one Chat Completions stream chunk (one SSE data payload) means to the gateway.
struct ChatChunk
{
    bool done = false;      // the "[DONE]" sentinel
    bool usageOnly = false; // no choices ([], null or absent) and a usage object: the chunk
                            // include_usage adds, stripped for clients that did not ask for it
    std::optional<TokenUsage> usage;
    // Choices' deltas carrying text (content, refusal, reasoning, tool-call arguments): about
    // one token each, the gateway's estimate of the output when a stream is cut before usage.
    int deltaPieces = 0;
    bool error = false;     // an {"error":...} payload
    bool malformed = false; // not one JSON object: the stream is garbled
};
