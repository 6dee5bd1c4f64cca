#pragma once

#include "protocol/byterange.h"

#include <QByteArray>
#include <QString>

#include <optional>

// The few fields of an OpenAI Chat Completions request body the gateway acts on, read in place
// (simdjson On-Demand, nothing else of the body is materialised), with the byte ranges needed to
// splice the body for the provider.
struct ChatRequestView
{
    QString model;
    bool stream = false;
    std::optional<bool> includeUsage; // stream_options.include_usage
    std::optional<qint64> maxTokens;
    std::optional<qint64> maxCompletionTokens;
    QString promptCacheKey; // a session hint only: empty when absent or not a plain string
    bool promptCacheKeySeen = false;

    ByteRange modelToken;    // the model's string token, quotes included
    ByteRange streamOptions; // the whole stream_options value (an object or null); null if absent
    ByteRange includeUsageToken; // the include_usage value token inside it; null if absent
    qsizetype objectStart = -1;  // just after the top-level '{'

    // Reads a request body. The body is parsed in place when its allocation has room for
    // simdjson's padding (see ensureJsonPadding()), from a padded copy otherwise. On failure,
    // *error says what is wrong, in words fit for a 400 invalid_request_error.
    static std::optional<ChatRequestView> parse(const QByteArray &body, QString *error);
};
