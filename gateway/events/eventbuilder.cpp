#include "events/eventbuilder.h"

#include "policy/optionaltext.h"
#include "protocol/sseparser.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {

// Bodies past this are not parsed for a preview (their size is still shown).
constexpr qsizetype kMaxParsedBytes = 8 << 20;
constexpr int kMaxTools = 64;

// The text of an OpenAI or Anthropic content value: a string, or an array of parts/blocks.
QString contentText(const QJsonValue &content)
{
    if (content.isString())
        return content.toString();
    QString text;
    for (const QJsonValue &part : content.toArray()) {
        const QJsonObject object = part.toObject();
        const QString type = object.value(u"type"_s).toString();
        if (type == u"text" || type == u"input_text" || type == u"output_text") {
            if (!text.isEmpty())
                text += u'\n';
            text += object.value(u"text"_s).toString();
        } else if (type == u"tool_result" || type == u"function_call_output") {
            if (!text.isEmpty())
                text += u'\n';
            text += u"[tool result] "_s + contentText(object.value(u"content"_s).isUndefined()
                                                          ? object.value(u"output"_s)
                                                          : object.value(u"content"_s));
        } else if (!type.isEmpty()) {
            if (!text.isEmpty())
                text += u'\n';
            text += u'[' + type + u']';
        }
    }
    return text;
}

QJsonArray toolNames(const QJsonArray &tools)
{
    QJsonArray names;
    for (const QJsonValue &tool : tools) {
        if (names.size() >= kMaxTools)
            break;
        const QJsonObject object = tool.toObject();
        QString name = object.value(u"name"_s).toString();
        if (name.isEmpty())
            name = object.value(u"function"_s).toObject().value(u"name"_s).toString();
        if (name.isEmpty())
            name = object.value(u"type"_s).toString();
        names.append(name);
    }
    return names;
}

QJsonObject parameters(const QJsonObject &body, std::initializer_list<const char16_t *> keys)
{
    QJsonObject params;
    for (const char16_t *key : keys) {
        const QString name = QString::fromUtf16(key);
        const QJsonValue value = body.value(name);
        if (value.isUndefined() || value.isNull())
            continue;
        // Small values only: a nested object is summarised by its type.
        if (value.isObject() && value.toObject().contains(u"type"_s))
            params.insert(name, value.toObject().value(u"type"_s));
        else if (value.isObject() && value.toObject().contains(u"effort"_s))
            params.insert(name, value.toObject().value(u"effort"_s));
        else if (!value.isObject() && !value.isArray())
            params.insert(name, value);
    }
    return params;
}

// What a stream said, accumulated across its events.
struct StreamSummary
{
    QString text;
    QJsonArray toolCalls;
    QString stopReason;
    bool error = false;
};

void readChatChunk(const QJsonObject &chunk, StreamSummary &summary)
{
    for (const QJsonValue &choice : chunk.value(u"choices"_s).toArray()) {
        const QJsonObject object = choice.toObject();
        const QJsonObject delta = object.value(u"delta"_s).toObject();
        summary.text += delta.value(u"content"_s).toString();
        for (const QJsonValue &call : delta.value(u"tool_calls"_s).toArray()) {
            const QString name =
                call.toObject().value(u"function"_s).toObject().value(u"name"_s).toString();
            if (!name.isEmpty() && summary.toolCalls.size() < kMaxTools)
                summary.toolCalls.append(name);
        }
        if (object.value(u"finish_reason"_s).isString())
            summary.stopReason = object.value(u"finish_reason"_s).toString();
    }
}

void readResponsesEvent(const QJsonObject &event, StreamSummary &summary)
{
    const QString type = event.value(u"type"_s).toString();
    if (type == u"response.output_text.delta") {
        summary.text += event.value(u"delta"_s).toString();
    } else if (type == u"response.output_item.added") {
        const QJsonObject item = event.value(u"item"_s).toObject();
        if (item.value(u"type"_s).toString() != u"message" && summary.toolCalls.size() < kMaxTools)
            summary.toolCalls.append(
                item.value(u"name"_s).toString(item.value(u"type"_s).toString()));
    } else if (type == u"response.completed" || type == u"response.incomplete" ||
               type == u"response.failed") {
        summary.stopReason = event.value(u"response"_s).toObject().value(u"status"_s).toString();
        summary.error |= type == u"response.failed";
    } else if (type == u"error") {
        summary.error = true;
    }
}

