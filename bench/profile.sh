#!/usr/bin/env bash
# Instructions per request on Gatehouse's hot path, per thread (callgrind).
#
#   bash bench/profile.sh [OUT_DIR]
#
# Starts `gatehouse simulate` natively and Gatehouse headless under callgrind (instrumentation
# off), configured as bench/run.sh configures it (bench/gatehouse.bench.json, SQLite ledger).
# Sends one request by curl (connections, prepared statements and caches warm), then turns
# instrumentation on, drives the same ~1 KB non-stream chat completion as bench/run.sh with wrk
# (bench/chat.lua), waits until the ledger holds every request, and turns it off. Prints the
# instructions (Ir) per request per thread and in total: the requests are the usage rows the
# ledger gained meanwhile. The callgrind files stay in OUT_DIR (default: a new temporary
# folder) for callgrind_annotate.
#
# Environment (optional): PROFILE_SECONDS=10 (wrk duration), PROFILE_CONCURRENCY=32,
# GATEHOUSE_BIN=build/app/gatehouse.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
GATEHOUSE=${GATEHOUSE_BIN:-$ROOT/build/app/gatehouse}
SECONDS_=${PROFILE_SECONDS:-10}
CONCURRENCY=${PROFILE_CONCURRENCY:-32}
OUT=${1:-$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-profile.XXXXXX")}
mkdir -p "$OUT"
rm -f "$OUT"/callgrind.out.*

CALLER_KEY=bench-caller-key-not-a-secret # its sha256 is in bench/gatehouse.bench.json
export GATEHOUSE_BENCH_UPSTREAM_KEY=sk-bench-upstream-not-a-secret

LOG_PREFIX=profile
STOP_SECONDS=30 # valgrind writes its files on exit
WAIT_SECONDS=60 # and starts Gatehouse slowly
# shellcheck source=processes.sh
source "$HERE/processes.sh"

"$GATEHOUSE" simulate --listen 127.0.0.1:0 --tps 0 --first-token-ms 0 >"$TMP/simulator.log" 2>&1 &
PIDS+=($!)
SIM_URL=$(wait_for_line "$TMP/simulator.log" 's/^gatehouse simulator listening on \(http:[^ ]*\).*/\1/p' $!) ||
    die "the simulator did not start"

mkdir -p "$TMP/data"
sed -e "s|@SIMULATOR_URL@|$SIM_URL|g" -e "s|@STAMP_URL@|$SIM_URL|g" "$HERE/gatehouse.bench.json" \
    >"$TMP/gatehouse.bench.json"
valgrind --tool=callgrind --instr-atstart=no --separate-threads=yes \
    --callgrind-out-file="$OUT/callgrind.out.%p" \
    "$GATEHOUSE" --headless --listen 127.0.0.1:0 --data-dir "$TMP/data" --config "$TMP/gatehouse.bench.json" \
    >"$TMP/gatehouse.log" 2>&1 &
GATEHOUSE_PID=$!
PIDS+=($GATEHOUSE_PID)
URL=$(wait_for_line "$TMP/gatehouse.log" 's/^gatehouse listening on \(http:[^ ]*\).*/\1/p' $GATEHOUSE_PID) ||
    die "gatehouse did not start"
log "gatehouse (under callgrind): $URL, simulator: $SIM_URL"

code=$(curl -s -o "$TMP/check.json" -w '%{http_code}' -H "Content-Type: application/json" \
    -H "Authorization: Bearer $CALLER_KEY" "$URL/openai/v1/chat/completions" \
    -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"[[sim tokens=16]] Say hello"}]}' || true)
[[ $code == 200 ]] || die "the check request failed (HTTP $code)"

LEDGER=$TMP/data/ledger.sqlite
rows() { sqlite3 -cmd '.timeout 5000' "$LEDGER" 'select count(*) from usage'; }
settle() { # waits until the ledger stops growing (the store has written every request)
    local last=-1 now
    now=$(rows)
    while [[ $now != "$last" ]]; do last=$now; sleep 1; now=$(rows); done
    echo "$now"
}
before=$(settle)

callgrind_control -i on "$GATEHOUSE_PID" >/dev/null 2>&1
BENCH_PATH=/openai/v1/chat/completions BENCH_AUTH=$CALLER_KEY \
    wrk -t2 -c"$CONCURRENCY" -d"${SECONDS_}s" --timeout 10s -s "$HERE/chat.lua" "$URL" >"$TMP/wrk.out" 2>&1
# Every request wrk counted is a ledger row once written (one it cut off at the end is one too).
# Under valgrind, with other load on the machine, the store may pause longer than settle()'s
# second: wait for the rows first (up to 5 minutes).
sent=$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' "$TMP/wrk.out")
for _ in $(seq 300); do
    (($(rows) >= before + ${sent:-0})) && break
    sleep 1
done
after=$(settle)
callgrind_control -i off "$GATEHOUSE_PID" >/dev/null 2>&1
callgrind_control -d "$GATEHOUSE_PID" >/dev/null 2>&1

requests=$((after - before))
grep -q '^BENCH ' "$TMP/wrk.out" || die "wrk failed: $(cat "$TMP/wrk.out")"
errors=$(sed -n 's/.* errors=\([0-9]*\).*/\1/p' "$TMP/wrk.out")
log "wrk: $(grep '^BENCH ' "$TMP/wrk.out"); ledger rows +$requests"
((requests > 0)) || die "no request reached the ledger"

# Per thread: the dump's total Ir; a thread is named by the first of its hot functions that
# tells what it is.
python3 - "$OUT" "$requests" "${errors:-0}" <<'EOF'
import glob, re, subprocess, sys
out, requests, errors = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def batches(path):  # calls of LedgerWriter::writeBatch: rows per batch move the store's figure
    names, count, pending = {}, 0, False
    for line in open(path, errors="replace"):
        m = re.match(r"c?fn=\((\d+)\)(?: (.*))?", line)
        if m:
            if m.group(2):
                names[m.group(1)] = m.group(2)
            pending = line.startswith("cfn=") and "LedgerWriter::writeBatch" in names.get(m.group(1), "")
        elif pending and line.startswith("calls="):
            count += int(line.split()[0][6:])
            pending = False
    return count

total = 0
rows = []
for path in sorted(glob.glob(f"{out}/callgrind.out.*")):
    ir = 0
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                ir = max(ir, int(line.split()[1]))
    if ir == 0:
        continue
    text = open(path, errors="replace").read()
    if "LedgerWriter::drain" in text:
        name = "store"
    elif "HttpConnection::" in text:
        name = "gateway"
    else:
        name = "other"
    rows.append((name, path, ir))
    total += ir
for name, path, ir in rows:
    note = ""
    if name == "store" and (n := batches(path)):
        note = f", {n} batches: {requests / n:.1f} rows each"
    print(f"{name:8} {ir / requests:10.0f} Ir/request  ({path.rsplit('/', 1)[1]}{note})")
print(f"{'total':8} {total / requests:10.0f} Ir/request  over {requests} requests (wrk errors: {errors})")
EOF
log "callgrind files: $OUT (callgrind_annotate --inclusive=yes FILE)"
