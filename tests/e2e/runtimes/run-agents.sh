#!/usr/bin/env bash
# Opt-in end-to-end check with the real agent CLIs (not registered in ctest; needs the npm
# registry). Installs Claude Code and Codex CLI with npm into a cache dir, starts the built
# gatehouse headless with its default configuration (every model -> built-in simulator), runs one
# `claude -p` turn and one `codex exec` turn, and checks that each exits 0, completes a tool-using
# turn (the simulator answers with a tool call, the CLI sends the tool result, then gets text),
# and that the ledger holds ok rows with non-zero tokens that add up to what each CLI reported.
#
# usage:  tests/e2e/runtimes/run-agents.sh [path/to/gatehouse]
# env:    AGENTS_CACHE     npm prefix for the CLIs (default ~/.cache/gatehouse/agents)
#         CLAUDE_CODE_VERSION (default 2.1.197), CODEX_VERSION (default 0.169.0)
#         AGENT_TIMEOUT    seconds per CLI turn (default 180)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
gatehouse="${1:-$here/../../../build/app/gatehouse}"
cache="${AGENTS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gatehouse/agents}"
cc_ver="${CLAUDE_CODE_VERSION:-2.1.197}" codex_ver="${CODEX_VERSION:-0.169.0}"
limit="${AGENT_TIMEOUT:-180}" key="gh-example-key-change-me"
[ -x "$gatehouse" ] || { echo "agents: no gatehouse executable at $gatehouse" >&2; exit 2; }
for t in node npm sqlite3 git timeout; do command -v $t >/dev/null || { echo "agents: $t needed" >&2; exit 2; }; done
fail() { echo "agents: FAIL: $*" >&2; exit 1; }

# 1. The CLIs (their native binaries ship inside the npm packages).
installed() { node -p "require('$cache/node_modules/$1/package.json').version" 2>/dev/null; }
if [ "$(installed @anthropic-ai/claude-code)" != "$cc_ver" ] || [ "$(installed @openai/codex)" != "$codex_ver" ]; then
    mkdir -p "$cache"
    npm install --prefix "$cache" --no-audit --no-fund --loglevel=error \
        "@anthropic-ai/claude-code@$cc_ver" "@openai/codex@$codex_ver"
fi
export PATH="$cache/node_modules/.bin:$PATH"
# Claude Code's postinstall puts the native binary in place; run it if npm skipped scripts.
claude --version >/dev/null 2>&1 || node "$cache/node_modules/@anthropic-ai/claude-code/install.cjs"
echo "agents: claude $(claude --version | head -1); $(codex --version 2>/dev/null)"

