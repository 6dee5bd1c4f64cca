#pragma once

#include "config/configuration.h"
#include "events/eventrow.h"
#include "events/redactor.h"
#include "ledger/usagerecord.h"

#include <array>

class CompactJsonWriter;
class RequestPreview;
class ResponsePreview;

// Turns a usage record and its captured bodies into a provider-neutral event: attribution,
// status, timings, sizes, usage, a preview of the request (model, head of the system prompt
// and of the last user message, tool names, key parameters) and of the response (head of the
// text, tool calls, stop reason), whatever the wire shape, streamed or not. Every string is
// redacted before it is placed; the preview is bounded. Runs on the store thread, never on a
// request's path: the bodies are read with simdjson On-Demand and the preview is written as
// JSON text directly, its members in the order QJsonObject gave them.
class EventBuilder
{
public:
    EventBuilder(const EventSettings &settings, const Redactor *redactor);

    EventRow build(const UsageRecord &record) const;

private:
    // Redacted, then cut to `limit` characters (UTF-16 code units) with an ellipsis.
    QByteArray head(const QByteArray &utf8, qsizetype limit) const;
    // head() as a JSON string, remembered for the last few long texts: an agent sends the same
    // system prompt with every turn, and redacting and escaping it was a tenth of a row's work.
    QByteArray jsonHead(const QByteArray &utf8, qsizetype limit) const;
    // *system: where a long system prompt's head went (see EventRow::system).
    QByteArray preview(const UsageRecord &record, const RequestPreview *request,
                       const ResponsePreview *response, bool trimmed,
                       EventRow::SystemHead *system) const;
    void writeRequest(CompactJsonWriter &json, const RequestPreview *request, bool trimmed,
                      EventRow::SystemHead *system) const;
    void writeResponse(CompactJsonWriter &json, const ResponsePreview *response,
                       bool trimmed) const;

    struct RememberedHead
    {
        QByteArray text; // the whole text, compared in full
        qsizetype limit = 0;
        QByteArray json;
    };

    EventSettings m_settings;
    const Redactor *m_redactor;
    // Used from one thread (the store's) at a time, as the builder is.
    mutable std::array<RememberedHead, 8> m_heads;
    mutable std::size_t m_nextHead = 0; // the one replaced next: the oldest
};
