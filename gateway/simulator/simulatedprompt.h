#pragma once

#include "simulationdirective.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

// What the simulated model reads from a request, whatever its wire shape: the conversation as
// plain text, the tools on offer and the output limit. Each wire shape fills one in.
class QJsonValue;

// The text of an OpenAI content value: a string, or the text and refusal parts of an array
// (images, audio and files carry none).
QString openAIContentText(const QJsonValue &content);

struct SimulatedPrompt
{
    struct Message
    {
        QString role; // "system", "user", "assistant", ...; "tool" for a tool result
        QString text; // all text of the message; an assistant's tool calls as name + arguments
    };
    struct Tool
    {
        QString name;
        QString description;
        // JSON Schema of the arguments; for a freeform tool the format of its input text
        QJsonObject parameters;
        bool freeform = false; // called with plain text (OpenAI `custom` tools), not JSON
    };

    QList<Message> messages;
    QList<Tool> tools;               // the tools the model may call; server-side tools are left out
    bool toolsAllowed = true;        // false: tool_choice "none"
    QString forcedTool;              // the tool the request's tool_choice names, if any
    std::optional<int> maxTokens;    // output tokens, reasoning included
    bool reasoningRequested = false; // Responses `reasoning`, Anthropic `thinking`

    // Deterministic stand-in for a tokenizer:
    //   3 + sum over messages (3 + ceil(utf8 bytes of text / 4))
    //     + sum over tools (3 + ceil(utf8 bytes of name + description + compact JSON of
    //       parameters / 4))
    int promptTokens() const;
    // A stable 64-bit hash of the conversation (roles and texts), the seed of the answer.
    quint64 fingerprint() const;
    // The directives in the last user message.
    SimulationDirective directive() const;
    // The model is answering a tool result rather than a user.
    bool answersToolResult() const;
};
