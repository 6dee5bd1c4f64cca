#pragma once

#include "protocol/ondemandjson.h"
#include "protocol/sseevent.h"

#include <optional>
#include <string_view>

// An SSE event's data read as one JSON object, what every stream classifier shares: its type
// (the event's "event:" name, else the payload's top-level "type" member) and its document,
// iterated at most once. It pulls in <simdjson.h>: include it from .cpp files only.
class SseEventJson
{
public:
    explicit SseEventJson(const SseEvent &event);
    SseEventJson(const SseEventJson &) = delete;
    SseEventJson &operator=(const SseEventJson &) = delete;

    // The event's type; empty when the payload names none. Nothing when the data is not one
    // JSON object (or, with no event name, not a readable one): the event is malformed. A type
    // read from the payload is valid until document() is called.
    std::optional<std::string_view> type();
    // The payload's document from its start; nullptr when it cannot be iterated.
    OnDemandJson::od::document *document();

private:
    const SseEvent &m_event;
    PaddedJson m_json;
    OnDemandJson::od::document m_document;
    bool m_iterated = false;
};
