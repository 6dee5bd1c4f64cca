#pragma once

#include <QByteArray>
#include <QString>

// An error as the simulated provider answers it on Anthropic's routes: the HTTP status and the
// body {"type":"error","error":{"type":...,"message":...},"request_id":...}.
struct SimulatedAnthropicError
{
    int status = 400;
    QByteArray type = QByteArrayLiteral("invalid_request_error");
    QString message;

    // The type Anthropic uses for a status: 401 authentication_error, 403 permission_error,
    // 404 not_found_error, 413 request_too_large, 429 rate_limit_error, 529 overloaded_error,
    // ...; other 4xx invalid_request_error, other 5xx api_error.
    static SimulatedAnthropicError forStatus(int status);
    // An empty requestId leaves request_id out, as a stream's `event: error` does.
    QByteArray json(const QByteArray &requestId) const;
};
