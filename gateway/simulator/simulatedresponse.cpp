#include "simulatedresponse.h"

#include "protocol/jsonescape.h"
#include "simulatedresponsesrequest.h"

#include <QRandomGenerator>

namespace {

QByteArray itemId(QByteArrayView prefix)
{
    static constexpr char hex[] = "0123456789abcdef";
    QByteArray id = prefix.toByteArray();
    for (int i = 0; i < 48; ++i)
        id.append(hex[QRandomGenerator::global()->bounded(16)]);
    return id;
}

// A Fernet-looking token, the same for the same prompt.
QByteArray encryptedContent(quint64 seed)
{
    QRandomGenerator generator(quint32(seed ^ (seed >> 32) ^ 0x5eed));
    QByteArray bytes(300, Qt::Uninitialized);
    for (char &byte : bytes)
        byte = char(generator.bounded(256));
    return "gAAAAAB" + bytes.toBase64(QByteArray::Base64UrlEncoding);
}

} // namespace

SimulatedResponse::SimulatedResponse(SimulatedCompletion completion,
                                     const SimulatedResponsesRequest &request)
    : m_completion(std::move(completion))
    , m_envelope(request.body, request.model)
    , m_includeEncryptedReasoning(request.includeEncryptedReasoning)
{
    const auto &call = m_completion.toolCall();
    if (call)
        m_answer = call->freeform ? Answer::CustomToolCall : Answer::FunctionCall;
    m_itemId = itemId(m_answer == Answer::Message        ? "msg_"
                      : m_answer == Answer::FunctionCall ? "fc_"
                                                         : "ctc_");
    if (reasons())
        m_reasoningId = itemId("rs_");
}

QByteArray SimulatedResponse::body() const
{
    return finalObject();
}

int SimulatedResponse::tokenCount() const
{
    return m_completion.outputTokenCount();
}

QByteArray SimulatedResponse::opening() const
{
    const QByteArray started = m_envelope.object("in_progress", "null", "null", "[]", "null");
    QByteArray events = event("response.created", 0, ",\"response\":" + started);
    events += event("response.in_progress", 1, ",\"response\":" + started);
    int sequence = 2;
    if (reasons()) {
        events += event("response.output_item.added", sequence++,
                        ",\"output_index\":0,\"item\":" + reasoningItem(false));
        events += event("response.output_item.done", sequence++,
                        ",\"output_index\":0,\"item\":" + reasoningItem(true));
    }
    events += event("response.output_item.added", sequence++,
                    ",\"output_index\":" + QByteArray::number(answerIndex()) +
                        ",\"item\":" + answerItem(false));
    if (m_answer == Answer::Message)
        events += answerEvent("response.content_part.added", sequence++,
                              ",\"content_index\":0,\"part\":" + textPart({}));
    return events;
}

QByteArray SimulatedResponse::token(int index) const
{
    const int sequence = openingEvents() + index;
    switch (m_answer) {
    case Answer::Message:
        return answerEvent(
            "response.output_text.delta", sequence,
            ",\"content_index\":0,\"delta\":" + jsonStringFromUtf8(m_completion.textToken(index)) +
                ",\"logprobs\":[]");
    case Answer::FunctionCall:
        return answerEvent(
            "response.function_call_arguments.delta", sequence,
            ",\"delta\":" + jsonStringFromUtf8(m_completion.toolCall()->argumentPieces.at(index)));
    case Answer::CustomToolCall:
        break;
    }
    return answerEvent("response.custom_tool_call_input.delta", sequence,
                       ",\"delta\":" +
                           jsonStringFromUtf8(m_completion.toolCall()->argumentPieces.at(index)));
}

QByteArray SimulatedResponse::closing() const
{
    int sequence = openingEvents() + tokenCount();
    QByteArray events;
    switch (m_answer) {
    case Answer::Message: {
        const QByteArray text = m_completion.text();
        events += answerEvent("response.output_text.done", sequence++,
                              ",\"content_index\":0,\"text\":" + jsonStringFromUtf8(text) +
                                  ",\"logprobs\":[]");
        events += answerEvent("response.content_part.done", sequence++,
                              ",\"content_index\":0,\"part\":" + textPart(text));
        break;
    }
    case Answer::FunctionCall:
        events += answerEvent("response.function_call_arguments.done", sequence++,
                              ",\"arguments\":" +
                                  jsonStringFromUtf8(m_completion.toolCall()->arguments()));
        break;
    case Answer::CustomToolCall:
        events +=
            answerEvent("response.custom_tool_call_input.done", sequence++,
                        ",\"input\":" + jsonStringFromUtf8(m_completion.toolCall()->arguments()));
        break;
    }
    events += event("response.output_item.done", sequence++,
                    ",\"output_index\":" + QByteArray::number(answerIndex()) +
                        ",\"item\":" + answerItem(true));
    events += event(incomplete() ? "response.incomplete" : "response.completed", sequence,
                    ",\"response\":" + finalObject());
    return events;
}

