// Replays a recorded-shape Claude Code turn (fixtures/claude-code-request.json: 80 KB body, its
// headers) byte for byte with fetch, with each of Claude Code's two auth styles, and checks the
// Anthropic event stream and that the ledger holds exactly the usage the stream reported.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { anthropicTokens, assertLedgerTokens, gatewayKey, gatewayUrl, ledgerRow, readSse } from './support/gatehouse.mjs';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/claude-code-request.json', import.meta.url)));
const body = JSON.stringify(fixture.body);

// message_start, then per block: start, deltas, stop (pings anywhere), then message_delta, message_stop.
function assertMessageEvents(events) {
  for (const { event, data } of events) assert.equal(data.type, event, `event: ${event} carries type ${data.type}`);
  const types = events.map((e) => e.event).filter((t) => t !== 'ping');
  assert.equal(types[0], 'message_start', types.join(' '));
  assert.deepEqual(types.slice(-2), ['message_delta', 'message_stop'], types.join(' '));
  assert.ok(!types.includes('error'), 'an error event in a successful stream');
  let open = null;
  let next = 0;
  for (const { event, data } of events.slice(1, -2)) {
    if (event === 'ping') continue;
    if (event === 'content_block_start') {
      assert.equal(open, null, 'a block starts while another is open');
      assert.equal(data.index, next, 'blocks are numbered in order');
      open = data.index;
    } else if (event === 'content_block_delta') {
      assert.equal(data.index, open, 'a delta outside its block');
    } else if (event === 'content_block_stop') {
      assert.equal(data.index, open, 'a stop for a block that is not open');
      open = null;
      ++next;
    } else {
      assert.fail(`unexpected ${event} inside the message`);
    }
  }
  assert.equal(open, null, 'a block never stopped');
  assert.ok(next > 0, 'no content block');
}

// Usage as a client must read it: message_start, then the last non-null of each field in message_delta.
function streamUsage(events) {
  const usage = { ...events[0].data.message.usage };
  const delta = events.find((e) => e.event === 'message_delta').data.usage;
  for (const [field, value] of Object.entries(delta)) if (value != null) usage[field] = value;
  return usage;
}

describe('Claude Code replay: POST /anthropic/v1/messages?beta=true', () => {
  test('the fixture is Claude-Code-shaped', () => {
    assert.ok(Buffer.byteLength(body) >= 75 * 1024, `${Buffer.byteLength(body)} bytes`);
    assert.equal(fixture.path, '/v1/messages?beta=true');
    assert.equal(fixture.body.tools.length, 24);
    assert.equal(fixture.body.system.length, 3);
    assert.equal(typeof fixture.body.metadata.user_id, 'string');
    assert.equal(JSON.parse(fixture.body.metadata.user_id).session_id, fixture.headers['x-claude-code-session-id']);
  });

  for (const [style, auth] of [
    ['x-api-key', { 'x-api-key': gatewayKey }],
    ['Authorization: Bearer', { authorization: `Bearer ${gatewayKey}` }],
  ]) {
    test(`streamed turn with ${style}: Anthropic events, usage equal to the ledger`, async () => {
      const response = await fetch(`${gatewayUrl}/anthropic${fixture.path}`, {
        method: 'POST',
        headers: { ...fixture.headers, ...auth },
        body,
      });
      const events = await readSse(response);
      assert.equal(response.status, 200, JSON.stringify(events).slice(0, 500));
      assert.match(response.headers.get('content-type'), /^text\/event-stream/);
      assertMessageEvents(events);

      const start = events[0].data.message;
      assert.equal(start.role, 'assistant');
      assert.equal(start.model, fixture.body.model);
      const stop = events.find((e) => e.event === 'message_delta').data.delta.stop_reason;
      assert.ok(['end_turn', 'tool_use'].includes(stop), stop);
      // The history ends with a tool result: the model answers it with text.
      const blocks = events.filter((e) => e.event === 'content_block_start').map((e) => e.data.content_block.type);
      assert.ok(blocks.includes('text'), blocks.join(' '));
      for (const block of events.filter((e) => e.event === 'content_block_start' && e.data.content_block.type === 'thinking')) {
        const signatures = events.filter(
          (e) => e.event === 'content_block_delta' && e.data.index === block.data.index && e.data.delta.type === 'signature_delta',
        );
        assert.equal(signatures.length, 1, 'a thinking block ends with one signature');
      }

      const usage = streamUsage(events);
      assert.ok(usage.input_tokens + (usage.cache_read_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0) > 10_000, JSON.stringify(usage));
      const row = await ledgerRow(response.headers.get('request-id'));
      assert.equal(row.http_status, 200);
      assert.equal(row.outcome, 'ok');
      assert.equal(row.stream, 1);
      assert.equal(row.usage_reported, 1);
      assert.equal(row.model_alias, fixture.body.model);
      assert.equal(row.api_key, 'e2e');
      assertLedgerTokens(row, anthropicTokens(usage));
    });
  }

  test('without a key the replay gets an Anthropic-shaped 401', async () => {
    const response = await fetch(`${gatewayUrl}/anthropic${fixture.path}`, { method: 'POST', headers: fixture.headers, body });
    assert.equal(response.status, 401);
    const error = await response.json();
    assert.equal(error.type, 'error');
    assert.equal(error.error.type, 'authentication_error');
    const row = await ledgerRow(response.headers.get('request-id'));
    assert.equal(row.outcome, 'unauthorized');
  });
});
