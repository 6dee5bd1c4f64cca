#pragma once

#include "ledger/cost.h"
#include "ledger/price.h"
#include "ledger/tokenusage.h"

#include <QStringView>

#include <optional>

// Exact cost of a call: token counts times the model's per-Mtok prices, in integer micro-dollars.
namespace UsageCost {

inline constexpr QStringView unpricedSource = u"unpriced";

// Uncached input, cached input, cache writes and output are each priced at their own part;
// reasoning is part of the output. The sum is exact (128-bit) and divided once, half up.
// Unpriced when there is no price, when a class with tokens has no price part, when counts are
// inconsistent (negative) or when the result does not fit in 64 bits.
Cost compute(const TokenUsage &usage, const std::optional<Price> &price);

} // namespace UsageCost
