# Sourced by the bench scripts: a log prefix, a temporary folder and the processes started in
# it, all stopped (and the folder removed) on exit; a failed run shows the tail of each log.
#
# Before sourcing: LOG_PREFIX (e.g. bench), and optionally STOP_SECONDS (how long a stopped
# process may take to exit before it is killed; default 5) and WAIT_SECONDS (how long
# wait_for_line waits; default 20). After: TMP, PIDS (append what you start), log, die,
# wait_for_line, and CLEANUP_DIRS (append folders made elsewhere, e.g. on tmpfs, to remove them
# on exit too). A failed run also names LAST_FAILURE, when the script keeps one (run.sh does,
# from an ERR trap).

log() { printf '[%s] %s\n' "$LOG_PREFIX" "$*" >&2; }
die() { log "error: $*"; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-$LOG_PREFIX.XXXXXX")
PIDS=()
CLEANUP_DIRS=()
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq $((${STOP_SECONDS:-5} * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [[ $status -ne 0 && $status -ne 77 && -d "$TMP" ]]; then
        log "failed (status $status)${LAST_FAILURE:+ after: $LAST_FAILURE}; logs:"
        for f in "$TMP"/*.log; do [[ -f $f ]] && { echo "--- $f" >&2; tail -n 20 "$f" >&2; }; done
    fi
    rm -rf "$TMP" "${CLEANUP_DIRS[@]}"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# wait_for_line FILE SED-EXPRESSION PID -> prints the first match; fails after WAIT_SECONDS or
# if PID dies
wait_for_line() {
    local file=$1 expr=$2 pid=$3 value
    for _ in $(seq $((${WAIT_SECONDS:-20} * 10))); do
        value=$(sed -n "$expr" "$file" 2>/dev/null | head -n 1)
        [[ -n $value ]] && { echo "$value"; return 0; }
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}
