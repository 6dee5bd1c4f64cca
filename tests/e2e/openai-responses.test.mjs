// The official OpenAI SDK against /openai/v1/responses: non-stream, the event stream (order,
// sequence numbers, final usage), a Codex-shaped tool turn and its follow-up, and the ledger.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import OpenAI from 'openai';
import { assertLedgerTokens, ledgerRow, openai, openaiResponsesTokens } from './support/gatehouse.mjs';

const client = openai();
const codex = JSON.parse(readFileSync(new URL('./fixtures/codex-request.json', import.meta.url)));

async function collect(stream) {
  const events = [];
  for await (const event of stream) events.push(event);
  return events;
}

// What every Responses stream must satisfy; returns the final response.
function assertResponseStream(events) {
  const types = events.map((e) => e.type);
  assert.deepEqual(types.slice(0, 2), ['response.created', 'response.in_progress'], types.join(' '));
  assert.equal(types.at(-1), 'response.completed', types.join(' '));
  assert.equal(types.filter((t) => t === 'response.completed').length, 1);
  // Contiguous numbers: a gateway that dropped or reordered an event would break the run.
  events.forEach((event, i) => assert.equal(event.sequence_number, events[0].sequence_number + i, `event ${i} ${event.type}`));
  const firstAdded = types.indexOf('response.output_item.added');
  const lastDone = types.lastIndexOf('response.output_item.done');
  assert.ok(firstAdded > 1, 'response.output_item.added after the opening events');
  assert.ok(lastDone > firstAdded && lastDone < types.length - 1, 'items are done before the response completes');
  const { response } = events.at(-1);
  assert.equal(response.status, 'completed');
  assert.equal(response.usage.total_tokens, response.usage.input_tokens + response.usage.output_tokens);
  return response;
}

function assertOkRow(row, { stream, model }) {
  assert.equal(row.http_status, 200);
  assert.equal(row.outcome, 'ok');
  assert.equal(row.stream, stream ? 1 : 0);
  assert.equal(row.usage_reported, 1);
  assert.equal(row.model_alias, model);
  assert.equal(row.api_key, 'e2e');
}

describe('OpenAI SDK: responses', () => {
  const model = 'gpt-5-mini';

  test('non-stream: a completed response with text and usage, equal to the ledger', async () => {
    const { data, response } = await client.responses
      .create({ model, instructions: 'Be brief.', input: 'Name a colour. [[sim tokens=5]]' })
      .withResponse();
    assert.equal(data.object, 'response');
    assert.equal(data.status, 'completed');
    const message = data.output.find((item) => item.type === 'message');
    assert.ok(message, JSON.stringify(data.output));
    assert.equal(message.role, 'assistant');
    assert.equal(message.content[0].type, 'output_text');
    assert.match(data.output_text, /\S/);
    assert.equal(data.usage.output_tokens, 5);
    assert.equal(data.usage.total_tokens, data.usage.input_tokens + data.usage.output_tokens);

    const row = await ledgerRow(response.headers.get('x-request-id'));
    assertOkRow(row, { stream: false, model });
    assertLedgerTokens(row, openaiResponsesTokens(data.usage));
  });

  test('stream: events in order, increasing sequence numbers, one delta per token, usage in response.completed', async () => {
    const { data: stream, response } = await client.responses
      .create({ model, input: [{ role: 'user', content: 'Count to three. [[sim tokens=7]]' }], stream: true })
      .withResponse();
    assert.match(response.headers.get('content-type'), /^text\/event-stream/);
    const events = await collect(stream);
    const final = assertResponseStream(events);
    const types = events.map((e) => e.type);
    const deltas = events.filter((e) => e.type === 'response.output_text.delta');
    assert.equal(deltas.length, 7);
    assert.ok(types.indexOf('response.output_item.added') < types.indexOf('response.output_text.delta'));
    const text = deltas.map((d) => d.delta).join('');
    assert.equal(events.find((e) => e.type === 'response.output_text.done').text, text);
    assert.equal(final.output.find((item) => item.type === 'message').content[0].text, text);
    assert.equal(final.usage.output_tokens, 7);

    const row = await ledgerRow(response.headers.get('x-request-id'));
    assertOkRow(row, { stream: true, model });
    assertLedgerTokens(row, openaiResponsesTokens(final.usage));
  });

  test('cached and reasoning tokens reach the SDK and the ledger', async () => {
    const { data, response } = await client.responses
      .create({ model, input: 'Think first. [[sim cached=4 reasoning=3 tokens=6]]' })
      .withResponse();
    assert.equal(data.usage.input_tokens_details.cached_tokens, 4);
    assert.equal(data.usage.output_tokens_details.reasoning_tokens, 3);
    assertLedgerTokens(await ledgerRow(response.headers.get('x-request-id')), openaiResponsesTokens(data.usage));
  });

  test('a stream cut by the provider after 3 tokens: the client is told it failed, never completed', async () => {
    const { data: stream, response } = await client.responses
      .create({ model, input: 'Tell a story [[sim cut_after=3]]', stream: true })
      .withResponse();
    assert.equal(response.status, 200);
    const events = [];
    const thrown = await (async () => {
      for await (const event of stream) events.push(event);
    })().then(() => null, (e) => e);
    const types = events.map((e) => e.type);
    assert.ok(!types.includes('response.completed'), types.join(' '));
    assert.ok(thrown instanceof OpenAI.APIError || types.at(-1) === 'response.failed', `ended with ${types.at(-1)}, threw ${thrown}`);
    assert.equal(events.filter((e) => e.type === 'response.output_text.delta').length, 3);
    const row = await ledgerRow(response.headers.get('x-request-id'));
    assert.equal(row.outcome, 'upstream_error');
    assert.equal(row.usage_reported, 0);
    assert.equal(row.completion_tokens, 3);
  });

  test('a provider failure reported in the stream (response.failed) is recorded with its usage', async () => {
    const { data: stream, response } = await client.responses
      .create({ model, input: 'Tell a story [[sim error_after=2]]', stream: true })
      .withResponse();
    const events = [];
    for await (const event of stream) events.push(event);
    const last = events.at(-1);
    assert.equal(last.type, 'response.failed', events.map((e) => e.type).join(' '));
    assert.equal(last.response.status, 'failed');
    const row = await ledgerRow(response.headers.get('x-request-id'));
    assert.equal(row.outcome, 'upstream_error');
    assert.ok(last.response.usage, 'response.failed carries the usage so far');
    assertLedgerTokens(row, openaiResponsesTokens(last.response.usage));
  });

  for (const [what, sdk, name, input, Type, status, outcome] of [
    ['a wrong key', () => openai({ apiKey: 'gh-wrong' }), model, 'hi', OpenAI.AuthenticationError, 401, 'unauthorized'],
    ['an unknown model', () => client, 'no-such-model-xyz', 'hi', OpenAI.NotFoundError, 404, 'model_not_found'],
    ['a provider 429', () => client, model, 'hi [[sim status=429]]', OpenAI.RateLimitError, 429, 'upstream_error'],
  ]) {
    test(`${what}: ${Type.name} ${status}, OpenAI-shaped, recorded as ${outcome} with no usage`, async () => {
      const error = await sdk().responses.create({ model: name, input }).then(() => null, (e) => e);
      assert.ok(error instanceof Type, `got ${error}`);
      assert.equal(error.status, status);
      assert.equal(typeof error.error?.message, 'string', 'an OpenAI-shaped error body');
      const row = await ledgerRow(error.headers.get('x-request-id'));
      assert.equal(row.http_status, status);
      assert.equal(row.outcome, outcome);
      // Refused before any generation: nothing was used, nothing is owed.
      assertLedgerTokens(row, { prompt: 0, completion: 0 });
      assert.equal(row.cost_micros, 0);
    });
  }
});

