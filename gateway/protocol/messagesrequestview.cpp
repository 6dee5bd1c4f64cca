#include "protocol/messagesrequestview.h"

#include "protocol/requestbodyreader.h"

using namespace simdjson;
using namespace OnDemandJson;

namespace {

bool readThinking(RequestBodyReader &reader, od::value &value, bool &requested)
{
    if (!reader.once("thinking"))
        return false;
    od::json_type type;
    if (!reader.typeOf(value, type))
        return false;
    if (type == od::json_type::null)
        return true;
    if (type != od::json_type::object)
        return reader.wrongType("thinking", "an object", type);
    return reader.readMembers(value, [&](std::string_view key, od::value &member) {
        if (key != "type")
            return true;
        if (!reader.once("thinking.type") || !reader.typeOf(member, type))
            return false;
        if (type != od::json_type::string)
            return reader.wrongType("thinking.type", "a string", type);
        std::string_view kind;
        if (const error_code code = member.get_string().get(kind))
            return reader.invalidJson(code);
        requested = kind != "disabled";
        return true;
    });
}

// Reads metadata.user_id as a hint: a metadata value of any other shape is the provider's to
// judge, never an error here.
bool readMetadata(RequestBodyReader &reader, od::value &value, QString &userId)
{
    od::object object;
    if (value.get_object().get(object) != SUCCESS)
        return true;
    bool seen = false;
    for (auto member : object) {
        od::field field;
        std::string_view key;
        if (std::move(member).get(field) != SUCCESS || field.unescaped_key().get(key) != SUCCESS)
            return true;
        if (key == "user_id")
            reader.readHint(field.value(), userId, seen);
    }
    return true;
}

} // namespace

std::optional<MessagesRequestView> MessagesRequestView::parse(const QByteArray &body,
                                                              QString *error)
{
    MessagesRequestView view;
    RequestBodyReader reader(body);
    const bool ok = reader.read([&](std::string_view key, od::value &value) {
        if (key == "model")
            return reader.readModel(value, view.model, view.modelToken);
        if (key == "stream")
            return reader.readStream(value, view.stream);
        if (key == "max_tokens")
            return reader.readCount("max_tokens", value, view.maxTokens);
        if (key == "thinking")
            return readThinking(reader, value, view.thinkingRequested);
        if (key == "metadata")
            return reader.once("metadata") && readMetadata(reader, value, view.metadataUserId);
        return true; // skipped without being parsed
    });
    if (!ok) {
        if (error)
            *error = reader.error();
        return std::nullopt;
    }
    return view;
}
