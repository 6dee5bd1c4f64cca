#pragma once

#include <QStringView>

#include <optional>

// Per-request instructions to the simulated provider, hidden in the prompt so that they pass
// unchanged through SDKs and through the gateway.
//
// Grammar (anywhere in the text of the last user message):
//
//     directive := "[[sim" { WS key "=" value } [WS] "]]"
//     key       := one of the keys below (lower case); unknown keys are ignored
//     value     := decimal digits ("tps" also takes a fraction, e.g. tps=2.5)
//
// Words that are not key=value, and values that are not numbers, are ignored. Several
// directives in one message merge; a later key overrides an earlier one.
//
//     status=N          answer HTTP status N (400-599) with the wire shape's error body
//     header_delay_ms=N wait N ms before the status line (slow headers / first byte)
//     first_token_ms=N  wait N ms between the headers and the first streamed token
//     tps=N             stream N tokens per second (0: all at once)
//     tokens=N          produce exactly N output tokens (still capped by max_tokens)
//     cut_after=N       stream: drop the connection after N tokens; non-stream: mid-body
//     garble_after=N    after N tokens write bytes that are neither SSE nor JSON, then end
//     stall_after=N     after N tokens pause for stall_ms (default 1000) before going on
//     stall_ms=N
//     cached=N          report min(N, prompt tokens) prompt tokens as read from the cache
//     reasoning=N       report N reasoning tokens (counted as output, never streamed as text)
class SimulationDirective
{
public:
    static SimulationDirective parse(QStringView text);

    std::optional<int> status;
    std::optional<int> headerDelayMs;
    std::optional<int> firstTokenMs;
    std::optional<double> tokensPerSecond;
    std::optional<int> tokens;
    std::optional<int> cutAfter;
    std::optional<int> garbleAfter;
    std::optional<int> stallAfter;
    std::optional<int> stallMs;
    std::optional<int> cached;
    std::optional<int> reasoning;
};
