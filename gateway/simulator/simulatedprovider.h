#pragma once

#include "server/httphandler.h"
#include "simulationsettings.h"

#include <QByteArray>
#include <QList>

// The gateway's stand-in for a real provider, served over HTTP: POST /v1/chat/completions in
// OpenAI's exact wire shape (deterministic answers, exact usage, tool calls, faults on demand
// through SimulationDirective) and GET /v1/models; anything else is a 404 in OpenAI's shape.
class SimulatedProvider : public HttpHandler
{
public:
    explicit SimulatedProvider(const SimulationSettings &settings = {});

    void handle(HttpExchange *exchange) override;
    void reject(HttpExchange *exchange, int status, const QByteArray &reason) override;

    // The model ids GET /v1/models lists; any model name is answered.
    static QList<QByteArray> modelIds();

private:
    void chatCompletions(HttpExchange *exchange) const;
    void models(HttpExchange *exchange) const;

    SimulationSettings m_settings;
};
