#pragma once

#include "simulatedanthropicerror.h"
#include "simulatedprompt.h"

#include <QByteArray>
#include <QString>

#include <variant>

// An Anthropic Messages request body (POST /v1/messages or /v1/messages/count_tokens) as the
// simulated provider reads it. Tool results become "tool" messages after the text of the user
// message that carries them; thinking blocks echoed back are left out, as Anthropic leaves
// earlier turns' thinking out of the context; server tools (a `type` other than "custom") are
// not offered to the model.
struct SimulatedMessagesRequest
{
    enum class Purpose
    {
        Create,     // max_tokens required
        CountTokens // max_tokens neither needed nor read
    };

    QString model;
    bool stream = false;
    SimulatedPrompt prompt;

    // The request, or the 400 invalid_request_error Anthropic would answer (bad JSON, a
    // missing field, max_tokens below 1 or not above the thinking budget, a thinking budget
    // below 1024, tool_choice naming an unknown tool).
    static std::variant<SimulatedMessagesRequest, SimulatedAnthropicError>
    parse(const QByteArray &body, Purpose purpose);
};
