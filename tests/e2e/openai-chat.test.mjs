// The official OpenAI SDK against /openai/v1: models, Chat Completions streamed and not, tools,
// errors as the SDK's typed exceptions, and the ledger row of every call.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import OpenAI from 'openai';
import { assertLedgerTokens, gatewayKey, ledgerRow, openai, openaiChatTokens } from './support/gatehouse.mjs';

const client = openai();
const model = 'gpt-4o-mini';

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city.',
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string', description: 'City name' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        days: { type: 'integer' },
      },
      required: ['city', 'days'],
    },
  },
};

async function collect(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

function assertOkRow(row, { stream }) {
  assert.equal(row.http_status, 200);
  assert.equal(row.outcome, 'ok');
  assert.equal(row.stream, stream ? 1 : 0);
  assert.equal(row.usage_reported, 1);
  assert.equal(row.model_alias, model);
  assert.equal(row.upstream_model, model);
  assert.equal(row.provider, 'simulator');
  assert.equal(row.api_key, 'e2e');
  assert.equal(row.account, 'e2e-account');
}

describe('OpenAI SDK: models', () => {
  test('models.list lists the exact aliases', async () => {
    const { data: page, response } = await client.models.list().withResponse();
    assert.match(response.headers.get('x-request-id') ?? '', /\S/);
    const ids = [];
    for await (const entry of page) {
      assert.equal(entry.object, 'model');
      ids.push(entry.id);
    }
    for (const alias of ['gpt-4o-mini', 'gpt-5-mini', 'gpt-5.1-codex', 'claude-sonnet-4-5', 'sonnet'])
      assert.ok(ids.includes(alias), `${alias} in ${ids}`);
  });
});

describe('OpenAI SDK: chat completions', () => {
  const messages = [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Name three rivers. [[sim tokens=5]]' },
  ];

  test('non-stream: message, usage and the ledger row', async () => {
    const { data, response } = await client.chat.completions.create({ model, messages }).withResponse();
    assert.equal(data.object, 'chat.completion');
    assert.equal(data.choices[0].message.role, 'assistant');
    assert.match(data.choices[0].message.content, /\S/);
    assert.equal(data.choices[0].finish_reason, 'stop');
    assert.equal(data.usage.completion_tokens, 5);
    assert.equal(data.usage.total_tokens, data.usage.prompt_tokens + data.usage.completion_tokens);

    const row = await ledgerRow(response.headers.get('x-request-id'));
    assertOkRow(row, { stream: false });
    assertLedgerTokens(row, openaiChatTokens(data.usage));
  });

  test('stream without include_usage: no usage chunk, the ledger still has exact usage', async () => {
    const reference = await client.chat.completions.create({ model, messages });
    const { data: stream, response } = await client.chat.completions
      .create({ model, messages, stream: true })
      .withResponse();
    const chunks = await collect(stream);
    assert.ok(chunks.length > 0);
    for (const chunk of chunks) {
      assert.equal(chunk.object, 'chat.completion.chunk');
      assert.ok(chunk.usage == null, `unrequested usage in ${JSON.stringify(chunk)}`);
      assert.equal(chunk.choices.length, 1, `a chunk without a choice: ${JSON.stringify(chunk)}`);
    }
    const text = chunks.map((c) => c.choices[0].delta.content ?? '').join('');
    assert.equal(text, reference.choices[0].message.content);
    assert.equal(chunks.at(-1).choices[0].finish_reason, 'stop');

    const row = await ledgerRow(response.headers.get('x-request-id'));
    assertOkRow(row, { stream: true });
    assertLedgerTokens(row, openaiChatTokens(reference.usage));
  });

  test('stream with include_usage: one usage chunk with no choices, equal to the ledger', async () => {
    const { data: stream, response } = await client.chat.completions
      .create({ model, messages, stream: true, stream_options: { include_usage: true } })
      .withResponse();
    const chunks = await collect(stream);
    const usageChunks = chunks.filter((c) => c.usage != null);
    assert.equal(usageChunks.length, 1);
    assert.equal(chunks.at(-1), usageChunks[0], 'the usage chunk comes last');
    assert.deepEqual(usageChunks[0].choices, []);
    const { usage } = usageChunks[0];
    const contentChunks = chunks.filter((c) => c.choices[0]?.delta?.content);
    assert.equal(usage.completion_tokens, 5);
    assert.equal(contentChunks.length, usage.completion_tokens, 'one content chunk per token');

    const row = await ledgerRow(response.headers.get('x-request-id'));
    assertOkRow(row, { stream: true });
    assertLedgerTokens(row, openaiChatTokens(usage));
  });

  test('cached and reasoning tokens reach the SDK and the ledger', async () => {
    const { data, response } = await client.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'Think. [[sim cached=4 reasoning=3 tokens=6]]' }] })
      .withResponse();
    assert.equal(data.usage.prompt_tokens_details.cached_tokens, 4);
    assert.equal(data.usage.completion_tokens_details.reasoning_tokens, 3);
    const row = await ledgerRow(response.headers.get('x-request-id'));
    assertLedgerTokens(row, openaiChatTokens(data.usage));
    assert.equal(row.reasoning_tokens, 3);
  });

  test('tools: a tool call whose arguments fill the required properties, then text after the result', async () => {
    const ask = [{ role: 'user', content: 'What is the weather in Lyon for the next 2 days?' }];
    const { data, response } = await client.chat.completions
      .create({ model, messages: ask, tools: [weatherTool] })
      .withResponse();
    const choice = data.choices[0];
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(choice.message.tool_calls.length, 1);
    const call = choice.message.tool_calls[0];
    assert.equal(call.type, 'function');
    assert.equal(call.function.name, 'get_weather');
    const args = JSON.parse(call.function.arguments);
    assert.equal(typeof args.city, 'string');
    assert.ok(Number.isInteger(args.days), `days: ${call.function.arguments}`);
    assertLedgerTokens(await ledgerRow(response.headers.get('x-request-id')), openaiChatTokens(data.usage));

    const followUp = [
      ...ask,
      choice.message,
      { role: 'tool', tool_call_id: call.id, content: '{"forecast":"sunny, 24C"}' },
    ];
    const answer = await client.chat.completions
      .create({ model, messages: followUp, tools: [weatherTool] })
      .withResponse();
    assert.equal(answer.data.choices[0].finish_reason, 'stop');
    assert.match(answer.data.choices[0].message.content, /\S/);
    assert.ok(answer.data.usage.prompt_tokens > data.usage.prompt_tokens, 'the history grew');
    const row = await ledgerRow(answer.response.headers.get('x-request-id'));
    assertOkRow(row, { stream: false });
    assertLedgerTokens(row, openaiChatTokens(answer.data.usage));
  });

  test('tools streamed: tool_call deltas assemble into valid arguments', async () => {
    const { data: stream, response } = await client.chat.completions
      .create({
        model,
        messages: [{ role: 'user', content: 'Weather in Oslo?' }],
        tools: [weatherTool],
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    const chunks = await collect(stream);
    const deltas = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
    assert.ok(deltas.length > 0, 'no tool_call deltas');
    assert.equal(deltas[0].function.name, 'get_weather');
    const args = JSON.parse(deltas.map((d) => d.function?.arguments ?? '').join(''));
    assert.equal(typeof args.city, 'string');
    const finish = chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean);
    assert.deepEqual(finish, ['tool_calls']);
    const usage = chunks.at(-1).usage;
    assert.ok(usage, 'usage chunk');
    assertLedgerTokens(await ledgerRow(response.headers.get('x-request-id')), openaiChatTokens(usage));
  });
});

