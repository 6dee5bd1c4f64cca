#include "events/eventbuilder.h"

#include "events/compactjsonwriter.h"
#include "events/requestpreview.h"
#include "events/responsepreview.h"
#include "events/sharedtext.h"
#include "protocol/jsonescape.h"

#include <optional>

namespace {

constexpr qsizetype kNameLimit = 256;
constexpr qsizetype kAttributionLimit = 1024;

} // namespace

EventBuilder::EventBuilder(const EventSettings &settings, const Redactor *redactor)
    : m_settings(settings)
    , m_redactor(redactor)
{}

QByteArray EventBuilder::head(const QByteArray &utf8, qsizetype limit) const
{
    if (utf8.isEmpty())
        return {};
    // Redacted first: cutting first could leave half a secret that no pattern recognises.
    QByteArray redacted = m_redactor->redact(utf8);
    if (redacted.size() <= limit)
        return redacted; // no more characters than bytes
    qsizetype units = 0;
    for (qsizetype at = 0; at < redacted.size();) {
        const auto lead = uchar(redacted[at]);
        const qsizetype length = lead < 0xc0 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
        const qsizetype width = length == 4 ? 2 : 1; // a surrogate pair in UTF-16
        if (units + width > limit) {
            redacted.truncate(at);
            return redacted.append("\u2026");
        }
        units += width;
        at += length;
    }
    return redacted;
}

QByteArray EventBuilder::jsonHead(const QByteArray &utf8, qsizetype limit) const
{
    // Short texts cost less to redact than to remember.
    constexpr qsizetype kRememberedFrom = 256;
    if (utf8.size() < kRememberedFrom)
        return jsonStringFromUtf8(head(utf8, limit));
    for (const RememberedHead &remembered : m_heads) {
        if (remembered.limit == limit && remembered.text == utf8)
            return remembered.json;
    }
    RememberedHead &slot = m_heads[m_nextHead];
    m_nextHead = (m_nextHead + 1) % m_heads.size();
    slot = {utf8, limit, jsonStringFromUtf8(head(utf8, limit))};
    return slot.json;
}

void EventBuilder::writeRequest(CompactJsonWriter &json, const RequestPreview *request,
                                bool trimmed, EventRow::SystemHead *system) const
{
    json.beginObject();
    const RequestPreview::State state = request ? request->state : RequestPreview::State::Empty;
    if (state == RequestPreview::State::Read) {
        const qsizetype limit = m_settings.previewBytes / 4;
        if (!trimmed)
            json.key("lastUser").optionalString(head(request->lastUser.text(), limit));
        json.key("messages").number(request->messages);
        json.key("model").string(head(request->model, kNameLimit));
        json.key("params").beginObject();
        for (const RequestPreview::Parameter &parameter : request->parameters) {
            json.key(parameter.name);
            if (parameter.json.isEmpty())
                json.string(head(parameter.text, kNameLimit));
            else
                json.raw(parameter.json);
        }
        json.endObject();
        if (!trimmed) {
            if (request->system.text().isEmpty()) {
                json.key("system").null();
            } else {
                const QByteArray head = jsonHead(request->system.text(), limit);
                json.key("system");
                if (head.size() >= SharedText::kFromBytes)
                    *system = {json.text().size(), head};
                json.raw(head);
            }
            json.key("tools").beginArray();
            for (const QByteArray &tool : request->tools)
                json.string(head(tool, kNameLimit));
            json.endArray();
        }
    }
    if (trimmed)
        json.key("trimmed").boolean(true);
    if (state == RequestPreview::State::Unparsed)
        json.key("unparsed").boolean(true);
    json.endObject();
}

void EventBuilder::writeResponse(CompactJsonWriter &json, const ResponsePreview *response,
                                 bool trimmed) const
{
    json.beginObject();
    if (response && !response->empty) {
        json.key("error").boolean(response->error);
        json.key("stopReason").optionalString(head(response->stopReason, kNameLimit));
        if (!trimmed) {
            json.key("text").optionalString(
                head(response->text.text(), m_settings.previewBytes / 4));
            json.key("toolCalls").beginArray();
            for (const QByteArray &call : response->toolCalls)
                json.string(head(call, kNameLimit));
            json.endArray();
        }
    }
    if (trimmed)
        json.key("trimmed").boolean(true);
    if (response && !response->empty)
        json.key("truncated").boolean(response->truncated);
    json.endObject();
}

