// The official Anthropic SDK against /anthropic: messages streamed and not, tool_use, thinking,
// count_tokens, models, the beta path, Anthropic-shaped errors, and the ledger row of every call.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { anthropic, anthropicTokens, assertLedgerTokens, gatewayKey, ledgerRow } from './support/gatehouse.mjs';

const client = anthropic();
const model = 'claude-sonnet-5';

const searchTool = {
  name: 'search_docs',
  description: 'Search the project documentation.',
  input_schema: {
    type: 'object',
    properties: {
      query: { type: 'string', description: 'What to look for' },
      limit: { type: 'integer', description: 'How many hits' },
      exact: { type: 'boolean' },
    },
    required: ['query', 'limit'],
  },
};

function assertOkRow(row, { stream, alias = model, upstream = alias }) {
  assert.equal(row.http_status, 200);
  assert.equal(row.outcome, 'ok');
  assert.equal(row.stream, stream ? 1 : 0);
  assert.equal(row.usage_reported, 1);
  assert.equal(row.model_alias, alias);
  assert.equal(row.upstream_model, upstream);
  assert.equal(row.provider, 'simulator');
  assert.equal(row.api_key, 'e2e');
}

function assertUsageShape(usage) {
  for (const field of ['input_tokens', 'output_tokens'])
    assert.ok(Number.isInteger(usage[field]) && usage[field] >= 0, `${field} in ${JSON.stringify(usage)}`);
}

