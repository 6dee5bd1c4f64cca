#pragma once

#include "simulatedcompletion.h"
#include "simulatedresponseenvelope.h"
#include "simulatedstream.h"

#include <QByteArray>

struct SimulatedResponsesRequest;

// A simulated completion in OpenAI's Responses wire shape: the `response` object, or the
// `event: <type>` SSE events, each with a sequence_number counting from 0: response.created,
// response.in_progress, the output items (a reasoning item when the model reasoned, then a
// message with one response.output_text.delta per token, a function_call with one
// response.function_call_arguments.delta per token, or a custom_tool_call with one
// response.custom_tool_call_input.delta per token), then response.completed, or
// response.incomplete when max_output_tokens cut the answer. No [DONE]. A failure mid-stream
// is response.failed with the error and the usage so far.
class SimulatedResponse : public SimulatedStream
{
public:
    SimulatedResponse(SimulatedCompletion completion, const SimulatedResponsesRequest &request);

    const SimulatedCompletion &completion() const { return m_completion; }
    QByteArray body() const;

    int tokenCount() const override;
    QByteArray opening() const override;
    QByteArray token(int index) const override;
    QByteArray closing() const override;
    QByteArray failure(int tokensSent) const override;

private:
    enum class Answer
    {
        Message,
        FunctionCall,
        CustomToolCall
    };

    bool reasons() const { return m_completion.reasoningTokens() > 0; }
    bool incomplete() const;
    int answerIndex() const { return reasons() ? 1 : 0; }
    int openingEvents() const;
    QByteArray event(QByteArrayView type, int sequence, const QByteArray &members) const;
    QByteArray answerEvent(QByteArrayView type, int sequence, const QByteArray &members) const;
    QByteArray reasoningItem(bool done) const;
    QByteArray answerItem(bool done) const;
    QByteArray textPart(QByteArrayView text) const;
    QByteArray output() const;
    QByteArray usage(int outputTokens) const;
    QByteArray finalObject() const;

    SimulatedCompletion m_completion;
    SimulatedResponseEnvelope m_envelope;
    Answer m_answer = Answer::Message;
    bool m_includeEncryptedReasoning = false;
    QByteArray m_itemId;
    QByteArray m_reasoningId;
};