describe('OpenAI SDK: errors', () => {
  test('a wrong key is an AuthenticationError 401, recorded as unauthorized', async () => {
    const wrong = openai({ apiKey: 'gh-not-a-key' });
    const error = await wrong.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'hi' }] })
      .then(() => null, (e) => e);
    assert.ok(error instanceof OpenAI.AuthenticationError, `got ${error}`);
    assert.equal(error.status, 401);
    assert.equal(error.code, 'invalid_api_key');
    const row = await ledgerRow(error.headers.get('x-request-id'));
    assert.equal(row.http_status, 401);
    assert.equal(row.outcome, 'unauthorized');
    assertLedgerTokens(row, { prompt: 0, completion: 0 });
  });

  test('x-api-key is accepted on the OpenAI routes too', async () => {
    const sent = [];
    const keyed = openai({
      apiKey: 'unused',
      defaultHeaders: { authorization: null, 'x-api-key': gatewayKey },
      fetch: (url, init) => {
        sent.push(new Headers(init.headers));
        return fetch(url, init);
      },
    });
    const { data, response } = await keyed.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'hi [[sim tokens=2]]' }] })
      .withResponse();
    assert.equal(sent[0].get('authorization'), null);
    assert.equal(sent[0].get('x-api-key'), gatewayKey);
    assert.equal(data.usage.completion_tokens, 2);
    assertLedgerTokens(await ledgerRow(response.headers.get('x-request-id')), openaiChatTokens(data.usage));
  });

  test('an unknown model is a NotFoundError 404 model_not_found', async () => {
    const error = await client.chat.completions
      .create({ model: 'no-such-model-xyz', messages: [{ role: 'user', content: 'hi' }] })
      .then(() => null, (e) => e);
    assert.ok(error instanceof OpenAI.NotFoundError, `got ${error}`);
    assert.equal(error.status, 404);
    assert.equal(error.code, 'model_not_found');
    const row = await ledgerRow(error.headers.get('x-request-id'));
    assert.equal(row.http_status, 404);
    assert.equal(row.outcome, 'model_not_found');
    assert.equal(row.model_alias, 'no-such-model-xyz');
  });

  for (const stream of [false, true]) {
    test(`a provider 429 is a RateLimitError (stream ${stream})`, async () => {
      const error = await client.chat.completions
        .create({ model, stream, messages: [{ role: 'user', content: 'hi [[sim status=429]]' }] })
        .then(() => null, (e) => e);
      assert.ok(error instanceof OpenAI.RateLimitError, `got ${error}`);
      assert.equal(error.status, 429);
      const row = await ledgerRow(error.headers.get('x-request-id'));
      assert.equal(row.http_status, 429);
      assert.equal(row.outcome, 'upstream_error');
      // Refused before any generation: nothing was used, nothing is owed.
      assertLedgerTokens(row, { prompt: 0, completion: 0 });
      assert.equal(row.cost_micros, 0);
    });
  }

  for (const [directive, why] of [
    ['cut_after=3', 'the provider cut the stream'],
    ['error_after=3', 'the provider sent an error chunk'],
  ]) {
    test(`a stream that fails after 3 tokens (${why}) makes the SDK throw; the ledger keeps the relayed tokens`, async () => {
      const { data: stream, response } = await client.chat.completions
        .create({ model, stream: true, messages: [{ role: 'user', content: `Tell a story [[sim ${directive}]]` }] })
        .withResponse();
      assert.equal(response.status, 200);
      const seen = [];
      await assert.rejects(async () => {
        for await (const chunk of stream) seen.push(chunk);
      }, OpenAI.APIError);
      assert.equal(seen.filter((c) => c.choices[0]?.delta?.content).length, 3);
      const row = await ledgerRow(response.headers.get('x-request-id'));
      assert.equal(row.outcome, 'upstream_error');
      assert.equal(row.usage_reported, 0);
      assert.equal(row.completion_tokens, 3);
    });
  }
});
