#include "events/previewjson.h"

using namespace simdjson;

namespace PreviewJson {

namespace {

// An absent member or a value of another type is no failure of the document.
bool isLenient(error_code code)
{
    return code == SUCCESS || code == NO_SUCH_FIELD || code == INCORRECT_TYPE;
}

} // namespace

bool stringOf(od::value &value, std::string_view *text)
{
    *text = {};
    od::json_type type;
    if (const error_code code = value.type().get(type))
        return isLenient(code);
    if (type != od::json_type::string)
        return true;
    return value.get_string().get(*text) == SUCCESS;
}

bool member(od::object &object, std::string_view key, od::value *value, bool *found)
{
    const error_code code = object.find_field_unordered(key).get(*value);
    *found = code == SUCCESS;
    return isLenient(code);
}

bool memberString(od::object &object, std::string_view key, std::string_view *text)
{
    *text = {};
    od::value value;
    bool found = false;
    if (!member(object, key, &value, &found))
        return false;
    return !found || stringOf(value, text);
}

bool objectOf(od::value &value, od::object *object, bool *isObject)
{
    *isObject = false;
    od::json_type type;
    if (const error_code code = value.type().get(type))
        return isLenient(code);
    if (type != od::json_type::object)
        return true;
    *isObject = true;
    return value.get_object().get(*object) == SUCCESS;
}

bool arrayOf(od::value &value, od::array *array, bool *isArray)
{
    *isArray = false;
    od::json_type type;
    if (const error_code code = value.type().get(type))
        return isLenient(code);
    if (type != od::json_type::array)
        return true;
    *isArray = true;
    return value.get_array().get(*array) == SUCCESS;
}

bool memberObject(od::object &object, std::string_view key, od::object *child, bool *isObject)
{
    *isObject = false;
    od::value value;
    bool found = false;
    if (!member(object, key, &value, &found))
        return false;
    return !found || objectOf(value, child, isObject);
}

bool memberArray(od::object &object, std::string_view key, od::array *child, bool *isArray)
{
    *isArray = false;
    od::value value;
    bool found = false;
    if (!member(object, key, &value, &found))
        return false;
    return !found || arrayOf(value, child, isArray);
}

bool appendContent(od::value &content, PreviewText &text)
{
    od::json_type type;
    if (const error_code code = content.type().get(type))
        return isLenient(code);
    if (type == od::json_type::string) {
        std::string_view string;
        if (content.get_string().get(string))
            return false;
        text.append(QByteArrayView(string.data(), qsizetype(string.size())));
        return true;
    }
    od::array parts;
    bool isArray = false;
    if (!arrayOf(content, &parts, &isArray))
        return false;
    if (!isArray)
        return true;
    for (auto element : parts) {
        od::value part;
        if (element.get(part))
            return false;
        od::object object;
        bool isObject = false;
        if (!objectOf(part, &object, &isObject))
            return false;
        if (!isObject)
            continue;
        std::string_view partType;
        if (!memberString(object, "type", &partType))
            return false;
        if (partType == "text" || partType == "input_text" || partType == "output_text") {
            std::string_view partText;
            if (!memberString(object, "text", &partText))
                return false;
            text.separate();
            text.append(QByteArrayView(partText.data(), qsizetype(partText.size())));
        } else if (partType == "tool_result" || partType == "function_call_output") {
            od::value inner;
            bool found = false;
            if (!member(object, "content", &inner, &found) ||
                (!found && !member(object, "output", &inner, &found)))
                return false;
            // The result's own parts are joined on their own, then follow the label.
            PreviewText result(text.bound());
            if (found && !appendContent(inner, result))
                return false;
            text.separate();
            text.append("[tool result] ");
            text.append(result.text());
        } else if (!partType.empty()) {
            text.separate();
            text.append("[");
            text.append(QByteArrayView(partType.data(), qsizetype(partType.size())));
            text.append("]");
        }
    }
    return true;
}

} // namespace PreviewJson
