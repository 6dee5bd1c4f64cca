#pragma once

#include "ledger/tokenusage.h"
#include "protocol/responsesevent.h"
#include "protocol/sseevent.h"

#include <QByteArray>

#include <optional>

// Token usage as the OpenAI Responses API reports it, read from a whole response object or
// from stream events as they pass.
namespace ResponsesUsage {

// usage{input_tokens (all input, cached included), input_tokens_details.cached_tokens,
// output_tokens (reasoning included), output_tokens_details.reasoning_tokens} of a response
// object; null or absent counts are 0. Empty when the object holds no usage object.
std::optional<TokenUsage> fromResponseBody(const QByteArray &body);

// Classifies one event by its type: the "event:" field, or the data's "type" when the stream
// did not name it. Only terminal events are parsed deeply; the others are judged by their type
// and framing alone. An event without data means nothing.
ResponsesEvent classifyEvent(const SseEvent &event);

} // namespace ResponsesUsage
