#include "protocol/openaichatusage.h"

#include "protocol/ondemandjson.h"

using namespace OnDemandJson;

namespace {

std::optional<TokenUsage> readUsage(od::value &value)
{
    return readOpenAIUsage(value, {"prompt_tokens", "completion_tokens", "prompt_tokens_details",
                                   "completion_tokens_details"});
}

// 1 when the object has a non-empty "arguments" string: a tool call's argument text.
int argumentPieces(od::value &value)
{
    od::object object;
    if (!isType(value, od::json_type::object) || value.get_object().get(object))
        return 0;
    for (auto member : object) {
        od::field field;
        std::string_view key;
        if (std::move(member).get(field) || field.unescaped_key().get(key))
            return 0;
        if (key == "arguments")
            return isNonEmptyString(field.value()) ? 1 : 0;
    }
    return 0;
}

int toolCallPieces(od::value &value)
{
    od::array calls;
    if (!isType(value, od::json_type::array) || value.get_array().get(calls))
        return 0;
    int pieces = 0;
    for (auto element : calls) {
        od::object call;
        if (std::move(element).get_object().get(call))
            return pieces;
        for (auto member : call) {
            od::field field;
            std::string_view key;
            if (std::move(member).get(field) || field.unescaped_key().get(key))
                return pieces;
            if (key == "function")
                pieces += argumentPieces(field.value());
        }
    }
    return pieces;
}

int deltaPieces(od::value &delta)
{
    od::object object;
    if (!isType(delta, od::json_type::object) || delta.get_object().get(object))
        return 0;
    int pieces = 0;
    for (auto member : object) {
        od::field field;
        std::string_view key;
        if (std::move(member).get(field) || field.unescaped_key().get(key))
            return pieces;
        if (key == "content" || key == "refusal" || key == "reasoning_content" ||
            key == "reasoning") {
            pieces += isNonEmptyString(field.value()) ? 1 : 0;
        } else if (key == "tool_calls") {
            pieces += toolCallPieces(field.value());
        } else if (key == "function_call") { // the deprecated single-function form
            pieces += argumentPieces(field.value());
        }
    }
    return pieces;
}

// Counts the text pieces of all choices; *any is set when there is at least one choice.
int choicePieces(od::value &value, bool *any)
{
    od::array choices;
    if (!isType(value, od::json_type::array) || value.get_array().get(choices))
        return 0;
    int pieces = 0;
    for (auto element : choices) {
        *any = true;
        od::object choice;
        if (std::move(element).get_object().get(choice))
            return pieces;
        for (auto member : choice) {
            od::field field;
            std::string_view key;
            if (std::move(member).get(field) || field.unescaped_key().get(key))
                return pieces;
            if (key == "delta")
                pieces += deltaPieces(field.value());
        }
    }
    return pieces;
}

} // namespace

std::optional<TokenUsage> OpenAIChatUsage::fromResponseBody(const QByteArray &body)
{
    const PaddedJson json(body);
    od::document document;
    od::object object;
    if (!iterateObject(json, document, object))
        return std::nullopt;
    for (auto member : object) {
        od::field field;
        std::string_view key;
        if (std::move(member).get(field) || field.unescaped_key().get(key))
            return std::nullopt;
        if (key == "usage")
            return readUsage(field.value());
    }
    return std::nullopt;
}

ChatChunk OpenAIChatUsage::classifyChunk(const QByteArray &data)
{
    ChatChunk chunk;
    if (QByteArrayView(data).trimmed() == "[DONE]") {
        chunk.done = true;
        return chunk;
    }
    if (!isFramedAsObject(data)) {
        chunk.malformed = true;
        return chunk;
    }
    const PaddedJson json(data);
    od::document document;
    od::object object;
    if (!iterateObject(json, document, object)) {
        chunk.malformed = true;
        return chunk;
    }
    bool anyChoice = false;
    for (auto member : object) {
        od::field field;
        std::string_view key;
        if (std::move(member).get(field) || field.unescaped_key().get(key)) {
            chunk.malformed = true;
            break;
        }
        if (key == "choices") {
            chunk.deltaPieces += choicePieces(field.value(), &anyChoice);
        } else if (key == "usage") {
            // "usage": null rides on every other chunk: only an object is read.
            if (isType(field.value(), od::json_type::object))
                chunk.usage = readUsage(field.value());
        } else if (key == "error") {
            chunk.error = !isType(field.value(), od::json_type::null);
        }
    }
    chunk.usageOnly = chunk.usage && !anyChoice;
    return chunk;
}
