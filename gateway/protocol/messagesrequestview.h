#pragma once

#include "protocol/byterange.h"

#include <QByteArray>
#include <QString>

#include <optional>

// The few fields of an Anthropic Messages request body (or a count_tokens one, which has no
// stream nor max_tokens) the gateway acts on, read in place (simdjson On-Demand, nothing else
// of the body is materialised), with the model's byte range for splicing the body.
struct MessagesRequestView
{
    QString model;
    bool stream = false;
    std::optional<qint64> maxTokens; // required by /v1/messages: the relay checks it is there
    // thinking is an object whose type is not "disabled" ("enabled", "adaptive").
    bool thinkingRequested = false;
    // metadata.user_id, a session hint only (Claude Code puts its session id in it): empty when
    // absent or not a plain string.
    QString metadataUserId;

    ByteRange modelToken; // the model's string token, quotes included

    // Reads a request body, in place when its allocation has room for simdjson's padding (see
    // ensureJsonPadding()). On failure, *error says what is wrong, in words fit for a 400
    // invalid_request_error.
    static std::optional<MessagesRequestView> parse(const QByteArray &body, QString *error);
};
