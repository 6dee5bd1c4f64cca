#!/usr/bin/env bash
# Starts the built gatehouse on a free port with the simulated provider and runs the SDK and
# replay tests against it; fails on any failing test or an unclean exit of the gateway.
# usage: tests/e2e/run.sh [path/to/gatehouse]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
gatehouse="${1:-$here/../../build/app/gatehouse}"
[ -x "$gatehouse" ] || { echo "e2e: no gatehouse executable at $gatehouse" >&2; exit 2; }
node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
[ "$node_major" -ge 18 ] || { echo "e2e: node 18 or newer is required (found: ${node_major})" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "e2e: the sqlite3 CLI is required" >&2; exit 2; }

# npm writes node_modules/.package-lock.json on every install: older than the lock means stale.
if [ ! -f "$here/node_modules/.package-lock.json" ] ||
    [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
    (cd "$here" && npm ci --no-audit --no-fund)
fi

work="$(mktemp -d)"
gatehouse_pid=""
cleanup() {
    if [ -n "$gatehouse_pid" ] && kill -0 "$gatehouse_pid" 2>/dev/null; then
        kill -KILL "$gatehouse_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

mkdir "$work/data"
"$gatehouse" --headless --listen 127.0.0.1:0 --data-dir "$work/data" \
    --config "$here/gatehouse.e2e.json" >"$work/stdout" 2>"$work/stderr" &
gatehouse_pid=$!

url=""
for _ in $(seq 1 200); do
    url="$(sed -n 's/^gatehouse listening on //p' "$work/stdout")"
    [ -n "$url" ] && break
    if ! kill -0 "$gatehouse_pid" 2>/dev/null; then
        echo "e2e: gatehouse exited before listening:" >&2
        cat "$work/stderr" >&2
        exit 1
    fi
    sleep 0.1
done
[ -n "$url" ] || { echo "e2e: no listening line within 20 s" >&2; cat "$work/stderr" >&2; exit 1; }
echo "e2e: gatehouse listening on $url (data in $work/data)"

export GATEHOUSE_URL="$url"
export GATEHOUSE_KEY="gh-example-key-change-me"
export GATEHOUSE_LEDGER="$work/data/ledger.sqlite"

tests_status=0
node --test --test-reporter=spec "$here"/*.test.mjs || tests_status=$?

kill -TERM "$gatehouse_pid"
exit_status=0
wait "$gatehouse_pid" || exit_status=$?
gatehouse_pid=""
if [ "$exit_status" -ne 0 ]; then
    echo "e2e: gatehouse exited with status $exit_status after SIGTERM; its standard error:" >&2
    cat "$work/stderr" >&2
    exit 1
fi
if [ "$tests_status" -ne 0 ]; then
    echo "e2e: tests failed (status $tests_status); gatehouse standard error:" >&2
    tail -n 50 "$work/stderr" >&2
    exit 1
fi
echo "e2e: all tests passed, gatehouse exited 0"
