#pragma once

#include <QByteArray>
#include <QString>

// An error as the simulated provider answers it, in the shape OpenAI uses: the HTTP status and
// the body {"error":{"message":...,"type":...,"param":...,"code":...}}.
struct SimulatedError
{
    int status = 400;
    QString message;
    QByteArray type = QByteArrayLiteral("invalid_request_error");
    QByteArray param; // empty: null
    QByteArray code;  // empty: null

    // What OpenAI answers for a status: 401 invalid_api_key, 429 rate_limit_exceeded, 5xx
    // server_error, ...; other 4xx invalid_request_error.
    static SimulatedError forStatus(int status);
    QByteArray json() const;
};
