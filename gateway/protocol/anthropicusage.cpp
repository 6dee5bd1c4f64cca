#include "protocol/anthropicusage.h"

#include "protocol/ondemandjson.h"

using namespace simdjson;
using namespace OnDemandJson;

TokenUsage AnthropicUsage::fromCounts(qint64 inputTokens, qint64 cacheCreationInputTokens,
                                      qint64 cacheReadInputTokens, qint64 outputTokens)
{
    TokenUsage usage;
    usage.promptTokens = inputTokens + cacheCreationInputTokens + cacheReadInputTokens;
    usage.cachedTokens = cacheReadInputTokens;
    usage.cacheWriteTokens = cacheCreationInputTokens;
    usage.completionTokens = outputTokens;
    usage.reported = true;
    return usage;
}

std::optional<TokenUsage> AnthropicUsage::fromResponseBody(const QByteArray &body)
{
    const PaddedJson json(body);
    od::document document;
    od::object message;
    if (!iterateObject(json, document, message))
        return std::nullopt;
    od::value usage;
    if (message.find_field_unordered("usage").get(usage) != SUCCESS)
        return std::nullopt;
    std::optional<qint64> input, cacheCreation, cacheRead, output;
    const CountField fields[] = {{"input_tokens", &input},
                                 {"cache_creation_input_tokens", &cacheCreation},
                                 {"cache_read_input_tokens", &cacheRead},
                                 {"output_tokens", &output}};
    if (!readCounts(usage, fields))
        return std::nullopt;
    return fromCounts(input.value_or(0), cacheCreation.value_or(0), cacheRead.value_or(0),
                      output.value_or(0));
}