QByteArray EventBuilder::preview(const UsageRecord &record, const RequestPreview *request,
                                 const ResponsePreview *response, bool trimmed,
                                 EventRow::SystemHead *system) const
{
    const auto text = [&](const QString &value) { return head(value.toUtf8(), kAttributionLimit); };
    const auto optionalNumber = [](CompactJsonWriter &json, std::optional<qint64> value) {
        if (value)
            json.number(*value);
        else
            json.null();
    };
    const RequestCapture *capture = record.capture.get();
    const TokenUsage &usage = record.usage;
    CompactJsonWriter json(m_settings.previewBytes);
    json.beginObject();
    json.key("attribution").beginObject();
    json.key("account").optionalString(text(record.account));
    json.key("apiKey").optionalString(text(record.apiKey));
    json.key("credential").optionalString(text(record.credentialId));
    json.key("execution").optionalString(text(record.executionId));
    json.key("flow").optionalString(text(record.flow));
    json.key("governed").boolean(record.governed);
    json.key("modelAlias").optionalString(text(record.modelAlias));
    json.key("principal").optionalString(text(record.principal));
    json.key("principalType").optionalString(text(record.principalType));
    json.key("provider").optionalString(text(record.provider));
    json.key("session").optionalString(text(record.runtimeSession));
    json.key("upstreamModel").optionalString(text(record.upstreamModel));
    json.key("user").optionalString(text(record.user));
    json.endObject();
    if (capture && capture->bodiesShed)
        json.key("bodiesShed").boolean(true);
    json.key("endpoint").string(QString::fromLatin1(record.endpoint).toUtf8());
    json.key("error").optionalString(text(record.error));
    json.key("outcome").string(QString::fromLatin1(record.outcome).toUtf8());
    if (capture || trimmed) {
        json.key("request");
        writeRequest(json, request, trimmed, system);
    }
    json.key("requestId").string(QString::fromLatin1(record.requestId).toUtf8());
    if (capture || trimmed) {
        json.key("response");
        writeResponse(json, response, trimmed);
    }
    json.key("sizes").beginObject();
    json.key("requestBytes").number(capture ? capture->requestBytes : 0);
    json.key("responseBytes").number(capture ? capture->responseBytes : 0);
    json.endObject();
    json.key("startedAtMs").number(record.startedAtMs);
    json.key("status").number(record.httpStatus);
    json.key("stream").boolean(record.stream);
    json.key("timing").beginObject();
    json.key("durationUs").number(record.durationUs);
    optionalNumber(json.key("firstByteUs"),
                   record.firstByteUs >= 0 ? std::optional(record.firstByteUs) : std::nullopt);
    optionalNumber(json.key("queuedUs"), capture && capture->queuedUs >= 0
                                             ? std::optional(capture->queuedUs)
                                             : std::nullopt);
    json.endObject();
    json.key("usage").beginObject();
    json.key("cacheWriteTokens").number(usage.cacheWriteTokens);
    json.key("cachedTokens").number(usage.cachedTokens);
    json.key("completionTokens").number(usage.completionTokens);
    optionalNumber(json.key("costMicros"), record.costMicros);
    json.key("promptTokens").number(usage.promptTokens);
    json.key("reasoningTokens").number(usage.reasoningTokens);
    json.key("reported").boolean(usage.reported);
    optionalNumber(json.key("reservedMicros"), record.reservedMicros);
    json.endObject();
    json.endObject();
    return json.take();
}

EventRow EventBuilder::build(const UsageRecord &record) const
{
    std::optional<RequestPreview> request;
    std::optional<ResponsePreview> response;
    if (const RequestCapture *capture = record.capture.get()) {
        // Texts are kept up to the whole preview's bound: four times the heads shown.
        request =
            RequestPreview::read(record.endpoint, capture->requestBody, m_settings.previewBytes);
        response = ResponsePreview::read(record.endpoint, *capture, m_settings.previewBytes);
    }
    const RequestPreview *requestPreview = request ? &*request : nullptr;
    const ResponsePreview *responsePreview = response ? &*response : nullptr;
    EventRow row;
    row.preview = preview(record, requestPreview, responsePreview, false, &row.system);
    // Bounded: the text heads go first if the rest still does not fit.
    if (row.preview.size() > m_settings.previewBytes) {
        row.system = {};
        row.preview = preview(record, requestPreview, responsePreview, true, &row.system);
    }
    if (record.capture && m_settings.captureFullBodies) {
        row.requestBody = m_redactor->redact(record.capture->requestBody);
        row.responseBody = m_redactor->redact(record.capture->responseBody);
    }
    return row;
}
