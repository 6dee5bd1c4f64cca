#include "events/responsepreview.h"

#include "events/previewjson.h"
#include "protocol/paddedjson.h"
#include "protocol/sseparser.h"

using namespace simdjson;
using namespace PreviewJson;

namespace {

// Bodies past this are not read for a preview (their size is still shown).
constexpr qsizetype kMaxParsedBytes = 8 << 20;
constexpr qsizetype kMaxToolCalls = 64;

enum class Shape
{
    Chat,
    Responses,
    Messages
};

QByteArrayView view(std::string_view text)
{
    return QByteArrayView(text.data(), qsizetype(text.size()));
}

void addCall(ResponsePreview &preview, std::string_view name)
{
    if (preview.toolCalls.size() < kMaxToolCalls)
        preview.toolCalls.append(view(name).toByteArray());
}

// The string member `key`, when there is one that is a string.
bool presentString(od::object &object, std::string_view key, std::optional<std::string_view> *text)
{
    *text = std::nullopt;
    od::value value;
    bool found = false;
    if (!member(object, key, &value, &found))
        return false;
    od::json_type type;
    if (!found || value.type().get(type) != SUCCESS || type != od::json_type::string)
        return true;
    std::string_view string;
    if (value.get_string().get(string))
        return false;
    *text = string;
    return true;
}

// The names of an array of OpenAI tool calls ({"function": {"name": ...}}); empty names count
// unless skipEmpty.
bool readCallNames(od::array &calls, ResponsePreview &preview, bool skipEmpty)
{
    for (auto element : calls) {
        od::value call;
        od::object object;
        od::object function;
        bool isObject = false;
        bool functionIsObject = false;
        std::string_view name;
        if (element.get(call) || !objectOf(call, &object, &isObject) ||
            (isObject && !memberObject(object, "function", &function, &functionIsObject)) ||
            (functionIsObject && !memberString(function, "name", &name)))
            return false;
        if (!name.empty() || !skipEmpty)
            addCall(preview, name);
    }
    return true;
}

// A whole chat completion's first choice: its message's text and tool calls, its finish reason.
bool readChoices(od::value &value, ResponsePreview &preview)
{
    od::array choices;
    bool isArray = false;
    if (!arrayOf(value, &choices, &isArray))
        return false;
    if (!isArray)
        return true;
    for (auto element : choices) {
        od::value first;
        od::object choice;
        bool isObject = false;
        if (element.get(first) || !objectOf(first, &choice, &isObject))
            return false;
        if (!isObject)
            return true;
        od::object message;
        bool messageIsObject = false;
        if (!memberObject(choice, "message", &message, &messageIsObject))
            return false;
        if (messageIsObject) {
            od::value content;
            bool found = false;
            if (!member(message, "content", &content, &found) ||
                (found && !appendContent(content, preview.text)))
                return false;
            od::array calls;
            bool callsAreArray = false;
            if (!memberArray(message, "tool_calls", &calls, &callsAreArray) ||
                (callsAreArray && !readCallNames(calls, preview, false)))
                return false;
        }
        std::string_view finish;
        if (!memberString(choice, "finish_reason", &finish))
            return false;
        preview.stopReason = view(finish).toByteArray();
        return true; // the first choice only
    }
    return true;
}

// A whole Responses object's output: message text, and every other item but reasoning as a
// call by its name (else its type).
bool readOutput(od::value &value, ResponsePreview &preview)
{
    od::array output;
    bool isArray = false;
    if (!arrayOf(value, &output, &isArray))
        return false;
    if (!isArray)
        return true;
    for (auto element : output) {
        od::value itemValue;
        od::object item;
        bool isObject = false;
        if (element.get(itemValue) || !objectOf(itemValue, &item, &isObject))
            return false;
        std::string_view type;
        std::optional<std::string_view> name;
        if (isObject && !memberString(item, "type", &type))
            return false;
        if (type == "message") {
            od::value content;
            bool found = false;
            if (!member(item, "content", &content, &found) ||
                (found && !appendContent(content, preview.text)))
                return false;
        } else if (type != "reasoning") {
            if (isObject && !presentString(item, "name", &name))
                return false;
            addCall(preview, name.value_or(type));
        }
    }
    return true;
}

// A whole Anthropic message's content blocks: text, and tool_use blocks as calls.
bool readBlocks(od::value &value, ResponsePreview &preview)
{
    od::array blocks;
    bool isArray = false;
    if (!arrayOf(value, &blocks, &isArray))
        return false;
    if (!isArray)
        return true;
    for (auto element : blocks) {
        od::value blockValue;
        od::object block;
        bool isObject = false;
        if (element.get(blockValue) || !objectOf(blockValue, &block, &isObject))
            return false;
        std::string_view type;
        if (!isObject)
            continue;
        if (!memberString(block, "type", &type))
            return false;
        std::string_view text;
        if (type == "text" || type == "tool_use") {
            if (!memberString(block, type == "text" ? "text" : "name", &text))
                return false;
            if (type == "text")
                preview.text.append(view(text));
            else
                addCall(preview, text);
        }
    }
    return true;
}

bool readBody(od::object &body, Shape shape, ResponsePreview &preview)
{
    // A body with an "error" member (not null) shows that error alone.
    PreviewText errorText(preview.text.bound());
    bool error = false;
    for (auto entry : body) {
        od::field field;
        std::string_view key;
        if (std::move(entry).get(field) || field.unescaped_key().get(key))
            return false;
        od::value value = field.value();
        bool ok = true;
        std::string_view text;
        if (key == "error") {
            // A Responses object always has one: null when there was no error.
            od::json_type type;
            if (value.type().get(type))
                return false;
            if (type == od::json_type::null)
                continue;
            error = true;
            errorText.clear();
            od::object object;
            bool isObject = false;
            ok = objectOf(value, &object, &isObject) &&
                 (isObject ? memberString(object, "message", &text) : stringOf(value, &text));
            errorText.append(view(text));
        } else if (shape == Shape::Chat && key == "choices") {
            ok = readChoices(value, preview);
        } else if (shape == Shape::Responses && key == "output") {
            ok = readOutput(value, preview);
        } else if ((shape == Shape::Responses && key == "status") ||
                   (shape == Shape::Messages && key == "stop_reason")) {
            ok = stringOf(value, &text);
            preview.stopReason = view(text).toByteArray();
        } else if (shape == Shape::Messages && key == "content") {
            ok = readBlocks(value, preview);
        }
        if (!ok)
            return false;
    }
    if (error) {
        preview.text = errorText;
        preview.toolCalls.clear();
        preview.stopReason.clear();
        preview.error = true;
    }
    return true;
}

void readChatChunk(od::object &chunk, ResponsePreview &preview)
{
    od::array choices;
    bool isArray = false;
    if (!memberArray(chunk, "choices", &choices, &isArray) || !isArray)
        return;
    for (auto element : choices) {
        od::value choiceValue;
        od::object choice;
        bool isObject = false;
        if (element.get(choiceValue) || !objectOf(choiceValue, &choice, &isObject))
            return;
        if (!isObject)
            continue;
        od::object delta;
        bool deltaIsObject = false;
        if (!memberObject(choice, "delta", &delta, &deltaIsObject))
            return;
        if (deltaIsObject) {
            std::string_view text;
            od::array calls;
            bool callsAreArray = false;
            if (!memberString(delta, "content", &text))
                return;
            preview.text.append(view(text));
            if (!memberArray(delta, "tool_calls", &calls, &callsAreArray) ||
                (callsAreArray && !readCallNames(calls, preview, true)))
                return;
        }
        std::optional<std::string_view> finish;
        if (!presentString(choice, "finish_reason", &finish))
            return;
        if (finish)
            preview.stopReason = view(*finish).toByteArray();
    }
}

void readResponsesEvent(od::object &event, ResponsePreview &preview)
{
    std::string_view type;
    if (!memberString(event, "type", &type))
        return;
    if (type == "response.output_text.delta") {
        std::string_view delta;
        if (memberString(event, "delta", &delta))
            preview.text.append(view(delta));
    } else if (type == "response.output_item.added") {
        od::object item;
        bool isObject = false;
        std::string_view itemType;
        std::optional<std::string_view> name;
        if (!memberObject(event, "item", &item, &isObject) ||
            (isObject &&
             (!memberString(item, "type", &itemType) || !presentString(item, "name", &name))))
            return;
        if (itemType != "message")
            addCall(preview, name.value_or(itemType));
    } else if (type == "response.completed" || type == "response.incomplete" ||
               type == "response.failed") {
        od::object response;
        bool isObject = false;
        std::string_view status;
        if (!memberObject(event, "response", &response, &isObject) ||
            (isObject && !memberString(response, "status", &status)))
            return;
        preview.stopReason = view(status).toByteArray();
        preview.error |= type == "response.failed";
    } else if (type == "error") {
        preview.error = true;
    }
}

void readMessagesEvent(od::object &event, ResponsePreview &preview)
{
    std::string_view type;
    if (!memberString(event, "type", &type))
        return;
    if (type == "content_block_delta") {
        od::object delta;
        bool isObject = false;
        std::string_view text;
        if (memberObject(event, "delta", &delta, &isObject) && isObject &&
            memberString(delta, "text", &text))
            preview.text.append(view(text));
    } else if (type == "content_block_start") {
        od::object block;
        bool isObject = false;
        std::string_view blockType;
        std::string_view name;
        if (memberObject(event, "content_block", &block, &isObject) && isObject &&
            memberString(block, "type", &blockType) && blockType == "tool_use" &&
            memberString(block, "name", &name))
            addCall(preview, name);
    } else if (type == "message_delta") {
        od::object delta;
        bool isObject = false;
        std::string_view stop;
        if (memberObject(event, "delta", &delta, &isObject) && isObject &&
            memberString(delta, "stop_reason", &stop) && !stop.empty())
            preview.stopReason = view(stop).toByteArray();
    } else if (type == "error") {
        preview.error = true;
    }
}

} // namespace

