#!/usr/bin/env bash
# The ledger's views and exports on a 1M-row ledger (issue 6): how long each admin API view and
# `gatehouse export` take, end to end over loopback.
#
#   bash bench/ledger-queries.sh
#
# Makes a data directory, lets Gatehouse create the schema, fills `usage` with BENCH_ROWS rows
# spread over the last 30 days (8 models, 3 providers, 20 flows, executions of 100 requests,
# runtime sessions of 50 with every other one a child session, 2% unpriced, 1% errors) and
# `events` for every tenth row (a ~1 KB preview), starts Gatehouse on it and times each view
# (median of BENCH_RUNS curl calls, after one warm-up call). Prints a Markdown table.
#
# Environment (all optional):
#   BENCH_ROWS=1000000   GATEHOUSE_BIN=build/app/gatehouse   BENCH_RUNS=5   BENCH_KEEP=1 (keep the data)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
GATEHOUSE=${GATEHOUSE_BIN:-$ROOT/build/app/gatehouse}
ROWS=${BENCH_ROWS:-1000000}
RUNS=${BENCH_RUNS:-5}
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 CLI (apt-get install sqlite3)" >&2; exit 1; }
command -v curl >/dev/null || { echo "needs curl" >&2; exit 1; }
[[ -x $GATEHOUSE ]] || { echo "no $GATEHOUSE: build it or set GATEHOUSE_BIN" >&2; exit 1; }

DATA=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-ledger-bench.XXXXXX")
PID=
cleanup() {
    [[ -n $PID ]] && { kill -TERM "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }
    [[ -n ${BENCH_KEEP:-} ]] && echo "data kept in $DATA" >&2 || rm -rf "$DATA"
}
trap cleanup EXIT

start() {
    "$GATEHOUSE" --headless --listen 127.0.0.1:0 --data-dir "$DATA" >"$DATA/out.log" 2>"$DATA/err.log" &
    PID=$!
    for _ in $(seq 100); do
        URL=$(sed -n 's/^gatehouse listening on //p' "$DATA/out.log")
        [[ -n $URL ]] && return 0
        sleep 0.1
    done
    cat "$DATA/err.log" >&2
    exit 1
}
stop() { kill -TERM "$PID"; wait "$PID" || true; PID=; }

start # creates the schema
stop

NOW=$(( $(date +%s) * 1000 ))
SPAN=$(( 30 * 86400000 ))
echo "filling $ROWS usage rows and $(( ROWS / 10 )) events..." >&2
t0=$(date +%s.%N)
sqlite3 "$DATA/ledger.sqlite" <<SQL
PRAGMA journal_mode=WAL;
PRAGMA synchronous=OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $ROWS - 1)
INSERT INTO usage (request_id, started_at_ms, account, api_key, endpoint, provider, model_alias,
    upstream_model, prompt_tokens, completion_tokens, total_tokens, cached_tokens, usage_reported,
    cost_micros, price_source, first_byte_us, duration_us, http_status, stream, outcome, error,
    user_name, flow, execution_id, runtime_session, principal, principal_type, governed)
SELECT printf('gh-bench-%08d', i), $NOW - $SPAN + i * ($SPAN / $ROWS), 'acct' || (i % 5),
    'key' || (i % 10), 'openai.chat_completions', 'prov' || (i % 3), 'model' || (i % 8),
    'upstream-model' || (i % 8), 1000 + i % 500, 200 + i % 100, 1200 + i % 500 + i % 100,
    i % 300, 1, CASE WHEN i % 50 = 0 THEN NULL ELSE 100 + i % 1000 END,
    CASE WHEN i % 50 = 0 THEN 'unpriced' ELSE 'bench' END,
    CASE WHEN i % 2 = 0 THEN 20000 + (i * 7919) % 500000 END, 100000 + (i * 104729) % 5000000,
    CASE WHEN i % 100 = 7 THEN 502 ELSE 200 END, i % 2,
    CASE WHEN i % 100 = 7 THEN 'upstream_error' ELSE 'ok' END,
    CASE WHEN i % 100 = 7 THEN 'upstream answered 502' END,
    'user' || (i % 20), 'flow' || (i % 20), printf('ex_bench_%06d', i / 100),
    printf('rs_bench_%06d', i / 50), 'claude-code', 'claude-code', 1
