#pragma once

#include "config/configuration.h"
#include "events/eventrow.h"
#include "events/redactor.h"
#include "ledger/usagerecord.h"

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
    QByteArray head(QByteArrayView utf8, qsizetype limit) const;
    QByteArray preview(const UsageRecord &record, const RequestPreview *request,
                       const ResponsePreview *response, bool trimmed) const;
    void writeRequest(CompactJsonWriter &json, const RequestPreview *request, bool trimmed) const;
    void writeResponse(CompactJsonWriter &json, const ResponsePreview *response,
                       bool trimmed) const;

    EventSettings m_settings;
    const Redactor *m_redactor;
};
