#pragma once

#include "ledger/tokenusage.h"

#include <optional>

// What one OpenAI Responses stream event means to the gateway.
struct ResponsesEvent
{
    // response.completed, response.incomplete or response.failed: their response.usage.
    std::optional<TokenUsage> usage;
    bool terminal = false; // response.completed, response.incomplete, response.failed
    bool failed = false;   // response.failed or an "error" event
    // A text, reasoning or tool-argument delta: about one token each, the gateway's estimate of
    // the output when a stream is cut before the usage.
    int deltaPieces = 0;
    bool malformed = false; // the data is not one JSON object: the stream is garbled
};
