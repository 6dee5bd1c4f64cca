#include "protocol/anthropicstreamusage.h"

#include "protocol/anthropicusage.h"
#include "protocol/ondemandjson.h"
#include "protocol/sseeventjson.h"

#include <iterator>

using namespace simdjson;
using namespace OnDemandJson;

namespace {

enum class EventKind
{
    Other,
    MessageStart,
    MessageDelta,
    ContentBlockDelta,
    MessageStop,
    Error
};

EventKind kindOf(std::string_view type)
{
    if (type == "content_block_delta")
        return EventKind::ContentBlockDelta;
    if (type == "message_start")
        return EventKind::MessageStart;
    if (type == "message_delta")
        return EventKind::MessageDelta;
    if (type == "message_stop")
        return EventKind::MessageStop;
    if (type == "error")
        return EventKind::Error;
    return EventKind::Other;
}

// 1 for a delta of text, tool input or thinking that is not empty (tool input often starts
// with "partial_json":""). Signatures and citations are not output text.
int deltaPieces(od::document &document)
{
    od::object delta;
    if (document.find_field_unordered("delta").get_object().get(delta) != SUCCESS)
        return 0;
    std::string_view type;
    if (delta.find_field_unordered("type").get_string().get(type) != SUCCESS)
        return 0;
    const char *textKey = type == "text_delta"         ? "text"
                          : type == "input_json_delta" ? "partial_json"
                          : type == "thinking_delta"   ? "thinking"
                                                       : nullptr;
    od::value text;
    if (!textKey || delta.find_field_unordered(textKey).get(text) != SUCCESS)
        return 0;
    return isNonEmptyString(text) ? 1 : 0;
}

} // namespace

AnthropicEvent AnthropicStreamUsage::feed(const SseEvent &event)
{
    AnthropicEvent result;
    if (event.data.isEmpty())
        return result;
    SseEventJson json(event);
    const std::optional<std::string_view> type = json.type();
    if (!type) {
        result.malformed = true;
        return result;
    }
    const EventKind kind = kindOf(*type);

    switch (kind) {
    case EventKind::Other:
        return result;
    case EventKind::MessageStop:
        result.terminal = true;
        return result;
    case EventKind::Error:
        result.error = true;
        return result;
    case EventKind::ContentBlockDelta:
    case EventKind::MessageStart:
    case EventKind::MessageDelta:
        break;
    }
    od::document *document = json.document();
    if (!document) {
        result.malformed = true;
        return result;
    }
    if (kind == EventKind::ContentBlockDelta) {
        result.deltaPieces = deltaPieces(*document);
        return result;
    }

    od::value usage;
    const error_code found =
        kind == EventKind::MessageStart
            ? document->find_field_unordered("message").find_field_unordered("usage").get(usage)
            : document->find_field_unordered("usage").get(usage);
    if (found != SUCCESS)
        return result;
    // message_start sets every count, so a count it lacks is 0; a delta keeps what it lacks.
    qint64 *const counts[] = {&m_inputTokens, &m_cacheCreationInputTokens, &m_cacheReadInputTokens,
                              &m_outputTokens};
    std::optional<qint64> sent[std::size(counts)];
    if (kind == EventKind::MessageDelta) {
        for (size_t i = 0; i < std::size(counts); ++i)
            sent[i] = *counts[i];
    }
    const CountField fields[] = {{"input_tokens", &sent[0]},
                                 {"cache_creation_input_tokens", &sent[1]},
                                 {"cache_read_input_tokens", &sent[2]},
                                 {"output_tokens", &sent[3]}};
    if (!readCounts(usage, fields))
        return result;
    result.usageChanged = !m_hasUsage;
    for (size_t i = 0; i < std::size(counts); ++i) {
        const qint64 count = sent[i].value_or(0);
        result.usageChanged |= count != *counts[i];
        *counts[i] = count;
    }
    m_hasUsage = true;
    return result;
}

TokenUsage AnthropicStreamUsage::usage() const
{
    TokenUsage usage = AnthropicUsage::fromCounts(m_inputTokens, m_cacheCreationInputTokens,
                                                  m_cacheReadInputTokens, m_outputTokens);
    usage.reported = m_hasUsage;
    return usage;
}