QByteArray SimulatedResponse::failure(int tokensSent) const
{
    const QByteArray error = QByteArrayLiteral(
        "{\"code\":\"server_error\",\"message\":\"The server had an error while processing your "
        "request (simulated). You can retry your request.\"}");
    const QByteArray failed = m_envelope.object("failed", error, "null", "[]",
                                                usage(m_completion.reasoningTokens() + tokensSent));
    return event("response.failed", openingEvents() + tokensSent, ",\"response\":" + failed);
}

bool SimulatedResponse::incomplete() const
{
    return m_completion.finishReason() == SimulatedCompletion::FinishReason::Length;
}

int SimulatedResponse::openingEvents() const
{
    return 3 + (reasons() ? 2 : 0) + (m_answer == Answer::Message ? 1 : 0);
}

QByteArray SimulatedResponse::event(QByteArrayView type, int sequence,
                                    const QByteArray &members) const
{
    QByteArray bytes;
    bytes.reserve(type.size() * 2 + members.size() + 64);
    bytes += "event: ";
    bytes += type;
    bytes += "\ndata: {\"type\":\"";
    bytes += type;
    bytes += "\",\"sequence_number\":";
    bytes += QByteArray::number(sequence);
    bytes += members;
    bytes += "}\n\n";
    return bytes;
}

// An event about the answer's item: it names the item and its place in the output.
QByteArray SimulatedResponse::answerEvent(QByteArrayView type, int sequence,
                                          const QByteArray &members) const
{
    return event(type, sequence,
                 ",\"item_id\":\"" + m_itemId +
                     "\",\"output_index\":" + QByteArray::number(answerIndex()) + members);
}

QByteArray SimulatedResponse::reasoningItem(bool done) const
{
    QByteArray item = "{\"id\":\"" + m_reasoningId + "\",\"type\":\"reasoning\"";
    if (done && m_includeEncryptedReasoning)
        item += ",\"encrypted_content\":\"" + encryptedContent(m_completion.seed()) + '"';
    item += ",\"summary\":[]}";
    return item;
}

QByteArray SimulatedResponse::answerItem(bool done) const
{
    const QByteArray status = !done          ? QByteArrayLiteral("in_progress")
                              : incomplete() ? QByteArrayLiteral("incomplete")
                                             : QByteArrayLiteral("completed");
    const QByteArray head = "{\"id\":\"" + m_itemId + "\",\"type\":\"";
    switch (m_answer) {
    case Answer::Message:
        return head + "message\",\"status\":\"" + status + "\",\"content\":[" +
               (done ? textPart(m_completion.text()) : QByteArray()) + "],\"role\":\"assistant\"}";
    case Answer::FunctionCall:
    case Answer::CustomToolCall:
        break;
    }
    const auto &call = *m_completion.toolCall();
    const QByteArray value = jsonStringFromUtf8(done ? call.arguments() : QByteArray());
    const QByteArray kind =
        m_answer == Answer::FunctionCall
            ? QByteArray("function_call\",\"status\":\"" + status + "\",\"arguments\":")
            : QByteArray("custom_tool_call\",\"status\":\"" + status + "\",\"input\":");
    return head + kind + value + ",\"call_id\":\"" + call.id +
           "\",\"name\":" + jsonString(call.name) + '}';
}

QByteArray SimulatedResponse::textPart(QByteArrayView text) const
{
    return "{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":" +
           jsonStringFromUtf8(text) + '}';
}

QByteArray SimulatedResponse::output() const
{
    QByteArray items = "[";
    if (reasons())
        items += reasoningItem(true) + ',';
    items += answerItem(true) + ']';
    return items;
}

QByteArray SimulatedResponse::usage(int outputTokens) const
{
    const SimulatedCompletion &c = m_completion;
    return "{\"input_tokens\":" + QByteArray::number(c.promptTokens()) +
           ",\"input_tokens_details\":{\"cached_tokens\":" + QByteArray::number(c.cachedTokens()) +
           "},\"output_tokens\":" + QByteArray::number(outputTokens) +
           ",\"output_tokens_details\":{\"reasoning_tokens\":" +
           QByteArray::number(c.reasoningTokens()) +
           "},\"total_tokens\":" + QByteArray::number(c.promptTokens() + outputTokens) + '}';
}

QByteArray SimulatedResponse::finalObject() const
{
    return m_envelope.object(incomplete() ? "incomplete" : "completed", "null",
                             incomplete() ? "{\"reason\":\"max_output_tokens\"}" : "null", output(),
                             usage(m_completion.completionTokens()));
}
