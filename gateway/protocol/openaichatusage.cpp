#include "protocol/openaichatusage.h"

#include "protocol/paddedjson.h"

#include <simdjson.h>

#include <cmath>

using namespace simdjson;

namespace {

ondemand::parser &threadParser()
{
    thread_local ondemand::parser parser;
    return parser;
}

bool isType(ondemand::value &value, ondemand::json_type expected)
{
    ondemand::json_type type;
    return value.type().get(type) == SUCCESS && type == expected;
}

// A token count; null, negative or not a number reads as 0. Some backends send 12.0.
qint64 readCount(ondemand::value &value)
{
    ondemand::json_type type;
    if (value.type().get(type) != SUCCESS || type != ondemand::json_type::number)
        return 0;
    int64_t count = 0;
    if (value.get_int64().get(count) != SUCCESS) {
        double real = 0;
        if (value.get_double().get(real) != SUCCESS || !std::isfinite(real))
            return 0;
        count = std::llround(real);
    }
    return qMax<qint64>(count, 0);
}

// Reads the count named `key` inside a *_details object.
qint64 readDetail(ondemand::value &details, std::string_view key)
{
    ondemand::object object;
    if (!isType(details, ondemand::json_type::object) || details.get_object().get(object))
        return 0;
    for (auto member : object) {
        ondemand::field field;
        std::string_view name;
        if (std::move(member).get(field) || field.unescaped_key().get(name))
            return 0;
        if (name == key)
            return readCount(field.value());
    }
    return 0;
}

std::optional<TokenUsage> readUsage(ondemand::value &value)
{
    ondemand::object object;
    if (!isType(value, ondemand::json_type::object) || value.get_object().get(object))
        return std::nullopt;
    TokenUsage usage;
    usage.reported = true;
    for (auto member : object) {
        ondemand::field field;
        std::string_view key;
        if (std::move(member).get(field) || field.unescaped_key().get(key))
            return std::nullopt;
        if (key == "prompt_tokens")
            usage.promptTokens = readCount(field.value());
        else if (key == "completion_tokens")
            usage.completionTokens = readCount(field.value());
        else if (key == "prompt_tokens_details")
            usage.cachedTokens = readDetail(field.value(), "cached_tokens");
        else if (key == "completion_tokens_details")
            usage.reasoningTokens = readDetail(field.value(), "reasoning_tokens");
    }
    return usage;
}

// A string with at least one character, judged from its raw token: the text is not unescaped.
bool isNonEmptyString(ondemand::value &value)
{
    if (!isType(value, ondemand::json_type::string))
        return false;
    const std::string_view token = value.raw_json_token();
    return token.size() > 2 && token[1] != '"';
}

// 1 when the object has a non-empty "arguments" string: a tool call's argument text.
int argumentPieces(ondemand::value &value)
{
    ondemand::object object;
    if (!isType(value, ondemand::json_type::object) || value.get_object().get(object))
        return 0;
    for (auto member : object) {
        ondemand::field field;
        std::string_view key;
        if (std::move(member).get(field) || field.unescaped_key().get(key))
            return 0;
        if (key == "arguments")
            return isNonEmptyString(field.value()) ? 1 : 0;
    }
    return 0;
}

int toolCallPieces(ondemand::value &value)
{
    ondemand::array calls;
    if (!isType(value, ondemand::json_type::array) || value.get_array().get(calls))
        return 0;
    int pieces = 0;
    for (auto element : calls) {
        ondemand::object call;
        if (std::move(element).get_object().get(call))
            return pieces;
        for (auto member : call) {
            ondemand::field field;
            std::string_view key;
            if (std::move(member).get(field) || field.unescaped_key().get(key))
                return pieces;
            if (key == "function")
                pieces += argumentPieces(field.value());
        }
    }
    return pieces;
}

int deltaPieces(ondemand::value &delta)
{
    ondemand::object object;
    if (!isType(delta, ondemand::json_type::object) || delta.get_object().get(object))
        return 0;
    int pieces = 0;
    for (auto member : object) {
        ondemand::field field;
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
int choicePieces(ondemand::value &value, bool *any)
{
    ondemand::array choices;
    if (!isType(value, ondemand::json_type::array) || value.get_array().get(choices))
        return 0;
    int pieces = 0;
    for (auto element : choices) {
        *any = true;
        ondemand::object choice;
        if (std::move(element).get_object().get(choice))
            return pieces;
        for (auto member : choice) {
            ondemand::field field;
            std::string_view key;
            if (std::move(member).get(field) || field.unescaped_key().get(key))
                return pieces;
            if (key == "delta")
                pieces += deltaPieces(field.value());
        }
    }
    return pieces;
}

bool iterate(const PaddedJson &json, ondemand::document &document, ondemand::object &object)
{
    return threadParser()
                   .iterate(padded_string_view(json.data(), size_t(json.size()),
                                               size_t(json.capacity())))
                   .get(document) == SUCCESS &&
           document.get_object().get(object) == SUCCESS;
}

} // namespace

std::optional<TokenUsage> OpenAIChatUsage::fromResponseBody(const QByteArray &body)
{
    const PaddedJson json(body);
    ondemand::document document;
    ondemand::object object;
    if (!iterate(json, document, object))
        return std::nullopt;
    for (auto member : object) {
        ondemand::field field;
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
    // On-Demand validates only what it reads: a cut-off object is caught by its ends.
    const QByteArrayView trimmed = QByteArrayView(data).trimmed();
    if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) {
        chunk.malformed = true;
        return chunk;
    }
    const PaddedJson json(data);
    ondemand::document document;
    ondemand::object object;
    if (!iterate(json, document, object)) {
        chunk.malformed = true;
        return chunk;
    }
    bool anyChoice = false;
    for (auto member : object) {
        ondemand::field field;
        std::string_view key;
        if (std::move(member).get(field) || field.unescaped_key().get(key)) {
            chunk.malformed = true;
            break;
        }
        if (key == "choices") {
            chunk.deltaPieces += choicePieces(field.value(), &anyChoice);
        } else if (key == "usage") {
            // "usage": null rides on every other chunk: only an object is read.
            if (isType(field.value(), ondemand::json_type::object))
                chunk.usage = readUsage(field.value());
        } else if (key == "error") {
            chunk.error = !isType(field.value(), ondemand::json_type::null);
        }
    }
    chunk.usageOnly = chunk.usage && !anyChoice;
    return chunk;
}
