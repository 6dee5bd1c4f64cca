#include "simulatedchatcompletion.h"

#include "protocol/jsonescape.h"
#include "simulatederror.h"

#include <QDateTime>
#include <QRandomGenerator>

namespace {

QByteArray completionId()
{
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QByteArray id = QByteArrayLiteral("chatcmpl-");
    for (int i = 0; i < 29; ++i)
        id.append(alphabet[QRandomGenerator::global()->bounded(62)]);
    return id;
}

} // namespace

SimulatedChatCompletion::SimulatedChatCompletion(SimulatedCompletion completion,
                                                 const QString &model, bool includeUsage)
    : m_completion(std::move(completion))
    , m_includeUsage(includeUsage)
{
    const QByteArray id = completionId();
    const QByteArray created = QByteArray::number(QDateTime::currentSecsSinceEpoch());
    const QByteArray quotedModel = jsonString(model);
    const QByteArray tier =
        ",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_5e1d0c0a7e\"";
    m_head = "{\"id\":\"" + id + "\",\"object\":\"chat.completion\",\"created\":" + created +
             ",\"model\":" + quotedModel + tier;
    m_chunkHead = "data: {\"id\":\"" + id +
                  "\",\"object\":\"chat.completion.chunk\",\"created\":" + created +
                  ",\"model\":" + quotedModel + tier;
    m_chunkTail =
        m_includeUsage ? QByteArrayLiteral(",\"usage\":null}\n\n") : QByteArrayLiteral("}\n\n");
}

QByteArray SimulatedChatCompletion::body() const
{
    QByteArray message = QByteArrayLiteral("{\"role\":\"assistant\",\"content\":");
    if (const auto &call = m_completion.toolCall()) {
        message += "null,\"tool_calls\":[{\"id\":\"" + call->id +
                   "\",\"type\":\"function\",\"function\":{\"name\":" + jsonString(call->name) +
                   ",\"arguments\":" + jsonStringFromUtf8(call->arguments()) + "}}]";
    } else {
        message += jsonStringFromUtf8(m_completion.text());
    }
    message += ",\"refusal\":null,\"annotations\":[]}";
    return m_head + ",\"choices\":[{\"index\":0,\"message\":" + message +
           ",\"logprobs\":null,\"finish_reason\":\"" + finishReason() +
           "\"}],\"usage\":" + usage() + "}";
}

int SimulatedChatCompletion::tokenCount() const
{
    return m_completion.outputTokenCount();
}

QByteArray SimulatedChatCompletion::opening() const
{
    if (const auto &call = m_completion.toolCall()) {
        const QByteArray delta =
            "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"" +
            call->id + "\",\"type\":\"function\",\"function\":{\"name\":" + jsonString(call->name) +
            ",\"arguments\":\"\"}}],\"refusal\":null}";
        return chunk(delta, {});
    }
    return chunk("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", {});
}

QByteArray SimulatedChatCompletion::token(int index) const
{
    if (const auto &call = m_completion.toolCall()) {
        const QByteArray delta = "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":" +
                                 jsonStringFromUtf8(call->argumentPieces.at(index)) + "}}]}";
        return chunk(delta, {});
    }
    const QByteArray delta =
        "{\"content\":" + jsonStringFromUtf8(m_completion.textToken(index)) + "}";
    return chunk(delta, {});
}

QByteArray SimulatedChatCompletion::closing() const
{
    QByteArray events = chunk("{}", finishReason());
    if (m_includeUsage) {
        events += m_chunkHead + ",\"choices\":[],\"usage\":" + usage() + "}\n\n";
    }
    events += "data: [DONE]\n\n";
    return events;
}

QByteArray SimulatedChatCompletion::failure(int) const
{
    return "data: " + SimulatedError::forStatus(500).json() + "\n\n";
}

QByteArray SimulatedChatCompletion::chunk(QByteArrayView delta, QByteArrayView finishReason) const
{
    QByteArray event;
    event.reserve(m_chunkHead.size() + delta.size() + 64 + m_chunkTail.size());
    event += m_chunkHead;
    event += ",\"choices\":[{\"index\":0,\"delta\":";
    event += delta;
    event += ",\"logprobs\":null,\"finish_reason\":";
    if (finishReason.isEmpty()) {
        event += "null";
    } else {
        event += '"';
        event += finishReason;
        event += '"';
    }
    event += "}]";
    event += m_chunkTail;
    return event;
}

QByteArray SimulatedChatCompletion::usage() const
{
    const SimulatedCompletion &c = m_completion;
    return "{\"prompt_tokens\":" + QByteArray::number(c.promptTokens()) +
           ",\"completion_tokens\":" + QByteArray::number(c.completionTokens()) +
           ",\"total_tokens\":" + QByteArray::number(c.promptTokens() + c.completionTokens()) +
           ",\"prompt_tokens_details\":{\"cached_tokens\":" + QByteArray::number(c.cachedTokens()) +
           ",\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":" +
           QByteArray::number(c.reasoningTokens()) +
           ",\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}"
           "}";
}

QByteArray SimulatedChatCompletion::finishReason() const
{
    switch (m_completion.finishReason()) {
    case SimulatedCompletion::FinishReason::Length:
        return QByteArrayLiteral("length");
    case SimulatedCompletion::FinishReason::ToolCalls:
        return QByteArrayLiteral("tool_calls");
    case SimulatedCompletion::FinishReason::Stop:
        break;
    }
    return QByteArrayLiteral("stop");
}
