#pragma once

#include "ledger/tokenusage.h"
#include "protocol/anthropicevent.h"
#include "protocol/sseevent.h"

// The usage of one Anthropic Messages stream, accumulated event by event.
//
// message_start.message.usage sets every count. Each message_delta.usage then carries running
// totals, not increments: a count it sends overwrites the last one (never added to it), a
// count it omits or sends as null keeps its last value.
class AnthropicStreamUsage
{
public:
    // Classifies one event by its type (the "event:" field, or the data's "type" when the
    // stream did not name it) and takes its usage. An event without data means nothing.
    AnthropicEvent feed(const SseEvent &event);

    TokenUsage usage() const;
    bool hasUsage() const { return m_hasUsage; }

private:
    qint64 m_inputTokens = 0;
    qint64 m_cacheCreationInputTokens = 0;
    qint64 m_cacheReadInputTokens = 0;
    qint64 m_outputTokens = 0;
    bool m_hasUsage = false;
};
