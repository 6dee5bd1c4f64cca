#pragma once

#include "server/httprequest.h"

#include <QByteArray>
#include <QString>

class HttpExchange;

// How the simulated provider frames one answer for the API family the request speaks (OpenAI
// or Anthropic): the response headers with a new request id, and error bodies in the family's
// shape (Anthropic's carry the request id its `request-id` header names).
class SimulatedApiFamily
{
public:
    enum Api
    {
        OpenAI,
        Anthropic
    };

    explicit SimulatedApiFamily(Api api);
    // The family a request speaks, judged without its body: Anthropic's with an
    // `anthropic-version` header or on /v1/messages..., else OpenAI's.
    static SimulatedApiFamily of(const HttpRequest &request);

    Api api() const { return m_api; }
    const QByteArray &requestId() const { return m_requestId; }
    // OpenAI's also name the processing time.
    HttpHeaders headers(const QByteArray &contentType, int processingMs = 0) const;
    // The family's error body for a status; an empty message keeps the status's own.
    QByteArray errorBody(int status, const QString &message = {}) const;
    // A JSON error answer, at once.
    void respondError(HttpExchange *exchange, int status, const QByteArray &body) const;
    // What a provider of this family answers when it fails while generating: Anthropic 529
    // (overloaded), OpenAI 500.
    int failureStatus() const { return m_api == Anthropic ? 529 : 500; }

private:
    Api m_api;
    QByteArray m_requestId;
};
