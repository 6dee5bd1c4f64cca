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
    // A 400 invalid_request_error naming the offending parameter (and a code) when given.
    static SimulatedError badRequest(const QString &message, const QByteArray &param = {},
                                     const QByteArray &code = {});
    QByteArray json() const;
};
