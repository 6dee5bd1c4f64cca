#include "events/requestpreview.h"

#include "events/previewjson.h"
#include "protocol/paddedjson.h"

#include <QLocale>

#include <algorithm>
#include <array>
#include <cmath>

using namespace simdjson;
using namespace PreviewJson;

namespace {

// Bodies past this are not read for a preview (their size is still shown).
constexpr qsizetype kMaxParsedBytes = 8 << 20;
constexpr qsizetype kMaxTools = 64;

enum class Shape
{
    Chat,
    Responses,
    Messages
};

// The parameters each shape shows: small values only.
constexpr std::array kChatParameters{
    std::string_view("max_tokens"),       std::string_view("max_completion_tokens"),
    std::string_view("temperature"),      std::string_view("top_p"),
    std::string_view("reasoning_effort"), std::string_view("response_format"),
    std::string_view("tool_choice"),      std::string_view("stream"),
    std::string_view("prompt_cache_key")};
constexpr std::array kResponsesParameters{
    std::string_view("max_output_tokens"), std::string_view("temperature"),
    std::string_view("reasoning"),         std::string_view("store"),
    std::string_view("tool_choice"),       std::string_view("stream"),
    std::string_view("prompt_cache_key")};
constexpr std::array kMessagesParameters{
    std::string_view("max_tokens"), std::string_view("temperature"), std::string_view("top_p"),
    std::string_view("thinking"),   std::string_view("tool_choice"), std::string_view("stream")};

template<size_t N> bool contains(const std::array<std::string_view, N> &names, std::string_view key)
{
    return std::find(names.begin(), names.end(), key) != names.end();
}

bool isParameter(Shape shape, std::string_view key)
{
    switch (shape) {
    case Shape::Chat:
        return contains(kChatParameters, key);
    case Shape::Responses:
        return contains(kResponsesParameters, key);
    case Shape::Messages:
        return contains(kMessagesParameters, key);
    }
    return false;
}

QByteArray bytes(std::string_view text)
{
    return QByteArray(text.data(), qsizetype(text.size()));
}

// A number as QJsonDocument writes it back: an integer as it is, anything else as the
// shortest double.
bool numberJson(od::value &value, QByteArray *json)
{
    const std::string_view token = value.raw_json_token();
    const bool integral = token.find_first_of(".eE") == std::string_view::npos;
    int64_t integer = 0;
    if (integral && value.get_int64().get(integer) == SUCCESS) {
        *json = QByteArray::number(integer);
        return true;
    }
    double real = 0;
    if (value.get_double().get(real))
        return false;
    *json = std::isfinite(real) ? QByteArray::number(real, 'g', QLocale::FloatingPointShortest)
                                : QByteArrayLiteral("null");
    return true;
}

// A scalar as a parameter; *shown false for an object or an array.
bool scalar(od::value &value, RequestPreview::Parameter *parameter, bool *shown)
{
    *shown = true;
    od::json_type type;
    if (value.type().get(type))
        return false;
    switch (type) {
    case od::json_type::string: {
        std::string_view text;
        if (value.get_string().get(text))
            return false;
        parameter->text = bytes(text);
        return true;
    }
    case od::json_type::number:
        return numberJson(value, &parameter->json);
    case od::json_type::boolean: {
        bool flag = false;
        if (value.get_bool().get(flag))
            return false;
        parameter->json = flag ? QByteArrayLiteral("true") : QByteArrayLiteral("false");
        return true;
    }
    case od::json_type::null:
        parameter->json = QByteArrayLiteral("null");
        return true;
    default:
        *shown = false;
        return true;
    }
}

// A parameter's value, or for an object its "type" (else its "effort"): {"type": "enabled",
// "budget_tokens": 2048} shows as "enabled". Null and arrays are not shown.
bool readParameter(std::string_view name, od::value &value,
                   QList<RequestPreview::Parameter> &parameters)
{
    od::json_type type;
    if (value.type().get(type))
        return false;
    RequestPreview::Parameter parameter{bytes(name), {}, {}};
    bool shown = false;
    if (type == od::json_type::object) {
        od::object object;
        if (value.get_object().get(object))
            return false;
        od::value inner;
        bool found = false;
        if (!member(object, "type", &inner, &found) ||
            (!found && !member(object, "effort", &inner, &found)))
            return false;
        if (found && !scalar(inner, &parameter, &shown))
            return false;
    } else if (type != od::json_type::null && type != od::json_type::array) {
        if (!scalar(value, &parameter, &shown))
            return false;
    }
    const auto sameName = [&](const RequestPreview::Parameter &p) {
        return p.name == parameter.name;
    };
    parameters.removeIf(sameName); // a repeated key: the last one counts
    if (!shown)
        return true;
    const auto at =
        std::lower_bound(parameters.begin(), parameters.end(), parameter,
                         [](const RequestPreview::Parameter &a,
                            const RequestPreview::Parameter &b) { return a.name < b.name; });
    parameters.insert(at, std::move(parameter));
    return true;
}

// Tool names: "name", else "function"."name", else "type" (empty when none).
bool readTools(od::value &value, QByteArrayList &tools)
{
    tools.clear();
    od::array array;
    bool isArray = false;
    if (!arrayOf(value, &array, &isArray))
        return false;
    if (!isArray)
        return true;
    for (auto element : array) {
        if (tools.size() >= kMaxTools)
            break;
        od::value tool;
        if (element.get(tool))
            return false;
        od::object object;
        bool isObject = false;
        if (!objectOf(tool, &object, &isObject))
            return false;
        std::string_view name;
        if (isObject) {
            if (!memberString(object, "name", &name))
                return false;
            od::value function;
            bool found = false;
            if (name.empty() && !member(object, "function", &function, &found))
                return false;
            od::object functionObject;
            bool functionIsObject = false;
            if (found && (!objectOf(function, &functionObject, &functionIsObject) ||
                          (functionIsObject && !memberString(functionObject, "name", &name))))
                return false;
            if (name.empty() && !memberString(object, "type", &name))
                return false;
        }
        tools.append(bytes(name));
    }
    return true;
}

// One message or input item: its role and, for the roles shown, its content's text.
bool readMessage(od::value &message, Shape shape, RequestPreview &preview, PreviewText &system)
{
    od::object object;
    bool isObject = false;
    if (!objectOf(message, &object, &isObject))
        return false;
    if (!isObject)
        return true;
    std::string_view role;
    if (!memberString(object, "role", &role))
        return false;
    PreviewText *text = nullptr;
    if (role == "user") {
        text = &preview.lastUser;
        text->clear();
    } else if (shape != Shape::Messages && (role == "system" || role == "developer") &&
               system.isEmpty()) {
        text = &system; // the first one that says something
    }
    if (!text)
        return true;
    od::value content;
    bool found = false;
    if (!member(object, "content", &content, &found))
        return false;
    return !found || appendContent(content, *text);
}

bool readMessages(od::value &value, Shape shape, RequestPreview &preview, PreviewText &system)
{
    preview.messages = 0;
    preview.lastUser.clear();
    if (shape == Shape::Responses) {
        od::json_type type;
        if (value.type().get(type))
            return false;
        if (type == od::json_type::string) {
            std::string_view input;
            if (value.get_string().get(input))
                return false;
            preview.lastUser.append(QByteArrayView(input.data(), qsizetype(input.size())));
            preview.messages = 1;
            return true;
        }
    }
    od::array array;
    bool isArray = false;
    if (!arrayOf(value, &array, &isArray))
        return false;
    if (!isArray)
        return true;
    for (auto element : array) {
        od::value message;
        if (element.get(message))
            return false;
        ++preview.messages;
        if (!readMessage(message, shape, preview, system))
            return false;
    }
    return true;
}

} // namespace

