#pragma once

#include "simulatederror.h"
#include "simulatedprompt.h"

#include <QByteArray>
#include <QString>

#include <variant>

// An OpenAI Chat Completions request body as the simulated provider reads it.
struct SimulatedChatRequest
{
    QString model;
    bool stream = false;
    bool includeUsage = false; // stream_options.include_usage
    SimulatedPrompt prompt;

    // The request, or the 400 error OpenAI would answer (bad JSON, missing model or messages,
    // tool_choice naming an unknown tool).
    static std::variant<SimulatedChatRequest, SimulatedError> parse(const QByteArray &body);
};