FROM n;
WITH RECURSIVE s(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM s WHERE k < $ROWS / 50)
INSERT INTO runtime_sessions (id, parent_id, external_id, source, owner, first_seen_ms, last_seen_ms)
SELECT printf('rs_bench_%06d', k), CASE WHEN k % 2 = 1 THEN printf('rs_bench_%06d', k - 1) END,
    'ext' || k, 'bench', 'bench', 0, 0 FROM s;
INSERT INTO events (request_id, started_at_ms, stored_bytes, queued_us, request_bytes,
    response_bytes, preview)
SELECT request_id, started_at_ms, 1100, 40, 4000, 900,
    json_object('requestId', request_id, 'endpoint', endpoint, 'startedAtMs', started_at_ms,
        'status', http_status, 'outcome', outcome,
        'request', json_object('model', model_alias, 'system', printf('%.400c', 'S'),
            'lastUser', printf('%.500c', 'U'), 'tools', json_array('bash', 'read', 'edit')),
        'response', json_object('text', printf('%.200c', 'R'), 'stopReason', 'end_turn'))
FROM usage WHERE id % 10 = 0;
COMMIT;
SQL
echo "filled in $(echo "$(date +%s.%N) - $t0" | bc) s; $(du -h "$DATA/ledger.sqlite" | cut -f1)" >&2

start
TOKEN=$(cat "$DATA/admin-token")
# Something inside the last day for the scoped views.
LAST=$(( ROWS - ROWS / 100 ))
EXECUTION=$(printf 'ex_bench_%06d' $(( LAST / 100 )))
SESSION=$(printf 'rs_bench_%06d' $(( (LAST / 50) & ~1 )))  # a parent: itself and its child

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_view() {
    local name=$1 path=$2 out
    curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" "$URL/admin/v1/$path" ||
        { echo "failed: $path" >&2; exit 1; }
    out=$(for _ in $(seq "$RUNS"); do
        curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" "$URL/admin/v1/$path"
    done | median)
    local size rows
    size=$(curl -s -H "Authorization: Bearer $TOKEN" "$URL/admin/v1/$path" | wc -c)
    printf '| %s | `%s` | %.1f | %s |\n' "$name" "$path" "$(echo "$out * 1000" | bc)" "$size"
}

echo
echo "$ROWS usage rows over 30 days ($(( ROWS / 30 )) in the last 24 h), $(( ROWS / 10 )) events; median of $RUNS, over loopback with curl"
echo
echo '| view | request | ms | bytes |'
echo '|---|---|---:|---:|'
time_view "24 h summary by model and hour" "summary?by=model&bucket=hour"
time_view "24 h summary by flow" "summary?by=flow"
time_view "24 h summary by provider and day" "summary?by=provider&bucket=day"
time_view "24 h summary by key" "summary?by=key"
time_view "30 d summary by model and day" "summary?by=model&bucket=day&from=30d"
time_view "24 h model observability" "observability/models"
time_view "session timeline (+ child session)" "views/session/$SESSION"
time_view "execution timeline" "views/execution/$EXECUTION"
time_view "account, newest 1000" "views/account/acct1"
time_view "events, newest 1000" "events"
time_view "events of one model, 100" "events?model=model3&limit=100"
time_view "one event" "events/$(printf 'gh-bench-%08d' $(( LAST / 10 * 10 )))"
time_view "export 10k usage rows (CSV)" "export/usage?format=csv&limit=10000"
time_view "export 10k usage rows (JSONL)" "export/usage?format=jsonl&limit=10000"
time_view "export 3.3k events (JSONL)" "export/events?format=jsonl"
stop

cli() {
    local name=$1; shift
    local out
    out=$(for _ in $(seq "$RUNS"); do
        s=$(date +%s%N)
        "$GATEHOUSE" export "$@" --data-dir "$DATA" --out "$DATA/export.out" 2>/dev/null
        echo $(( ($(date +%s%N) - s) / 1000 ))
    done | median)
    printf '| %s | `gatehouse export %s` | %.1f | %s |\n' "$name" "$*" "$(echo "$out / 1000" | bc -l)" "$(wc -c <"$DATA/export.out")"
}
cli "CLI: 10k usage rows (CSV, whole process)" usage --limit 10000
cli "CLI: 24 h of usage (CSV, whole process)" usage
cli "CLI: 30 d of usage (CSV, whole process)" usage --from 30d
