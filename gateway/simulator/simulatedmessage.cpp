#include "simulatedmessage.h"

#include "protocol/jsonescape.h"
#include "simulatedanthropicerror.h"

#include <QJsonDocument>
#include <QRandomGenerator>

namespace {

constexpr char base62[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

QByteArray messageId()
{
    QByteArray id = QByteArrayLiteral("msg_01");
    for (int i = 0; i < 22; ++i)
        id.append(base62[QRandomGenerator::global()->bounded(62)]);
    return id;
}

QByteArray event(QByteArrayView type, const QByteArray &members)
{
    QByteArray bytes;
    bytes.reserve(type.size() * 2 + members.size() + 32);
    bytes += "event: ";
    bytes += type;
    bytes += "\ndata: {\"type\":\"";
    bytes += type;
    bytes += '"';
    bytes += members;
    bytes += "}\n\n";
    return bytes;
}

QByteArray blockEvent(QByteArrayView type, int index, const QByteArray &members)
{
    return event(type, ",\"index\":" + QByteArray::number(index) + members);
}

QByteArray delta(int index, QByteArrayView deltaType, QByteArrayView field, QByteArrayView utf8)
{
    return blockEvent("content_block_delta", index,
                      ",\"delta\":{\"type\":\"" + deltaType + "\",\"" + field +
                          "\":" + jsonStringFromUtf8(utf8) + '}');
}

} // namespace

SimulatedMessage::SimulatedMessage(SimulatedCompletion completion, const QString &model)
    : m_completion(std::move(completion))
    , m_id(messageId())
    , m_quotedModel(jsonString(model))
{
    if (const auto &call = m_completion.toolCall())
        m_toolUseId = "toolu_01" + call->id.sliced(5, 22);
}

QByteArray SimulatedMessage::body() const
{
    QByteArray content;
    if (thinkingTokens() > 0) {
        content += "{\"type\":\"thinking\",\"thinking\":" +
                   jsonStringFromUtf8(m_completion.reasoningText()) + ",\"signature\":\"" +
                   signature() + "\"},";
    }
    if (const auto &call = m_completion.toolCall()) {
        // Arguments cut short by max_tokens are no JSON object: Anthropic then shows none.
        QByteArray input = call->arguments();
        if (!QJsonDocument::fromJson(input).isObject())
            input = QByteArrayLiteral("{}");
        content += "{\"type\":\"tool_use\",\"id\":\"" + m_toolUseId +
                   "\",\"name\":" + jsonString(call->name) + ",\"input\":" + input + '}';
    } else {
        content += "{\"type\":\"text\",\"text\":" + jsonStringFromUtf8(m_completion.text()) + '}';
    }
    return "{\"id\":\"" + m_id +
           "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":" + m_quotedModel +
           ",\"content\":[" + content + "],\"stop_reason\":\"" + stopReason() +
           "\",\"stop_sequence\":null,\"usage\":" + usage(m_completion.completionTokens(), true) +
           '}';
}

int SimulatedMessage::tokenCount() const
{
    return thinkingTokens() + m_completion.outputTokenCount();
}

QByteArray SimulatedMessage::opening() const
{
    QByteArray events =
        event("message_start",
              ",\"message\":{\"id\":\"" + m_id +
                  "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":" + m_quotedModel +
                  ",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
                  "\"usage\":" +
                  usage(1, true) + '}');
    if (thinkingTokens() > 0) {
        events += blockEvent("content_block_start", 0,
                             ",\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\","
                             "\"signature\":\"\"}");
    } else {
        events += answerStart();
    }
    events += event("ping", {});
    return events;
}

QByteArray SimulatedMessage::token(int index) const
{
    if (index < thinkingTokens())
        return delta(0, "thinking_delta", "thinking", m_completion.reasoningToken(index));
    const int answerToken = index - thinkingTokens();
    QByteArray events = answerToken == 0 ? thinkingToAnswer() : QByteArray();
    if (const auto &call = m_completion.toolCall()) {
        events += delta(answerIndex(), "input_json_delta", "partial_json",
                        call->argumentPieces.at(answerToken));
    } else {
        events += delta(answerIndex(), "text_delta", "text", m_completion.textToken(answerToken));
    }
    return events;
}

QByteArray SimulatedMessage::closing() const
{
    QByteArray events = m_completion.outputTokenCount() == 0 ? thinkingToAnswer() : QByteArray();
    events += blockEvent("content_block_stop", answerIndex(), {});
    events += event("message_delta", ",\"delta\":{\"stop_reason\":\"" + stopReason() +
                                         "\",\"stop_sequence\":null},\"usage\":" +
                                         usage(m_completion.completionTokens(), false));
    events += event("message_stop", {});
    return events;
}

QByteArray SimulatedMessage::failure(int) const
{
    return "event: error\ndata: " + SimulatedAnthropicError::forStatus(529).json({}) + "\n\n";
}

QByteArray SimulatedMessage::signature() const
{
    // The same bytes for the same prompt, so a signature echoed back can be recognised.
    const quint64 seed = m_completion.seed();
    QRandomGenerator generator(quint32(seed ^ (seed >> 32)));
    QByteArray bytes(240, Qt::Uninitialized);
    for (char &byte : bytes)
        byte = char(generator.bounded(256));
    return bytes.toBase64();
}

QByteArray SimulatedMessage::answerStart() const
{
    QByteArray block;
    if (const auto &call = m_completion.toolCall()) {
        block = "{\"type\":\"tool_use\",\"id\":\"" + m_toolUseId +
                "\",\"name\":" + jsonString(call->name) + ",\"input\":{}}";
    } else {
        block = QByteArrayLiteral("{\"type\":\"text\",\"text\":\"\"}");
    }
    return blockEvent("content_block_start", answerIndex(), ",\"content_block\":" + block);
}

QByteArray SimulatedMessage::thinkingToAnswer() const
{
    if (thinkingTokens() == 0)
        return {};
    return delta(0, "signature_delta", "signature", signature()) +
           blockEvent("content_block_stop", 0, {}) + answerStart();
}

QByteArray SimulatedMessage::usage(int outputTokens, bool details) const
{
    const SimulatedCompletion &c = m_completion;
    const int input = c.promptTokens() - c.cachedTokens() - c.cacheWriteTokens();
    QByteArray usage =
        "{\"input_tokens\":" + QByteArray::number(input) +
        ",\"cache_creation_input_tokens\":" + QByteArray::number(c.cacheWriteTokens()) +
        ",\"cache_read_input_tokens\":" + QByteArray::number(c.cachedTokens());
    if (details) {
        usage += ",\"cache_creation\":{\"ephemeral_5m_input_tokens\":" +
                 QByteArray::number(c.cacheWriteTokens()) + ",\"ephemeral_1h_input_tokens\":0}";
    }
    usage += ",\"output_tokens\":" + QByteArray::number(outputTokens);
    if (details)
        usage += ",\"service_tier\":\"standard\"";
    usage += '}';
    return usage;
}

QByteArray SimulatedMessage::stopReason() const
{
    switch (m_completion.finishReason()) {
    case SimulatedCompletion::FinishReason::Length:
        return QByteArrayLiteral("max_tokens");
    case SimulatedCompletion::FinishReason::ToolCalls:
        return QByteArrayLiteral("tool_use");
    case SimulatedCompletion::FinishReason::Stop:
        break;
    }
    return QByteArrayLiteral("end_turn");
}
