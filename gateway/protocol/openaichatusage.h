#pragma once

#include "ledger/tokenusage.h"
#include "protocol/chatchunk.h"

#include <QByteArray>

#include <optional>

// Token usage as the OpenAI Chat Completions API reports it, read from a whole response body or
// from stream chunks as they pass.
namespace OpenAIChatUsage {

// usage{prompt_tokens, completion_tokens, prompt_tokens_details.cached_tokens,
// completion_tokens_details.reasoning_tokens} of a non-stream response; null or absent counts
// are 0. Empty when the body holds no usage object.
std::optional<TokenUsage> fromResponseBody(const QByteArray &body);

// Classifies one SSE data payload. Parsed in place when the array has JSON padding (SseParser's
// data has).
ChatChunk classifyChunk(const QByteArray &data);

} // namespace OpenAIChatUsage
