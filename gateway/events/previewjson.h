#pragma once

#include "events/previewtext.h"
#include "protocol/ondemandjson.h"

#include <string_view>

// simdjson On-Demand reading shared by the request and response previews, read as leniently as
// QJsonValue reads: a member that is missing or of another type is empty text, not an error.
// Each function returns false only when the document itself is broken. It pulls in
// <simdjson.h>: include it from .cpp files only.
namespace PreviewJson {

namespace od = OnDemandJson::od;

// The value's text when it is a string, else empty. Valid while its document is.
bool stringOf(od::value &value, std::string_view *text);
// The string member `key` of an object (found in any order), else empty.
bool memberString(od::object &object, std::string_view key, std::string_view *text);
// The member `key` of an object, found in any order; *found tells whether there is one.
bool member(od::object &object, std::string_view key, od::value *value, bool *found);
// An object the value holds; *isObject false (and true returned) for any other type.
bool objectOf(od::value &value, od::object *object, bool *isObject);
bool arrayOf(od::value &value, od::array *array, bool *isArray);
// The same for the member `key` of an object (false *isObject / *isArray when it is missing).
bool memberObject(od::object &object, std::string_view key, od::object *child, bool *isObject);
bool memberArray(od::object &object, std::string_view key, od::array *child, bool *isArray);

// The text of an OpenAI or Anthropic content value appended to `text`: a string, or the text
// of its parts/blocks one per line, a tool result as "[tool result] " and its own content,
// any other typed part as "[type]".
bool appendContent(od::value &content, PreviewText &text);

} // namespace PreviewJson
