#include "usagecost.h"

#include <limits>

namespace UsageCost {

namespace {

// Four products of two values below 2^63 stay below 2^128: unsigned 128-bit cannot overflow.
using Wide = unsigned __int128;

constexpr qint64 tokensPerPriceUnit = 1'000'000;

Cost unpriced()
{
    return Cost{std::nullopt, unpricedSource.toString()};
}

} // namespace

Cost compute(const TokenUsage &usage, const std::optional<Price> &price)
{
    if (!price)
        return unpriced();

    const struct
    {
        qint64 tokens;
        const std::optional<qint64> &micros;
    } parts[] = {
        {usage.uncachedInputTokens(), price->input},
        {usage.cachedTokens, price->cacheRead},
        {usage.cacheWriteTokens, price->cacheWrite},
        {usage.completionTokens, price->output},
    };

    Wide sum = 0;
    for (const auto &part : parts) {
        if (part.tokens < 0)
            return unpriced();
        if (part.tokens == 0)
            continue;
        if (!part.micros || *part.micros < 0)
            return unpriced();
        sum += Wide(part.tokens) * Wide(*part.micros);
    }

    const Wide micros = (sum + tokensPerPriceUnit / 2) / tokensPerPriceUnit;
    if (micros > Wide(std::numeric_limits<qint64>::max()))
        return unpriced();
    return Cost{qint64(micros), price->source};
}

} // namespace UsageCost
