#pragma once

#include "ledger/tokenusage.h"
#include "protocol/paddedjson.h"

#include <QByteArrayView>
#include <QtGlobal>

#include <optional>
#include <span>
#include <string_view>

#include <simdjson.h>

// simdjson On-Demand reading shared by the protocol's readers. It pulls in <simdjson.h>: include
// it from .cpp files only.
namespace OnDemandJson {

namespace od = simdjson::ondemand;

// The calling thread's parser, reused so its buffers are allocated once. A document it gives
// out is valid until the next iterate() on the same thread.
od::parser &threadParser();

simdjson::error_code iterate(const PaddedJson &json, od::document &document);
// True when the text is one JSON object, now open in `object`.
bool iterateObject(const PaddedJson &json, od::document &document, od::object &object);

// On-Demand validates only what it reads: a cut-off or concatenated payload is caught by its
// ends instead, without parsing it.
bool isFramedAsObject(QByteArrayView json);

bool isType(od::value &value, od::json_type expected);

// A token count; null, negative or not a number reads as 0. Some backends send 12.0.
qint64 readCount(od::value &value);
// The same, but null reads as absent.
std::optional<qint64> readNullableCount(od::value &value);

// The count named `key` inside an object such as usage.*_details; 0 when absent.
qint64 readDetail(od::value &details, std::string_view key);

struct CountField
{
    std::string_view key;
    std::optional<qint64> *out;
};
// Reads the named counts of an object. A count sent as null leaves its slot as it was. False
// when the value is not an object.
bool readCounts(od::value &value, std::span<const CountField> fields);

// The names an OpenAI usage object gives its counts (Chat Completions and Responses differ).
struct UsageKeys
{
    std::string_view prompt;            // all input, cached included
    std::string_view completion;        // all output, reasoning included
    std::string_view promptDetails;     // holds cached_tokens
    std::string_view completionDetails; // holds reasoning_tokens
};
// An OpenAI usage object (reported = true); nothing when it is not an object or is cut short.
std::optional<TokenUsage> readOpenAIUsage(od::value &value, const UsageKeys &keys);

// A string with at least one character, judged from its raw token: the text is not unescaped.
bool isNonEmptyString(od::value &value);

} // namespace OnDemandJson
