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
//     close_delay_ms=N  stream: after the last event wait N ms before ending the response (a
//                       final chunk held up on the network; clients may hang up before it)
//     cached=N          report min(N, prompt tokens) prompt tokens as read from the cache
//     cache_write=N     report min(N, prompt tokens not cached) prompt tokens as written to the
//                       cache (Anthropic's cache_creation_input_tokens; OpenAI has none)
//     reasoning=N       report N reasoning tokens (counted as output; streamed only as
//                       Anthropic thinking). Without it a request that asks for reasoning
//                       (Responses `reasoning`, Anthropic `thinking`) reasons 8-32 tokens.
//     error_after=N     stream: after N tokens report a provider failure in the wire shape's
//                       own way, then end the stream cleanly: Anthropic `event: error` with
//                       {"type":"error","error":{"type":"overloaded_error","message":
//                       "Overloaded"}}; Responses `response.failed` carrying the error and the
//                       usage so far; Chat Completions `data: {"error":{...}}` (no [DONE]).
//                       Non-stream: once N tokens would be done, the shape's error status
//                       (Anthropic 529 overloaded_error, OpenAI 500 server_error).
//
// cut_after, garble_after and error_after end the answer where they first apply; at equal
// counts a cut wins over garbage, garbage over an error.
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
    std::optional<int> cacheWrite;
    std::optional<int> reasoning;
    std::optional<int> errorAfter;
    std::optional<int> closeDelayMs;
};