ResponsePreview ResponsePreview::read(QByteArrayView endpoint, const RequestCapture &capture,
                                      qsizetype textBound)
{
    ResponsePreview preview(textBound);
    const QByteArray &bytes = capture.responseBody;
    if (bytes.isEmpty())
        return preview;
    preview.empty = false;
    preview.truncated = capture.responseTruncated;
    const Shape shape = endpoint == "openai.chat_completions" ? Shape::Chat
                        : endpoint == "openai.responses"      ? Shape::Responses
                                                              : Shape::Messages;
    od::document document;
    od::object object;
    if (!capture.stream || bytes.trimmed().startsWith('{')) {
        if (bytes.size() > kMaxParsedBytes || !OnDemandJson::isFramedAsObject(bytes))
            return preview;
        const PaddedJson json(bytes);
        if (!OnDemandJson::iterateObject(json, document, object))
            return preview;
        ResponsePreview read(textBound);
        read.empty = false;
        read.truncated = preview.truncated;
        // What a broken body yields is not shown, as if it had no members.
        return readBody(object, shape, read) ? read : preview;
    }
    SseParser parser;
    parser.feed(bytes);
    parser.finish();
    for (const SseEvent &event : parser.takeEvents()) {
        if (event.data.isEmpty() || event.data == "[DONE]" ||
            !OnDemandJson::isFramedAsObject(event.data))
            continue;
        const PaddedJson json(event.data);
        if (!OnDemandJson::iterateObject(json, document, object))
            continue;
        if (shape == Shape::Chat)
            readChatChunk(object, preview);
        else if (shape == Shape::Responses)
            readResponsesEvent(object, preview);
        else
            readMessagesEvent(object, preview);
    }
    return preview;
}