# 2. Gatehouse with the default configuration on a free port.
work="$(mktemp -d)" gatehouse_pid=""
cleanup() { [ -n "$gatehouse_pid" ] && kill -KILL "$gatehouse_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/data" "$work/home" "$work/codex" "$work/repo"
"$gatehouse" --headless --listen 127.0.0.1:0 --data-dir "$work/data" >"$work/stdout" 2>"$work/stderr" &
gatehouse_pid=$!
url=""
for _ in $(seq 1 200); do
    url="$(sed -n 's/^gatehouse listening on //p' "$work/stdout")"
    [ -n "$url" ] && break
    kill -0 "$gatehouse_pid" 2>/dev/null || { cat "$work/stderr" >&2; fail "gatehouse exited before listening"; }
    sleep 0.1
done
[ -n "$url" ] || fail "no listening line within 20 s"
echo "agents: gatehouse listening on $url"

# A scratch git repo to work in, and a scratch HOME so no real credentials are involved.
git -C "$work/repo" init -q && echo hello >"$work/repo/a.txt" && echo 'print(1)' >"$work/repo/b.py"
export HOME="$work/home" CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 DISABLE_TELEMETRY=1 \
    DISABLE_AUTOUPDATER=1 DISABLE_ERROR_REPORTING=1
cd "$work/repo"

# 3. One Claude Code turn.
status=0
ANTHROPIC_BASE_URL="$url/anthropic" ANTHROPIC_AUTH_TOKEN="$key" timeout "$limit" \
    claude -p "list the files here" --output-format stream-json --verbose \
    </dev/null >"$work/claude.jsonl" 2>"$work/claude.err" || status=$?
[ "$status" -eq 0 ] || { cat "$work/claude.err" >&2; fail "claude exited with status $status"; }
grep -q '"type":"tool_result"' "$work/claude.jsonl" || fail "claude: no tool_result (no tool-using turn)"
claude_usage="$(grep '"type":"result"' "$work/claude.jsonl" | node -e '
    const r = JSON.parse(require("fs").readFileSync(0, "utf8"));
    if (r.subtype !== "success" || r.is_error) process.exit(1);
    const u = r.usage;
    console.log(`${u.input_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens}|${u.output_tokens}`);
')" || fail "claude: no successful result event"

# 4. One Codex turn: a custom provider (Responses API, no WebSocket probe) and gpt-5-codex, for
#    which Codex sends a top-level "tools" array (its default model sends "additional_tools").
cat >"$work/codex/config.toml" <<TOML
model = "gpt-5-codex"
model_provider = "gatehouse"
check_for_update_on_startup = false
[analytics]
enabled = false
[feedback]
enabled = false
[model_providers.gatehouse]
name = "Gatehouse"
base_url = "$url/openai/v1"
env_key = "GATEHOUSE_KEY"
wire_api = "responses"
TOML
status=0
CODEX_HOME="$work/codex" GATEHOUSE_KEY="$key" timeout "$limit" \
    codex exec --json --skip-git-repo-check --sandbox read-only "list the files here" \
    </dev/null >"$work/codex.jsonl" 2>"$work/codex.err" || status=$?
[ "$status" -eq 0 ] || { cat "$work/codex.err" >&2; fail "codex exited with status $status"; }
codex_usage="$(grep '"type":"turn.completed"' "$work/codex.jsonl" | node -e '
    const u = JSON.parse(require("fs").readFileSync(0, "utf8")).usage;
    console.log(`${u.input_tokens}|${u.output_tokens}`);
')" || fail "codex: no turn.completed event"

# 5. Stop gatehouse (the ledger queue is written before exit), then read the ledger.
cd /
kill -TERM "$gatehouse_pid"
status=0; wait "$gatehouse_pid" || status=$?; gatehouse_pid=""
[ "$status" -eq 0 ] || { cat "$work/stderr" >&2; fail "gatehouse exited with status $status"; }
ledger="$work/data/ledger.sqlite"
echo "agents: ledger:"
sqlite3 "$ledger" 'select endpoint, model_alias, prompt_tokens, completion_tokens, cost_micros,
    http_status, outcome from usage order by started_at_ms' | sed 's/^/  /'
bad="$(sqlite3 "$ledger" "select count(*) from usage where outcome != 'ok'")"
late="$(sqlite3 "$ledger" "select count(*) from usage where outcome = 'client_disconnected'
    and usage_reported = 1")" # the stream's final usage event was relayed, then the client left
[ "$bad" -eq 0 ] || fail "$bad ledger rows with an outcome other than ok ($late of them" \
    "client_disconnected after the final usage event had been relayed)"
check() { # endpoint, "prompt|completion" the CLI reported
    local rows sums
    rows="$(sqlite3 "$ledger" "select count(*) from usage where endpoint = '$1' and outcome = 'ok'
        and prompt_tokens > 0 and completion_tokens > 0")"
    [ "$rows" -ge 2 ] || fail "$1: $rows ok rows with tokens (a tool-using turn needs 2)"
    sums="$(sqlite3 "$ledger" "select sum(prompt_tokens) || '|' || sum(completion_tokens) from usage
        where endpoint = '$1'")"
    [ "$sums" = "$2" ] || fail "$1: ledger tokens $sums, the CLI reported $2"
    echo "agents: ok: $1, $rows requests, tokens $sums (prompt|completion) as the CLI reported"
}
check anthropic.messages "$claude_usage"
check openai.responses "$codex_usage"
echo "agents: 2 passed, 0 failed"
