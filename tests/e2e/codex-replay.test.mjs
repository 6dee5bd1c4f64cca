// Replays a Codex-shaped turn (fixtures/codex-request.json: tools of every Codex kind, a history
// with function_call / function_call_output, Codex's headers) with fetch, and Codex's first probe,
// a WebSocket upgrade on GET /responses, which must be refused with an answer.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { describe, test } from 'node:test';
import { assertLedgerTokens, gatewayKey, gatewayUrl, ledgerRow, openaiResponsesTokens, readSse } from './support/gatehouse.mjs';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/codex-request.json', import.meta.url)));
const url = `${gatewayUrl}/openai/v1${fixture.path}`;

describe('Codex replay: POST /openai/v1/responses', () => {
  test('the fixture is Codex-shaped', () => {
    const { body } = fixture;
    const roles = body.input.filter((i) => i.type === 'message').map((i) => i.role);
    assert.deepEqual(roles.filter((r) => r === 'developer').length, 2);
    assert.ok(body.input.some((i) => i.type === 'function_call') && body.input.some((i) => i.type === 'function_call_output'));
    assert.deepEqual([...new Set(body.tools.map((t) => t.type))].sort(), ['custom', 'function', 'tool_search', 'web_search']);
    assert.equal(body.tools.find((t) => t.type === 'custom').format.type, 'grammar');
    assert.equal(body.store, false);
    assert.equal(body.stream, true);
    assert.equal(JSON.parse(fixture.headers['x-codex-turn-metadata']).sandbox, 'workspace-write');
  });

  test('streamed turn: Responses events, no [DONE], response.completed last, usage equal to the ledger', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...fixture.headers, authorization: `Bearer ${gatewayKey}` },
      body: JSON.stringify(fixture.body),
    });
    const events = await readSse(response);
    assert.equal(response.status, 200, JSON.stringify(events).slice(0, 500));
    assert.match(response.headers.get('content-type'), /^text\/event-stream/);
    assert.ok(events.length >= 4, `${events.length} events`);
    assert.ok(!events.some((e) => e.raw === '[DONE]'), 'Responses streams end without [DONE]');
    for (const [i, { event, data }] of events.entries()) {
      assert.equal(typeof data, 'object', `event ${i} is not JSON: ${JSON.stringify(data)}`);
      assert.equal(data.type, event, `event: ${event} carries type ${data.type}`);
      assert.equal(data.sequence_number, events[0].data.sequence_number + i, `sequence of ${event}`);
    }
    const types = events.map((e) => e.event);
    assert.deepEqual(types.slice(0, 2), ['response.created', 'response.in_progress']);
    assert.equal(types.at(-1), 'response.completed', types.join(' '));
    assert.ok(!types.includes('response.failed') && !types.includes('error'), types.join(' '));

    const final = events.at(-1).data.response;
    assert.equal(final.status, 'completed');
    assert.equal(final.model, fixture.body.model);
    // The history ends with a tool's output: the answer is text.
    assert.ok(final.output.some((item) => item.type === 'message'), JSON.stringify(final.output));
    const { usage } = final;
    assert.equal(usage.total_tokens, usage.input_tokens + usage.output_tokens);

    const row = await ledgerRow(response.headers.get('x-request-id'));
    assert.equal(row.http_status, 200);
    assert.equal(row.outcome, 'ok');
    assert.equal(row.stream, 1);
    assert.equal(row.usage_reported, 1);
    assert.equal(row.model_alias, fixture.body.model);
    assert.equal(row.api_key, 'e2e');
    assertLedgerTokens(row, openaiResponsesTokens(usage));
  });

  test("Codex's WebSocket probe on GET /responses is refused with a status and a body", async () => {
    const answer = await new Promise((resolve, reject) => {
      const probe = request(url, {
        method: 'GET',
        headers: {
          authorization: `Bearer ${gatewayKey}`,
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
          originator: fixture.headers.originator,
          'session-id': fixture.headers['session-id'],
        },
      });
      probe.on('upgrade', () => reject(new Error('the gateway accepted a WebSocket upgrade')));
      probe.on('response', (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, text }));
        response.on('error', reject);
      });
      probe.on('error', reject); // a dropped connection without an answer fails here
      probe.end();
    });
    assert.equal(answer.status, 426, `status ${answer.status}: ${answer.text}`); // 404 makes Codex retry the upgrade
    assert.match(answer.text, /\S/, 'the refusal has a body');
    const body = JSON.parse(answer.text);
    assert.equal(typeof body.error?.message, 'string', 'an OpenAI-shaped error body');
  });
});
