#pragma once

#include "ledger/tokenusage.h"
#include "protocol/anthropicstreamusage.h" // the stream's side, for users of both

#include <QByteArray>

#include <optional>

// Token usage as the Anthropic Messages API reports it. Its input_tokens excludes the prompt
// cache: all input is input_tokens + cache_creation_input_tokens + cache_read_input_tokens,
// each part priced at its own rate.
namespace AnthropicUsage {

// The four counts of a usage object in the gateway's terms.
TokenUsage fromCounts(qint64 inputTokens, qint64 cacheCreationInputTokens,
                      qint64 cacheReadInputTokens, qint64 outputTokens);

// The usage of a non-stream message; null or absent counts are 0. Empty when the body holds no
// usage object.
std::optional<TokenUsage> fromResponseBody(const QByteArray &body);

} // namespace AnthropicUsage