describe('Anthropic SDK: messages', () => {
  test('non-stream: text, usage and the ledger row', async () => {
    const { data, response } = await client.messages
      .create({
        model,
        max_tokens: 256,
        system: 'Answer in one line.',
        messages: [{ role: 'user', content: 'Name a planet. [[sim tokens=5]]' }],
      })
      .withResponse();
    assert.equal(data.type, 'message');
    assert.equal(data.role, 'assistant');
    assert.equal(data.model, model);
    assert.deepEqual(data.content.map((b) => b.type), ['text']);
    assert.match(data.content[0].text, /\S/);
    assert.equal(data.stop_reason, 'end_turn');
    assertUsageShape(data.usage);
    assert.equal(data.usage.output_tokens, 5);
    assert.match(response.headers.get('request-id') ?? '', /\S/);

    const row = await ledgerRow(response.headers.get('request-id'));
    assertOkRow(row, { stream: false });
    assertLedgerTokens(row, anthropicTokens(data.usage));
  });

  test('an alias to a dated upstream name: the body carries it, the ledger records both', async () => {
    const { data, response } = await client.messages
      .create({ model: 'sonnet', max_tokens: 64, messages: [{ role: 'user', content: 'Hi [[sim tokens=2]]' }] })
      .withResponse();
    assert.equal(data.usage.output_tokens, 2);
    const row = await ledgerRow(response.headers.get('request-id'));
    assertOkRow(row, { stream: false, alias: 'sonnet', upstream: 'claude-sonnet-4-5-20250929' });
    assertLedgerTokens(row, anthropicTokens(data.usage));
  });

  test('messages.stream: event order, finalMessage() and usage equal to the ledger', async () => {
    const stream = client.messages.stream({
      model,
      max_tokens: 256,
      messages: [{ role: 'user', content: 'Describe a river. [[sim tokens=6]]' }],
    });
    const events = [];
    stream.on('streamEvent', (event) => events.push(event));
    const { response } = await stream.withResponse();
    const message = await stream.finalMessage();

    const types = events.map((e) => e.type);
    assert.equal(types[0], 'message_start');
    assert.deepEqual(types.slice(-2), ['message_delta', 'message_stop']);
    assert.ok(types.indexOf('content_block_start') < types.indexOf('content_block_delta'));
    assert.ok(types.lastIndexOf('content_block_delta') < types.lastIndexOf('content_block_stop'));
    const deltas = events.filter((e) => e.type === 'content_block_delta' && e.delta.type === 'text_delta');
    assert.equal(deltas.length, 6, 'one text delta per token');
    assert.equal(message.content[0].text, deltas.map((d) => d.delta.text).join(''));
    assert.equal(message.stop_reason, 'end_turn');
    assert.equal(message.usage.output_tokens, 6);
    const start = events[0].message.usage;
    assert.equal(message.usage.input_tokens, start.input_tokens, 'input tokens from message_start');

    const row = await ledgerRow(response.headers.get('request-id'));
    assertOkRow(row, { stream: true });
    assertLedgerTokens(row, anthropicTokens(message.usage));
  });

  test('cache reads and writes are reported; the ledger counts them in prompt_tokens', async () => {
    const { data, response } = await client.messages
      .create({
        model,
        max_tokens: 64,
        system: [{ type: 'text', text: 'A long and stable system prompt.', cache_control: { type: 'ephemeral' } }],
        messages: [{ role: 'user', content: 'Again. [[sim cached=4 cache_write=6 tokens=3]]' }],
      })
      .withResponse();
    assert.equal(data.usage.cache_read_input_tokens, 4);
    assert.equal(data.usage.cache_creation_input_tokens, 6);
    const row = await ledgerRow(response.headers.get('request-id'));
    assertLedgerTokens(row, anthropicTokens(data.usage));
    assert.equal(row.cached_tokens, 4);
    assert.equal(row.cache_write_tokens, 6);
  });

  test('streamed cache usage: message_start and message_delta usage combine exactly', async () => {
    const stream = client.messages.stream({
      model,
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Again. [[sim cached=5 cache_write=7 tokens=4]]' }],
    });
    const { response } = await stream.withResponse();
    const message = await stream.finalMessage();
    assert.equal(message.usage.cache_read_input_tokens, 5);
    assert.equal(message.usage.cache_creation_input_tokens, 7);
    assert.equal(message.usage.output_tokens, 4);
    assertLedgerTokens(await ledgerRow(response.headers.get('request-id')), anthropicTokens(message.usage));
  });

  for (const stream of [false, true]) {
    test(`tool_use with an input object filling the required properties (stream ${stream})`, async () => {
      const params = {
        model,
        max_tokens: 512,
        tools: [searchTool],
        messages: [{ role: 'user', content: 'Find the docs about budgets.' }],
      };
      let message;
      let requestId;
      if (stream) {
        const s = client.messages.stream(params);
        requestId = (await s.withResponse()).response.headers.get('request-id');
        message = await s.finalMessage();
      } else {
        const { data, response } = await client.messages.create(params).withResponse();
        message = data;
        requestId = response.headers.get('request-id');
      }
      assert.equal(message.stop_reason, 'tool_use');
      const uses = message.content.filter((b) => b.type === 'tool_use');
      assert.equal(uses.length, 1, JSON.stringify(message.content));
      const [use] = uses;
      assert.equal(use.name, 'search_docs');
      assert.match(use.id, /^toolu_/);
      assert.equal(typeof use.input, 'object');
      assert.equal(typeof use.input.query, 'string');
      assert.ok(Number.isInteger(use.input.limit), JSON.stringify(use.input));
      const row = await ledgerRow(requestId);
      assertOkRow(row, { stream });
      assertLedgerTokens(row, anthropicTokens(message.usage));

      const { data: answer, response } = await client.messages
        .create({
          ...params,
          messages: [
            ...params.messages,
            { role: 'assistant', content: message.content },
            { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'budgets.md: per-key limits' }] },
          ],
        })
        .withResponse();
      assert.equal(answer.stop_reason, 'end_turn');
      assert.deepEqual(answer.content.map((b) => b.type), ['text']);
      assertLedgerTokens(await ledgerRow(response.headers.get('request-id')), anthropicTokens(answer.usage));
    });
  }

  test('thinking enabled: a thinking block with a signature before the text', async () => {
    const { data, response } = await client.messages
      .create({
        model,
        max_tokens: 4096,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        messages: [{ role: 'user', content: 'Why is the sky blue?' }],
      })
      .withResponse();
    const types = data.content.map((b) => b.type);
    assert.equal(types[0], 'thinking', types.join(' '));
    assert.equal(types.at(-1), 'text');
    assert.match(data.content[0].thinking, /\S/);
    assert.match(data.content[0].signature, /\S{8,}/);
    assertLedgerTokens(await ledgerRow(response.headers.get('request-id')), anthropicTokens(data.usage));
  });

  test('thinking adaptive, streamed: thinking_delta and signature_delta assemble the block', async () => {
    const stream = client.messages.stream({
      model,
      max_tokens: 4096,
      thinking: { type: 'adaptive' },
      messages: [{ role: 'user', content: 'Plan a small refactor.' }],
    });
    const deltaTypes = new Set();
    stream.on('streamEvent', (event) => {
      if (event.type === 'content_block_delta') deltaTypes.add(event.delta.type);
    });
    const { response } = await stream.withResponse();
    const message = await stream.finalMessage();
    assert.ok(deltaTypes.has('thinking_delta') && deltaTypes.has('signature_delta'), [...deltaTypes].join(' '));
    const thinking = message.content.find((b) => b.type === 'thinking');
    assert.ok(thinking, JSON.stringify(message.content));
    assert.match(thinking.signature, /\S{8,}/);
    assertLedgerTokens(await ledgerRow(response.headers.get('request-id')), anthropicTokens(message.usage));
  });

  test('countTokens equals the input tokens of the same request; count_tokens is free in the ledger', async () => {
    const params = {
      model,
      system: 'You are terse.',
      tools: [searchTool],
      messages: [{ role: 'user', content: 'How many tokens is this sentence?' }],
    };
    const { data: count, response } = await client.messages.countTokens(params).withResponse();
    assert.ok(Number.isInteger(count.input_tokens) && count.input_tokens > 0, JSON.stringify(count));
    const created = await client.messages.create({ ...params, max_tokens: 64 });
    assert.equal(count.input_tokens, created.usage.input_tokens);
    const row = await ledgerRow(response.headers.get('request-id'));
    assert.equal(row.http_status, 200);
    assert.equal(row.outcome, 'ok');
    assert.match(row.endpoint, /count_tokens/);
    assertLedgerTokens(row, { prompt: 0, completion: 0 });
    assert.equal(row.cost_micros, 0);

    // Claude Code's /context counts through the beta route.
    const beta = await client
      .post('/v1/messages/count_tokens', { query: { beta: 'true' }, body: params })
      .withResponse();
    assert.equal(beta.data.input_tokens, count.input_tokens);
    assert.match(beta.response.headers.get('request-id') ?? '', /\S/);
  });

  test('the beta routes: client.beta.messages.create and an explicit ?beta=true (as Claude Code sends)', async () => {
    const requests = [];
    const recording = anthropic({
      fetch: (url, init) => {
        requests.push({ url: new URL(url), headers: new Headers(init.headers) });
        return fetch(url, init);
      },
    });
    const beta = await recording.beta.messages
      .create({
        model,
        max_tokens: 128,
        betas: ['interleaved-thinking-2025-05-14'],
        messages: [{ role: 'user', content: 'Hello beta [[sim tokens=4]]' }],
      })
      .withResponse();
    // SDK 1.x keeps the beta qualifier out of the URL and says it with anthropic-beta.
    assert.equal(requests[0].url.pathname, '/anthropic/v1/messages');
    assert.equal(requests[0].headers.get('anthropic-beta'), 'interleaved-thinking-2025-05-14');
    assert.equal(beta.data.type, 'message');
    assert.equal(beta.data.usage.output_tokens, 4);
    const betaRow = await ledgerRow(beta.response.headers.get('request-id'));
    assertOkRow(betaRow, { stream: false });
    assertLedgerTokens(betaRow, anthropicTokens(beta.data.usage));

    const explicit = await recording
      .post('/v1/messages', {
        query: { beta: 'true' },
        body: { model, max_tokens: 128, messages: [{ role: 'user', content: 'Hello ?beta=true [[sim tokens=3]]' }] },
      })
      .withResponse();
    assert.equal(requests[1].url.pathname + requests[1].url.search, '/anthropic/v1/messages?beta=true');
    assert.equal(explicit.data.type, 'message');
    assert.equal(explicit.data.usage.output_tokens, 3);
    const row = await ledgerRow(explicit.response.headers.get('request-id'));
    assertOkRow(row, { stream: false });
    assertLedgerTokens(row, anthropicTokens(explicit.data.usage));
  });
});

