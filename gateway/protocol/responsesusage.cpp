#include "protocol/responsesusage.h"

#include "protocol/ondemandjson.h"
#include "protocol/sseeventjson.h"

#include <algorithm>
#include <array>

using namespace simdjson;
using namespace OnDemandJson;

namespace {

enum class EventKind
{
    Other,
    Delta,
    Completed,
    Failed,
    Error
};

EventKind kindOf(std::string_view type)
{
    // Text the model writes: output, refusals, reasoning, tool arguments and code.
    static constexpr std::array<std::string_view, 9> deltas = {
        "response.output_text.delta",
        "response.refusal.delta",
        "response.function_call_arguments.delta",
        "response.custom_tool_call_input.delta",
        "response.reasoning_text.delta",
        "response.reasoning_summary_text.delta",
        "response.mcp_call_arguments.delta",
        "response.code_interpreter_call_code.delta",
        "response.audio.transcript.delta",
    };
    if (type.ends_with(".delta"))
        return std::find(deltas.begin(), deltas.end(), type) != deltas.end() ? EventKind::Delta
                                                                             : EventKind::Other;
    if (type == "response.completed" || type == "response.incomplete")
        return EventKind::Completed;
    if (type == "response.failed")
        return EventKind::Failed;
    if (type == "error")
        return EventKind::Error;
    return EventKind::Other;
}

std::optional<TokenUsage> readUsage(od::value &value)
{
    return readOpenAIUsage(
        value, {"input_tokens", "output_tokens", "input_tokens_details", "output_tokens_details"});
}

// The "usage" member of a response object into *usage (left empty when absent or null); false
// when the object cannot be read up to it.
bool readUsageMember(od::object &response, std::optional<TokenUsage> *usage)
{
    for (auto member : response) {
        od::field field;
        std::string_view key;
        if (std::move(member).get(field) || field.unescaped_key().get(key))
            return false;
        if (key == "usage") {
            *usage = readUsage(field.value());
            return true;
        }
    }
    return true;
}

// Reads event.response.usage; false when the payload cannot be read up to it.
bool readEventUsage(od::document &document, std::optional<TokenUsage> *usage)
{
    od::object event;
    if (document.get_object().get(event))
        return false;
    for (auto member : event) {
        od::field field;
        std::string_view key;
        if (std::move(member).get(field) || field.unescaped_key().get(key))
            return false;
        if (key != "response")
            continue;
        od::object response;
        if (!isType(field.value(), od::json_type::object))
            return true;
        return field.value().get_object().get(response) == SUCCESS &&
               readUsageMember(response, usage);
    }
    return true;
}

} // namespace

std::optional<TokenUsage> ResponsesUsage::fromResponseBody(const QByteArray &body)
{
    const PaddedJson json(body);
    od::document document;
    od::object object;
    std::optional<TokenUsage> usage;
    if (!iterateObject(json, document, object) || !readUsageMember(object, &usage))
        return std::nullopt;
    return usage;
}

ResponsesEvent ResponsesUsage::classifyEvent(const SseEvent &event)
{
    ResponsesEvent result;
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
        break;
    case EventKind::Delta:
        result.deltaPieces = 1;
        break;
    case EventKind::Error:
        result.failed = true;
        break;
    case EventKind::Failed:
    case EventKind::Completed: {
        result.terminal = true;
        result.failed = kind == EventKind::Failed;
        od::document *document = json.document();
        const bool read = document && readEventUsage(*document, &result.usage);
        result.malformed = !read;
        break;
    }
    }
    return result;
}