RequestPreview RequestPreview::read(QByteArrayView endpoint, const QByteArray &body,
                                    qsizetype textBound)
{
    RequestPreview preview(textBound);
    if (body.isEmpty() || body.size() > kMaxParsedBytes)
        return preview;
    preview.state = State::Unparsed;
    if (!OnDemandJson::isFramedAsObject(body))
        return preview;
    const Shape shape = endpoint.startsWith("anthropic.") ? Shape::Messages
                        : endpoint == "openai.responses"  ? Shape::Responses
                                                          : Shape::Chat;
    const PaddedJson json(body);
    od::document document;
    od::object object;
    if (!OnDemandJson::iterateObject(json, document, object))
        return preview;
    // Responses: "instructions", else the first developer or system item that says something.
    PreviewText instructions(textBound);
    PreviewText fromMessages(textBound);
    bool members = false;
    for (auto entry : object) {
        od::field field;
        std::string_view key;
        if (std::move(entry).get(field) || field.unescaped_key().get(key))
            return preview;
        members = true;
        od::value value = field.value();
        bool ok = true;
        std::string_view text;
        if (key == "model") {
            ok = stringOf(value, &text);
            preview.model = bytes(text);
        } else if (key == (shape == Shape::Responses ? "input" : "messages")) {
            if (shape != Shape::Messages)
                fromMessages.clear();
            ok = readMessages(value, shape, preview, fromMessages);
        } else if (key == "system" && shape == Shape::Messages) {
            fromMessages.clear();
            ok = appendContent(value, fromMessages);
        } else if (key == "instructions" && shape == Shape::Responses) {
            instructions.clear();
            ok = stringOf(value, &text);
            instructions.append(QByteArrayView(text.data(), qsizetype(text.size())));
        } else if (key == "tools") {
            ok = readTools(value, preview.tools);
        } else if (isParameter(shape, key)) {
            ok = readParameter(key, value, preview.parameters);
        }
        if (!ok)
            return preview;
    }
    const char *trailing = nullptr;
    if (!members || document.current_location().get(trailing) == SUCCESS)
        return preview; // {} or more after the object
    preview.system = instructions.isEmpty() ? fromMessages : instructions;
    preview.state = State::Read;
    return preview;
}