void readMessagesEvent(const QJsonObject &event, StreamSummary &summary)
{
    const QString type = event.value(u"type"_s).toString();
    if (type == u"content_block_delta") {
        summary.text += event.value(u"delta"_s).toObject().value(u"text"_s).toString();
    } else if (type == u"content_block_start") {
        const QJsonObject block = event.value(u"content_block"_s).toObject();
        if (block.value(u"type"_s).toString() == u"tool_use" &&
            summary.toolCalls.size() < kMaxTools)
            summary.toolCalls.append(block.value(u"name"_s).toString());
    } else if (type == u"message_delta") {
        const QString stop = event.value(u"delta"_s).toObject().value(u"stop_reason"_s).toString();
        if (!stop.isEmpty())
            summary.stopReason = stop;
    } else if (type == u"error") {
        summary.error = true;
    }
}

} // namespace

EventBuilder::EventBuilder(const EventSettings &settings, const Redactor *redactor)
    : m_settings(settings)
    , m_redactor(redactor)
{}

QString EventBuilder::head(const QString &text, qsizetype limit) const
{
    // Redacted first: cutting first could leave half a secret that no pattern recognises.
    const QString redacted = QString::fromUtf8(m_redactor->redact(text.toUtf8()));
    if (redacted.size() <= limit)
        return redacted;
    return redacted.left(limit) + u"…"_s;
}

QJsonObject EventBuilder::requestPreview(const QByteArray &endpoint, const QByteArray &body) const
{
    if (body.isEmpty() || body.size() > kMaxParsedBytes)
        return {};
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    if (json.isEmpty())
        return {{u"unparsed"_s, true}};
    const qsizetype limit = m_settings.previewBytes / 4;
    QString system;
    QString lastUser;
    int messages = 0;
    QJsonArray tools = toolNames(json.value(u"tools"_s).toArray());
    QJsonObject params;
    if (endpoint.startsWith("anthropic.")) {
        system = contentText(json.value(u"system"_s));
        const QJsonArray list = json.value(u"messages"_s).toArray();
        messages = int(list.size());
        for (const QJsonValue &message : list) {
            if (message.toObject().value(u"role"_s).toString() == u"user")
                lastUser = contentText(message.toObject().value(u"content"_s));
        }
        params = parameters(json, {u"max_tokens", u"temperature", u"top_p", u"thinking",
                                   u"tool_choice", u"stream"});
    } else if (endpoint == "openai.responses") {
        system = json.value(u"instructions"_s).toString();
        const QJsonValue input = json.value(u"input"_s);
        if (input.isString()) {
            lastUser = input.toString();
            messages = 1;
        }
        for (const QJsonValue &item : input.toArray()) {
            ++messages;
            const QJsonObject object = item.toObject();
            const QString role = object.value(u"role"_s).toString();
            if (role == u"user")
                lastUser = contentText(object.value(u"content"_s));
            else if ((role == u"developer" || role == u"system") && system.isEmpty())
                system = contentText(object.value(u"content"_s));
        }
        params = parameters(json, {u"max_output_tokens", u"temperature", u"reasoning", u"store",
                                   u"tool_choice", u"stream", u"prompt_cache_key"});
    } else {
        const QJsonArray list = json.value(u"messages"_s).toArray();
        messages = int(list.size());
        for (const QJsonValue &message : list) {
            const QJsonObject object = message.toObject();
            const QString role = object.value(u"role"_s).toString();
            if (role == u"user")
                lastUser = contentText(object.value(u"content"_s));
            else if ((role == u"system" || role == u"developer") && system.isEmpty())
                system = contentText(object.value(u"content"_s));
        }
        params = parameters(json, {u"max_tokens", u"max_completion_tokens", u"temperature",
                                   u"top_p", u"reasoning_effort", u"response_format",
                                   u"tool_choice", u"stream", u"prompt_cache_key"});
    }
    for (auto it = params.begin(); it != params.end(); ++it) {
        if (it->isString())
            *it = head(it->toString(), 256);
    }
    return {{u"model"_s, head(json.value(u"model"_s).toString(), 256)},
            {u"system"_s, OptionalText::json(head(system, limit))},
            {u"lastUser"_s, OptionalText::json(head(lastUser, limit))},
            {u"messages"_s, messages},
            {u"tools"_s, tools},
            {u"params"_s, params}};
}

