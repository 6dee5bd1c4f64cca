-- wrk script for bench/run.sh: POST a ~1 KB non-stream OpenAI chat completion.
-- Environment: BENCH_PATH (request path), BENCH_AUTH (bearer key, may be empty),
-- BENCH_EXTRA (extra "Name: value" headers separated by ';'), BENCH_MODEL (default gpt-4o-mini).
local filler = string.rep("lorem ipsum dolor sit amet ", 34)
wrk.method = "POST"
wrk.path = os.getenv("BENCH_PATH") or "/v1/chat/completions"
wrk.headers["Content-Type"] = "application/json"
local auth = os.getenv("BENCH_AUTH") or ""
if auth ~= "" then wrk.headers["Authorization"] = "Bearer " .. auth end
local extra = os.getenv("BENCH_EXTRA") or ""
for name, value in string.gmatch(extra, "([^:;]+):%s*([^;]+)") do wrk.headers[name] = value end
wrk.body = '{"model":"' .. (os.getenv("BENCH_MODEL") or "gpt-4o-mini") .. '","stream":false,"messages":['
    .. '{"role":"system","content":"' .. filler .. '"},'
    .. '{"role":"user","content":"[[sim tokens=16]] Say hello"}]}'

function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format("BENCH p50_us=%d p99_us=%d requests=%d duration_us=%d errors=%d status_errors=%d timeouts=%d bytes=%d\n",
        latency:percentile(50), latency:percentile(99), summary.requests, summary.duration,
        e.connect + e.read + e.write + e.status + e.timeout, e.status, e.timeout, summary.bytes))
end
