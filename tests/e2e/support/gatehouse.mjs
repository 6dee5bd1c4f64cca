// What every end-to-end test shares: where the running gateway is, SDK clients pointed at it,
// the ledger row of a request, and a plain SSE reader for the replays that bypass the SDKs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through tests/e2e/run.sh`);
  return value;
}

export const gatewayUrl = required('GATEHOUSE_URL');
export const gatewayKey = required('GATEHOUSE_KEY');
export const ledgerPath = required('GATEHOUSE_LEDGER');

// No retries: a 429 or 529 must reach the test as it was answered, not be retried away.
export function openai(options = {}) {
  return new OpenAI({ apiKey: gatewayKey, baseURL: `${gatewayUrl}/openai/v1`, maxRetries: 0, timeout: 30_000, ...options });
}

export function anthropic(options = {}) {
  return new Anthropic({ apiKey: gatewayKey, baseURL: `${gatewayUrl}/anthropic`, maxRetries: 0, timeout: 30_000, ...options });
}

function queryLedger(sql) {
  const out = execFileSync('sqlite3', ['-json', '-readonly', ledgerPath, sql], { encoding: 'utf8' });
  return out.trim() ? JSON.parse(out) : [];
}

// Rows are written by the store thread shortly after the answer: poll until it is there.
export async function ledgerRow(requestId, timeoutMs = 3000) {
  assert.match(String(requestId ?? ''), /^\S+$/, 'the response carries no request id');
  const quoted = `'${String(requestId).replaceAll("'", "''")}'`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = queryLedger(`select * from usage where request_id = ${quoted}`);
    if (rows.length === 1) return rows[0];
    if (Date.now() > deadline) assert.fail(`no ledger row for request ${requestId} after ${timeoutMs} ms`);
    await delay(25);
  }
}

// The ledger's normalised counts: prompt_tokens is all input (cache reads and writes included).
export function assertLedgerTokens(row, expected) {
  const actual = {
    prompt: row.prompt_tokens,
    completion: row.completion_tokens,
    cached: row.cached_tokens,
    cacheWrite: row.cache_write_tokens,
  };
  const { reasoning, ...counts } = expected;
  const wanted = { cached: 0, cacheWrite: 0, ...counts };
  assert.deepEqual(actual, wanted, `ledger tokens of ${row.request_id}`);
  assert.equal(row.total_tokens, wanted.prompt + wanted.completion, 'ledger total_tokens');
  if (reasoning !== undefined) assert.equal(row.reasoning_tokens, reasoning, 'ledger reasoning_tokens');
}

// Chat Completions and Responses usage as the ledger normalises it.
export function openaiChatTokens(usage) {
  return {
    prompt: usage.prompt_tokens,
    completion: usage.completion_tokens,
    cached: usage.prompt_tokens_details?.cached_tokens ?? 0,
    reasoning: usage.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

export function openaiResponsesTokens(usage) {
  return {
    prompt: usage.input_tokens,
    completion: usage.output_tokens,
    cached: usage.input_tokens_details?.cached_tokens ?? 0,
    reasoning: usage.output_tokens_details?.reasoning_tokens ?? 0,
  };
}

// Anthropic reports input without the cache parts; the ledger's prompt_tokens includes them.
export function anthropicTokens(usage) {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  return {
    prompt: usage.input_tokens + cacheRead + cacheWrite,
    completion: usage.output_tokens,
    cached: cacheRead,
    cacheWrite,
  };
}

// Reads a whole text/event-stream body into [{event, data}] (data parsed as JSON when it is).
export async function readSse(response) {
  const text = await response.text();
  const events = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    if (!block.trim()) continue;
    let event = null;
    const data = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (event === null && data.length === 0) continue;
    const raw = data.join('\n');
    let parsed = raw;
    try {
      parsed = JSON.parse(raw);
    } catch {
      // [DONE] and other non-JSON payloads stay strings
    }
    events.push({ event, data: parsed, raw });
  }
  return events;
}