describe('OpenAI SDK: a Codex-shaped conversation', () => {
  const { input, ...settings } = codex.body;
  const firstTurn = input.slice(0, input.findIndex((item) => item.type !== 'message'));
  const requestHeaders = Object.fromEntries(
    Object.entries(codex.headers).filter(([name]) => !['accept', 'content-type'].includes(name)),
  );
  const functionNames = settings.tools.filter((t) => t.type === 'function').map((t) => t.name);
  const customNames = settings.tools.filter((t) => t.type === 'custom').map((t) => t.name);

  test('a tool turn yields a function_call or custom_tool_call, then text after its output', async () => {
    assert.equal(firstTurn.at(-1).role, 'user');
    const { data: stream, response } = await client.responses
      .create({ ...settings, input: firstTurn }, { headers: requestHeaders })
      .withResponse();
    const events = await collect(stream);
    const final = assertResponseStream(events);
    const calls = final.output.filter((item) => item.type === 'function_call' || item.type === 'custom_tool_call');
    assert.equal(calls.length, 1, JSON.stringify(final.output));
    const [call] = calls;
    assert.match(call.call_id, /\S/);
    if (call.type === 'function_call') {
      assert.ok(functionNames.includes(call.name), call.name);
      assert.equal(typeof JSON.parse(call.arguments), 'object');
    } else {
      assert.ok(customNames.includes(call.name), call.name);
      assert.equal(typeof call.input, 'string');
    }
    const done = events.filter((e) => e.type === 'response.output_item.done').map((e) => e.item);
    assert.deepEqual(done.find((item) => item.call_id === call.call_id), call);
    const row = await ledgerRow(response.headers.get('x-request-id'));
    assertOkRow(row, { stream: true, model: settings.model });
    assertLedgerTokens(row, openaiResponsesTokens(final.usage));

    const outputType = call.type === 'function_call' ? 'function_call_output' : 'custom_tool_call_output';
    const followUp = [...firstTurn, ...final.output, { type: outputType, call_id: call.call_id, output: 'Exit code: 0\nOutput:\nok\n' }];
    const next = await client.responses
      .create({ ...settings, input: followUp }, { headers: requestHeaders })
      .withResponse();
    const nextEvents = await collect(next.data);
    const answer = assertResponseStream(nextEvents);
    assert.deepEqual(answer.output.filter((item) => item.type !== 'reasoning').map((item) => item.type), ['message']);
    assert.match(answer.output.find((item) => item.type === 'message').content[0].text, /\S/);
    assert.ok(answer.usage.input_tokens > final.usage.input_tokens, 'the history grew');
    const nextRow = await ledgerRow(next.response.headers.get('x-request-id'));
    assertOkRow(nextRow, { stream: true, model: settings.model });
    assertLedgerTokens(nextRow, openaiResponsesTokens(answer.usage));
  });
});