QJsonObject EventBuilder::responsePreview(const QByteArray &endpoint,
                                          const RequestCapture &capture) const
{
    if (capture.responseBody.isEmpty())
        return {};
    StreamSummary summary;
    const QByteArray &bytes = capture.responseBody;
    const bool isStream = capture.stream && !bytes.trimmed().startsWith('{');
    if (isStream) {
        SseParser parser;
        parser.feed(bytes);
        parser.finish();
        for (const SseEvent &event : parser.takeEvents()) {
            if (event.data.isEmpty() || event.data == "[DONE]")
                continue;
            const QJsonObject json = QJsonDocument::fromJson(event.data).object();
            if (endpoint == "openai.chat_completions")
                readChatChunk(json, summary);
            else if (endpoint == "openai.responses")
                readResponsesEvent(json, summary);
            else
                readMessagesEvent(json, summary);
            if (summary.text.size() > m_settings.previewBytes)
                summary.text.truncate(m_settings.previewBytes); // enough for the head
        }
    } else if (bytes.size() <= kMaxParsedBytes) {
        const QJsonObject json = QJsonDocument::fromJson(bytes).object();
        if (json.contains(u"error"_s)) {
            const QJsonValue error = json.value(u"error"_s);
            summary.text = error.isObject() ? error.toObject().value(u"message"_s).toString()
                                            : error.toString();
            summary.error = true;
        } else if (endpoint == "openai.chat_completions") {
            const QJsonObject choice = json.value(u"choices"_s).toArray().at(0).toObject();
            const QJsonObject message = choice.value(u"message"_s).toObject();
            summary.text = contentText(message.value(u"content"_s));
            for (const QJsonValue &call : message.value(u"tool_calls"_s).toArray())
                summary.toolCalls.append(
                    call.toObject().value(u"function"_s).toObject().value(u"name"_s).toString());
            summary.stopReason = choice.value(u"finish_reason"_s).toString();
        } else if (endpoint == "openai.responses") {
            for (const QJsonValue &item : json.value(u"output"_s).toArray()) {
                const QJsonObject object = item.toObject();
                if (object.value(u"type"_s).toString() == u"message")
                    summary.text += contentText(object.value(u"content"_s));
                else if (object.value(u"type"_s).toString() != u"reasoning")
                    summary.toolCalls.append(
                        object.value(u"name"_s).toString(object.value(u"type"_s).toString()));
            }
            summary.stopReason = json.value(u"status"_s).toString();
        } else {
            for (const QJsonValue &block : json.value(u"content"_s).toArray()) {
                const QJsonObject object = block.toObject();
                if (object.value(u"type"_s).toString() == u"text")
                    summary.text += object.value(u"text"_s).toString();
                else if (object.value(u"type"_s).toString() == u"tool_use")
                    summary.toolCalls.append(object.value(u"name"_s).toString());
            }
            summary.stopReason = json.value(u"stop_reason"_s).toString();
        }
    }
    QJsonArray calls;
    for (const QJsonValue &call : std::as_const(summary.toolCalls))
        calls.append(head(call.toString(), 256));
    return {{u"text"_s, OptionalText::json(head(summary.text, m_settings.previewBytes / 4))},
            {u"toolCalls"_s, calls},
            {u"stopReason"_s, OptionalText::json(summary.stopReason)},
            {u"error"_s, summary.error},
            {u"truncated"_s, capture.responseTruncated}};
}

