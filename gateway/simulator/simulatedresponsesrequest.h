#pragma once

#include "simulatederror.h"
#include "simulatedprompt.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <variant>

// An OpenAI Responses request body (POST /v1/responses) as the simulated provider reads it.
// `instructions` and the input's messages become the conversation; function/custom calls are
// assistant text; every *_output item (function_call_output, custom_tool_call_output, ...) is a
// tool result; reasoning items echoed back are left out. Only `function` and `custom` tools are
// offered to the model; hosted tools (web_search, tool_search, ...) are not.
struct SimulatedResponsesRequest
{
    QString model;
    bool stream = false;
    bool includeEncryptedReasoning = false; // include: ["reasoning.encrypted_content"]
    SimulatedPrompt prompt;
    QJsonObject body; // the request as sent, for what the response object echoes

    // The request, or the 400 error OpenAI would answer (bad JSON, missing model,
    // max_output_tokens below 16, tool_choice naming an unknown tool).
    static std::variant<SimulatedResponsesRequest, SimulatedError> parse(const QByteArray &body);
};
