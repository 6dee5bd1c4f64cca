#include "protocol/ondemandjson.h"

#include <cmath>

using namespace simdjson;

namespace OnDemandJson {

od::parser &threadParser()
{
    thread_local od::parser parser;
    return parser;
}

error_code iterate(const PaddedJson &json, od::document &document)
{
    return threadParser()
        .iterate(padded_string_view(json.data(), size_t(json.size()), size_t(json.capacity())))
        .get(document);
}

bool iterateObject(const PaddedJson &json, od::document &document, od::object &object)
{
    return iterate(json, document) == SUCCESS && document.get_object().get(object) == SUCCESS;
}

bool isFramedAsObject(QByteArrayView json)
{
    const QByteArrayView trimmed = json.trimmed();
    return trimmed.startsWith('{') && trimmed.endsWith('}');
}

bool isType(od::value &value, od::json_type expected)
{
    od::json_type type;
    return value.type().get(type) == SUCCESS && type == expected;
}

std::optional<qint64> readNullableCount(od::value &value)
{
    od::json_type type;
    if (value.type().get(type) != SUCCESS || type == od::json_type::null)
        return std::nullopt;
    if (type != od::json_type::number)
        return 0;
    int64_t count = 0;
    if (value.get_int64().get(count) != SUCCESS) {
        double real = 0;
        if (value.get_double().get(real) != SUCCESS || !std::isfinite(real))
            return 0;
        count = std::llround(real);
    }
    return qMax<qint64>(count, 0);
}

qint64 readCount(od::value &value)
{
    return readNullableCount(value).value_or(0);
}

qint64 readDetail(od::value &details, std::string_view key)
{
    std::optional<qint64> count;
    const CountField field{key, &count};
    readCounts(details, {&field, 1});
    return count.value_or(0);
}

bool readCounts(od::value &value, std::span<const CountField> fields)
{
    od::object object;
    if (!isType(value, od::json_type::object) || value.get_object().get(object))
        return false;
    for (auto member : object) {
        od::field field;
        std::string_view key;
        if (std::move(member).get(field) || field.unescaped_key().get(key))
            return true; // what was read stands
        for (const CountField &wanted : fields) {
            if (wanted.key != key)
                continue;
            if (const std::optional<qint64> count = readNullableCount(field.value()))
                *wanted.out = count;
            break;
        }
    }
    return true;
}

std::optional<TokenUsage> readOpenAIUsage(od::value &value, const UsageKeys &keys)
{
    od::object object;
    if (!isType(value, od::json_type::object) || value.get_object().get(object))
        return std::nullopt;
    TokenUsage usage;
    usage.reported = true;
    for (auto member : object) {
        od::field field;
        std::string_view key;
        if (std::move(member).get(field) || field.unescaped_key().get(key))
            return std::nullopt;
        if (key == keys.prompt)
            usage.promptTokens = readCount(field.value());
        else if (key == keys.completion)
            usage.completionTokens = readCount(field.value());
        else if (key == keys.promptDetails)
            usage.cachedTokens = readDetail(field.value(), "cached_tokens");
        else if (key == keys.completionDetails)
            usage.reasoningTokens = readDetail(field.value(), "reasoning_tokens");
    }
    return usage;
}

bool isNonEmptyString(od::value &value)
{
    if (!isType(value, od::json_type::string))
        return false;
    const std::string_view token = value.raw_json_token();
    return token.size() > 2 && token[1] != '"';
}

} // namespace OnDemandJson
