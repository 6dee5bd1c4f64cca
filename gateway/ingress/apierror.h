#pragma once

#include "server/httprequest.h"

#include <QByteArray>
#include <QString>

class HttpExchange;

// The wire families Gatehouse serves; each answers errors in its own shape.
enum class ApiFamily
{
    OpenAI,
    Anthropic,
    Gateway
};

ApiFamily apiFamilyOf(QByteArrayView path);

// An error the gateway itself answers. The type is the family's name for the status unless
// one is given; code is the OpenAI "code" field (Anthropic has none).
struct ApiError
{
    int status = 500;
    QString message;
    QByteArray code;
    QByteArray type; // empty: the family's usual type for the status

    QByteArray body(ApiFamily family, QByteArrayView requestId) const;
    void send(HttpExchange *exchange, ApiFamily family, QByteArrayView requestId,
              const HttpHeaders &extraHeaders = {}) const;
};
