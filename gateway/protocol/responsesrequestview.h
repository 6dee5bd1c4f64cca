#pragma once

#include "protocol/byterange.h"

#include <QByteArray>
#include <QString>

#include <optional>

// The few fields of an OpenAI Responses request body the gateway acts on, read in place
// (simdjson On-Demand, nothing else of the body is materialised), with the model's byte range
// for splicing the body for the provider.
struct ResponsesRequestView
{
    QString model;
    bool stream = false;
    std::optional<qint64> maxOutputTokens; // max_output_tokens
    QString promptCacheKey; // a session hint only: empty when absent or not a plain string
    bool promptCacheKeySeen = false;

    ByteRange modelToken; // the model's string token, quotes included

    // Reads a request body, in place when its allocation has room for simdjson's padding (see
    // ensureJsonPadding()). On failure, *error says what is wrong, in words fit for a 400
    // invalid_request_error.
    static std::optional<ResponsesRequestView> parse(const QByteArray &body, QString *error);
};