describe('Anthropic SDK: models', () => {
  test('models.list lists the exact aliases in the Anthropic shape', async () => {
    const { data: page, response } = await client.models.list().withResponse();
    assert.match(response.headers.get('request-id') ?? '', /\S/, 'request-id header');
    const ids = [];
    for await (const entry of page) {
      assert.equal(entry.type, 'model', JSON.stringify(entry));
      assert.equal(typeof entry.display_name, 'string');
      assert.equal(typeof entry.created_at, 'string');
      ids.push(entry.id);
    }
    for (const alias of ['claude-sonnet-5', 'claude-sonnet-4-5', 'claude-haiku-4-5', 'sonnet']) assert.ok(ids.includes(alias), `${alias} in ${ids}`);
  });
});

describe('Anthropic SDK: errors in the Anthropic shape', () => {
  async function failure(sdk, params) {
    return sdk.messages
      .create({ model, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }], ...params })
      .then(() => null, (e) => e);
  }

  function assertAnthropicError(error, Type, status, type) {
    assert.ok(error instanceof Type, `got ${error}`);
    assert.equal(error.status, status);
    assert.equal(error.error?.type, 'error', `body ${JSON.stringify(error.error)}`);
    assert.equal(error.error?.error?.type, type, `body ${JSON.stringify(error.error)}`);
    assert.equal(typeof error.error.error.message, 'string');
    assert.match(error.requestID ?? '', /\S/, 'request-id header');
  }

  test('a wrong key: 401 AuthenticationError, authentication_error, recorded as unauthorized', async () => {
    const error = await failure(anthropic({ apiKey: 'gh-not-a-key' }), {});
    assertAnthropicError(error, Anthropic.AuthenticationError, 401, 'authentication_error');
    const row = await ledgerRow(error.requestID);
    assert.equal(row.http_status, 401);
    assert.equal(row.outcome, 'unauthorized');
  });

  test('x-api-key auth (Claude Code with ANTHROPIC_API_KEY): the right key passes, a wrong one is a 401', async () => {
    const sent = [];
    const withKey = (key) =>
      anthropic({
        apiKey: null,
        defaultHeaders: { 'x-api-key': key },
        fetch: (url, init) => {
          sent.push(new Headers(init.headers));
          return fetch(url, init);
        },
      });
    const ok = await withKey(gatewayKey).messages.create({ model, max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(ok.type, 'message');
    assert.equal(sent[0].get('x-api-key'), gatewayKey);
    assert.equal(sent[0].get('authorization'), null);
    const error = await failure(withKey('gh-not-a-key'), {});
    assertAnthropicError(error, Anthropic.AuthenticationError, 401, 'authentication_error');
  });

  test('an unknown model: 404 NotFoundError, not_found_error', async () => {
    const error = await failure(client, { model: 'claude-no-such-model' });
    assertAnthropicError(error, Anthropic.NotFoundError, 404, 'not_found_error');
    const row = await ledgerRow(error.requestID);
    assert.equal(row.outcome, 'model_not_found');
    assert.equal(row.model_alias, 'claude-no-such-model');
  });

  for (const stream of [false, true]) {
    test(`a provider 429: RateLimitError, rate_limit_error (stream ${stream})`, async () => {
      const error = await failure(client, { stream, messages: [{ role: 'user', content: 'hi [[sim status=429]]' }] });
      assertAnthropicError(error, Anthropic.RateLimitError, 429, 'rate_limit_error');
      const row = await ledgerRow(error.requestID);
      assert.equal(row.http_status, 429);
      assert.equal(row.outcome, 'upstream_error');
      // Refused before any generation: nothing was used, nothing is owed.
      assertLedgerTokens(row, { prompt: 0, completion: 0 });
      assert.equal(row.cost_micros, 0);
    });
  }

  for (const [directive, why] of [
    ['cut_after=3', 'the provider cut the stream'],
    ['error_after=3', 'the provider sent an error event'],
  ]) {
    test(`a stream that fails after 3 tokens (${why}) makes the SDK throw`, async () => {
      const stream = client.messages.stream({
        model,
        max_tokens: 256,
        messages: [{ role: 'user', content: `Tell a story [[sim ${directive}]]` }],
      });
      const texts = [];
      stream.on('text', (text) => texts.push(text));
      const { response } = await stream.withResponse();
      assert.equal(response.status, 200);
      await assert.rejects(stream.finalMessage(), Anthropic.APIError);
      assert.equal(texts.length, 3);
      const row = await ledgerRow(response.headers.get('request-id'));
      // The final usage never came: the ledger holds the gateway's own count of what it relayed.
      assert.equal(row.outcome, 'upstream_error');
      assert.equal(row.usage_reported, 0);
      assert.equal(row.completion_tokens, 3);
    });
  }

  test('a provider 529: OverloadedError, overloaded_error', async () => {
    const error = await failure(client, { messages: [{ role: 'user', content: 'hi [[sim status=529]]' }] });
    assertAnthropicError(error, Anthropic.OverloadedError, 529, 'overloaded_error');
    const row = await ledgerRow(error.requestID);
    assert.equal(row.http_status, 529);
    assert.equal(row.outcome, 'upstream_error');
    assertLedgerTokens(row, { prompt: 0, completion: 0 });
    assert.equal(row.cost_micros, 0);
  });
});
