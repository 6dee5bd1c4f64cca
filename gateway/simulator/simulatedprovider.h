#pragma once

#include "server/httphandler.h"
#include "simulationsettings.h"

#include <QByteArray>

// The gateway's stand-in for real providers, served over HTTP with deterministic answers,
// exact usage, tool calls and faults on demand (SimulationDirective), in each provider's exact
// wire shape: OpenAI's POST /v1/chat/completions and POST /v1/responses, Anthropic's
// POST /v1/messages and POST /v1/messages/count_tokens (also with ?beta=true), and
// GET /v1/models in Anthropic's list shape when the request carries `anthropic-version`, else
// in OpenAI's. Errors come in the shape of the API asked: Anthropic's on its routes (or with
// `anthropic-version`), OpenAI's elsewhere.
class SimulatedProvider : public HttpHandler
{
public:
    explicit SimulatedProvider(const SimulationSettings &settings = {});

    void handle(HttpExchange *exchange) override;
    void reject(HttpExchange *exchange, int status, const QByteArray &reason) override;

private:
    void chatCompletions(HttpExchange *exchange) const;
    void responses(HttpExchange *exchange) const;
    void messages(HttpExchange *exchange) const;
    void countTokens(HttpExchange *exchange) const;
    void models(HttpExchange *exchange) const;

    SimulationSettings m_settings;
};