EventRow EventBuilder::build(const UsageRecord &record) const
{
    const auto text = [&](const QString &value) { return OptionalText::json(head(value, 1024)); };
    const TokenUsage &usage = record.usage;
    QJsonObject preview{
        {u"requestId"_s, QString::fromLatin1(record.requestId)},
        {u"endpoint"_s, QString::fromLatin1(record.endpoint)},
        {u"startedAtMs"_s, record.startedAtMs},
        {u"attribution"_s, QJsonObject{{u"account"_s, text(record.account)},
                                       {u"user"_s, text(record.user)},
                                       {u"apiKey"_s, text(record.apiKey)},
                                       {u"flow"_s, text(record.flow)},
                                       {u"execution"_s, text(record.executionId)},
                                       {u"session"_s, text(record.runtimeSession)},
                                       {u"principal"_s, text(record.principal)},
                                       {u"principalType"_s, text(record.principalType)},
                                       {u"credential"_s, text(record.credentialId)},
                                       {u"provider"_s, text(record.provider)},
                                       {u"modelAlias"_s, text(record.modelAlias)},
                                       {u"upstreamModel"_s, text(record.upstreamModel)},
                                       {u"governed"_s, record.governed}}},
        {u"status"_s, record.httpStatus},
        {u"outcome"_s, QString::fromLatin1(record.outcome)},
        {u"error"_s, text(record.error)},
        {u"stream"_s, record.stream},
        {u"usage"_s,
         QJsonObject{
             {u"promptTokens"_s, usage.promptTokens},
             {u"completionTokens"_s, usage.completionTokens},
             {u"cachedTokens"_s, usage.cachedTokens},
             {u"cacheWriteTokens"_s, usage.cacheWriteTokens},
             {u"reasoningTokens"_s, usage.reasoningTokens},
             {u"reported"_s, usage.reported},
             {u"costMicros"_s, record.costMicros ? QJsonValue(*record.costMicros) : QJsonValue()},
             {u"reservedMicros"_s,
              record.reservedMicros ? QJsonValue(*record.reservedMicros) : QJsonValue()}}},
    };
    const RequestCapture *capture = record.capture.get();
    preview.insert(u"timing"_s, QJsonObject{{u"queuedUs"_s, capture && capture->queuedUs >= 0
                                                                ? QJsonValue(capture->queuedUs)
                                                                : QJsonValue()},
                                            {u"firstByteUs"_s, record.firstByteUs >= 0
                                                                   ? QJsonValue(record.firstByteUs)
                                                                   : QJsonValue()},
                                            {u"durationUs"_s, record.durationUs}});
    preview.insert(u"sizes"_s,
                   QJsonObject{{u"requestBytes"_s, capture ? capture->requestBytes : 0},
                               {u"responseBytes"_s, capture ? capture->responseBytes : 0}});
    EventRow row;
    if (capture) {
        preview.insert(u"request"_s, requestPreview(record.endpoint, capture->requestBody));
        preview.insert(u"response"_s, responsePreview(record.endpoint, *capture));
        if (m_settings.captureFullBodies) {
            row.requestBody = m_redactor->redact(capture->requestBody);
            row.responseBody = m_redactor->redact(capture->responseBody);
        }
    }
    row.preview = QJsonDocument(preview).toJson(QJsonDocument::Compact);
    // Bounded: the text heads go first if the rest still does not fit.
    if (row.preview.size() > m_settings.previewBytes) {
        for (const QString &part : {u"request"_s, u"response"_s}) {
            QJsonObject inner = preview.value(part).toObject();
            for (const QString &key :
                 {u"system"_s, u"lastUser"_s, u"text"_s, u"tools"_s, u"toolCalls"_s})
                inner.remove(key);
            inner.insert(u"trimmed"_s, true);
            preview.insert(part, inner);
        }
        row.preview = QJsonDocument(preview).toJson(QJsonDocument::Compact);
    }
    return row;
}
