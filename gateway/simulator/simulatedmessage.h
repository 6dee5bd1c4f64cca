#pragma once

#include "simulatedcompletion.h"
#include "simulatedstream.h"

#include <QByteArray>
#include <QString>

// A simulated completion in Anthropic's Messages wire shape: the `message` body, or the SSE
// events message_start, per content block content_block_start / content_block_delta... /
// content_block_stop (a ping after the first start), message_delta with the cumulative usage,
// message_stop. Reasoning is shown as a thinking block first (one thinking_delta per token,
// then one signature_delta); the answer is a text block (one text_delta per token) or a
// tool_use block (one input_json_delta per token). A failure mid-stream is an `event: error`
// with overloaded_error.
class SimulatedMessage : public SimulatedStream
{
public:
    SimulatedMessage(SimulatedCompletion completion, const QString &model);

    const SimulatedCompletion &completion() const { return m_completion; }
    QByteArray body() const;

    // Thinking tokens, then output tokens.
    int tokenCount() const override;
    QByteArray opening() const override;
    QByteArray token(int index) const override;
    QByteArray closing() const override;
    QByteArray failure(int tokensSent) const override;

    // The signature of the thinking block: base64, derived from the prompt.
    QByteArray signature() const;

private:
    int thinkingTokens() const { return m_completion.reasoningTokens(); }
    int answerIndex() const { return thinkingTokens() > 0 ? 1 : 0; }
    QByteArray answerStart() const;
    // The events between the thinking block and the answer's block.
    QByteArray thinkingToAnswer() const;
    QByteArray usage(int outputTokens, bool details) const;
    QByteArray stopReason() const;

    SimulatedCompletion m_completion;
    QByteArray m_id;
    QByteArray m_quotedModel;
    QByteArray m_toolUseId;
};
