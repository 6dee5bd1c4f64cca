#include "protocol/sseeventjson.h"

using namespace simdjson;
using namespace OnDemandJson;

namespace {

// The top-level "type" member of an event payload (unescaped), or empty when there is none.
// False when the payload is not one readable object.
bool readTypeMember(od::document &document, std::string_view *type)
{
    *type = {};
    od::object object;
    if (document.get_object().get(object))
        return false;
    for (auto member : object) {
        od::field field;
        std::string_view key;
        if (std::move(member).get(field) || field.unescaped_key().get(key))
            return false;
        if (key != "type")
            continue;
        od::json_type kind;
        if (field.value().type().get(kind) != SUCCESS)
            return false;
        return kind != od::json_type::string || field.value().get_string().get(*type) == SUCCESS;
    }
    return true;
}

} // namespace

SseEventJson::SseEventJson(const SseEvent &event)
    : m_event(event)
    , m_json(event.data)
{}

std::optional<std::string_view> SseEventJson::type()
{
    if (!isFramedAsObject(m_event.data))
        return std::nullopt;
    if (!m_event.event.isEmpty())
        return std::string_view(m_event.event.constData(), size_t(m_event.event.size()));
    std::string_view type;
    if (!document() || !readTypeMember(m_document, &type))
        return std::nullopt;
    return type;
}

od::document *SseEventJson::document()
{
    if (m_iterated) {
        m_document.rewind();
        return &m_document;
    }
    m_iterated = true;
    return iterate(m_json, m_document) == SUCCESS ? &m_document : nullptr;
}
