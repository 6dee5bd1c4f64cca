#include "protocol/chatrequestview.h"

#include "protocol/requestbodyreader.h"

using namespace simdjson;
using namespace OnDemandJson;

namespace {

bool readStreamOptions(RequestBodyReader &reader, od::value &value, ChatRequestView &view)
{
    if (!reader.once("stream_options"))
        return false;
    od::json_type type;
    if (!reader.typeOf(value, type))
        return false;
    const std::string_view start = value.raw_json_token();
    if (type == od::json_type::null) {
        view.streamOptions = reader.rangeOf(start);
        return true;
    }
    if (type != od::json_type::object)
        return reader.wrongType("stream_options", "an object", type);
    const bool read = reader.readMembers(value, [&](std::string_view key, od::value &member) {
        if (key != "include_usage")
            return true;
        if (!reader.once("stream_options.include_usage"))
            return false;
        if (!reader.typeOf(member, type))
            return false;
        view.includeUsageToken = reader.rangeOf(member.raw_json_token());
        if (type == od::json_type::null)
            return true;
        if (type != od::json_type::boolean)
            return reader.wrongType("stream_options.include_usage", "a boolean", type);
        bool flag = false;
        if (const error_code code = member.get_bool().get(flag))
            return reader.invalidJson(code);
        view.includeUsage = flag;
        return true;
    });
    if (!read)
        return false;
    // Once the object is consumed the parser stands on the token after its '}'.
    const char *after = nullptr;
    if (const error_code code = value.current_location().get(after))
        return reader.invalidJson(code);
    view.streamOptions = reader.rangeOf({start.data(), size_t(after - start.data())});
    return true;
}

} // namespace

std::optional<ChatRequestView> ChatRequestView::parse(const QByteArray &body, QString *error)
{
    ChatRequestView view;
    RequestBodyReader reader(body);
    const bool ok = reader.read([&](std::string_view key, od::value &value) {
        if (key == "prompt_cache_key")
            return reader.readHint(value, view.promptCacheKey, view.promptCacheKeySeen);
        if (key == "model")
            return reader.readModel(value, view.model, view.modelToken);
        if (key == "stream")
            return reader.readStream(value, view.stream);
        if (key == "stream_options")
            return readStreamOptions(reader, value, view);
        if (key == "max_tokens")
            return reader.readCount("max_tokens", value, view.maxTokens);
        if (key == "max_completion_tokens")
            return reader.readCount("max_completion_tokens", value, view.maxCompletionTokens);
        return true; // skipped without being parsed
    });
    if (!ok) {
        if (error)
            *error = reader.error();
        return std::nullopt;
    }
    view.objectStart = reader.objectStart();
    return view;
}
