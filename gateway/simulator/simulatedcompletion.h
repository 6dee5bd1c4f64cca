#pragma once

#include "simulatedprompt.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

// The simulated model's deterministic answer to a prompt, before any wire shape: the text
// tokens or the tool call with its argument pieces, the usage numbers and the finish reason.
// Text: words from a fixed vocabulary picked by the prompt's hash; the first token is a bare
// word, every later one a word with its leading space. Default length 12-60 tokens from the
// hash; directive tokens=N sets it. Reasoning comes first and is made of the same kind of
// words; max_tokens caps reasoning and output together (finish reason Length).
class SimulatedCompletion
{
public:
    enum class FinishReason
    {
        Stop,
        Length,
        ToolCalls
    };

    struct ToolCall
    {
        QByteArray id; // "call_" + 24 characters
        QString name;
        bool freeform = false; // a freeform tool's input text rather than JSON arguments
        // One output token each; together a JSON object (cut short by max_tokens), or the
        // freeform input text.
        QList<QByteArray> argumentPieces;
        QByteArray arguments() const { return argumentPieces.join(); }
    };

    explicit SimulatedCompletion(const SimulatedPrompt &prompt);

    // The output tokens a wire shape streams: text tokens, or the tool call's argument pieces.
    int outputTokenCount() const;
    // Text token 0 <= index < outputTokenCount() of an answer without a tool call.
    QByteArrayView textToken(int index) const;
    QByteArray text() const;
    // Reasoning token 0 <= index < reasoningTokens(), as a wire shape shows its thinking.
    QByteArrayView reasoningToken(int index) const;
    QByteArray reasoningText() const;
    // A stable hash of the prompt, for whatever else a wire shape derives from it.
    quint64 seed() const { return m_seed; }
    const std::optional<ToolCall> &toolCall() const { return m_toolCall; }
    FinishReason finishReason() const { return m_finishReason; }

    int promptTokens() const { return m_promptTokens; }
    int cachedTokens() const { return m_cachedTokens; }
    // Written to the cache; never more than the prompt tokens not read from it.
    int cacheWriteTokens() const { return m_cacheWriteTokens; }
    int reasoningTokens() const { return m_reasoningTokens; }
    // Output tokens plus reasoning tokens.
    int completionTokens() const { return outputTokenCount() + m_reasoningTokens; }

private:
    quint64 m_seed = 0;
    int m_textTokens = 0;
    std::optional<ToolCall> m_toolCall;
    FinishReason m_finishReason = FinishReason::Stop;
    int m_promptTokens = 0;
    int m_cachedTokens = 0;
    int m_cacheWriteTokens = 0;
    int m_reasoningTokens = 0;
};
