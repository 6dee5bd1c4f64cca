// Stream measurements for bench/run.sh (node 18+, no dependencies). One mode per run; each
// client mode prints one "BENCH key=value ..." line on stdout.
//
//   stamp-upstream
//       An Anthropic-shaped upstream whose text deltas carry the monotonic time at which they
//       were written ("@<ns>@"). CLOCK_MONOTONIC is shared by every process on the machine, so
//       the client can tell how long each chunk took to reach it. Prints its URL.
//   ttfb   --url U --fixture F --directive D [--header "N: v"]... --requests N --expect S [--samples P]
//       N streamed requests one after another on one keep-alive connection, each the recorded
//       request F ({path, headers, body}, as in tests/e2e/fixtures) with the text block D added
//       to its last message: time to the first body byte and to the end.
//   chunks --url U --body S [--header ...] --requests N [--samples P]
//       Streams from stamp-upstream: per-chunk latency = arrival time - stamp.
//   fanout --url U --body S [--header ...] --streams N --pid P --expect S
//       N streams at once (one connection each); samples P's resident memory every 50 ms.
//   stall  --url U --body S [--header ...] --pid P --seconds T
//       One long stream whose reader stops reading after the headers; samples P's memory.
import http from 'node:http';
import { appendFileSync, readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const mode = args.shift();
const opts = { header: [] };
for (let i = 0; i < args.length; i += 2) {
  const key = args[i].replace(/^--/, '');
  if (key === 'header') opts.header.push(args[i + 1]);
  else opts[key] = args[i + 1];
}
const now = () => process.hrtime.bigint();
const us = (ns) => Number(ns) / 1000;

function percentile(values, p) {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function requestOptions(agent, body) {
  const url = new URL(opts.url);
  const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
  for (const h of opts.header) {
    const colon = h.indexOf(':');
    headers[h.slice(0, colon).trim().toLowerCase()] = h.slice(colon + 1).trim();
  }
  return { method: 'POST', host: url.hostname, port: url.port, path: url.pathname + url.search, headers, agent };
}

function residentKiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

// --samples FILE: every latency (us) is also appended to FILE, one per line, so that a caller can
// pool several interleaved runs before taking percentiles.
function keepSamples(values) {
  if (opts.samples && values.length > 0) appendFileSync(opts.samples, values.map((v) => Math.round(v)).join('\n') + '\n');
}

function print(fields) {
  console.log('BENCH ' + Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'number' ? Math.round(v) : v}`).join(' '));
}

// One streamed request; calls back on the first body byte and on each piece of body.
function stream(agent, body, { onFirst, onData, onResponse } = {}) {
  return new Promise((resolve) => {
    const started = now();
    let first = 0n;
    let text = '';
    const req = http.request(requestOptions(agent, body), (res) => {
      onResponse?.(res, req);
      res.setEncoding('utf8');
      res.on('data', (piece) => {
        const t = now();
        if (first === 0n) {
          first = t;
          onFirst?.(t - started);
        }
        onData?.(piece, t);
        if (text.length < 1 << 20) text += piece;
      });
      res.on('end', () => resolve({ status: res.statusCode, text, ttfb: first - started, total: now() - started }));
      res.on('error', (e) => resolve({ status: res.statusCode, text, error: String(e) }));
    });
    req.on('error', (e) => resolve({ status: 0, text, error: String(e) }));
    req.end(body);
  });
}

async function ttfb() {
  const fixture = JSON.parse(readFileSync(opts.fixture, 'utf8'));
  const last = fixture.body.messages.at(-1);
  if (typeof last.content === 'string') last.content = [{ type: 'text', text: last.content }];
  last.content.push({ type: 'text', text: opts.directive ?? '' });
  for (const [name, value] of Object.entries(fixture.headers)) opts.header.unshift(`${name}: ${value}`);
  const body = Buffer.from(JSON.stringify(fixture.body));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const n = Number(opts.requests ?? 100);
  const firsts = [];
  const totals = [];
  let errors = 0;
  for (let i = 0; i < n; ++i) {
    const r = await stream(agent, body);
    if (r.status !== 200 || !r.text.includes(opts.expect ?? '')) {
      if (errors++ === 0) process.stderr.write(`ttfb: HTTP ${r.status} ${r.error ?? ''} ${r.text.slice(0, 300)}\n`);
      continue;
    }
    firsts.push(us(r.ttfb));
    totals.push(us(r.total));
  }
  agent.destroy();
  keepSamples(firsts);
  print({ requests: firsts.length, bytes: body.length, ttfb_p50_us: percentile(firsts, 50), ttfb_p99_us: percentile(firsts, 99),
          total_p50_us: percentile(totals, 50), errors });
}

async function chunks() {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const n = Number(opts.requests ?? 20);
  const latencies = [];
  let errors = 0;
  for (let i = 0; i < n; ++i) {
    let pending = '';
    const r = await stream(agent, opts.body, {
      onData: (piece, arrived) => {
        pending += piece;
        const stamp = /@(\d+)@/g;
        let m;
        let end = 0;
        while ((m = stamp.exec(pending))) {
          latencies.push(us(arrived - BigInt(m[1])));
          end = stamp.lastIndex;
        }
        pending = pending.slice(end).slice(-64);
      },
    });
    if (r.status !== 200 || !r.text.includes('message_stop')) {
      if (errors++ === 0) process.stderr.write(`chunks: HTTP ${r.status} ${r.error ?? ''} ${r.text.slice(0, 300)}\n`);
    }
  }
  agent.destroy();
  keepSamples(latencies);
  print({ chunks: latencies.length, chunk_p50_us: percentile(latencies, 50), chunk_p99_us: percentile(latencies, 99), errors });
}

async function fanout() {
  const n = Number(opts.streams ?? 500);
  const pid = opts.pid;
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const base = residentKiB(pid);
  let open = 0;
  let best = { open: 0, rss: base };
  let peak = base;
  const sampler = setInterval(() => {
    const rss = residentKiB(pid);
    peak = Math.max(peak, rss);
    if (open > best.open || (open === best.open && rss > best.rss)) best = { open, rss };
  }, 50);
  const started = now();
  const runs = [];
  for (let i = 0; i < n; ++i) {
    runs.push(stream(agent, opts.body, { onResponse: () => ++open }).then((r) => {
      if (r.status) --open; // it had a response
      return r;
    }));
    if (i % 50 === 49) await new Promise((done) => setTimeout(done, 5)); // no SYN flood
  }
  const results = await Promise.all(runs);
  clearInterval(sampler);
  const complete = results.filter((r) => r.status === 200 && r.text.includes(opts.expect ?? '')).length;
  const failed = results.find((r) => !(r.status === 200 && r.text.includes(opts.expect ?? '')));
  if (failed) process.stderr.write(`fanout: HTTP ${failed.status} ${failed.error ?? ''} ${failed.text.slice(0, 300)}\n`);
  print({ streams: n, complete, max_open: best.open, rss_base_kib: base, rss_at_max_open_kib: best.rss, rss_peak_kib: peak,
          kib_per_stream: best.open > 0 ? (best.rss - base) / best.open : 0, seconds: us(now() - started) / 1e6 });
}

async function stall() {
  const pid = opts.pid;
  const seconds = Number(opts.seconds ?? 5);
  const agent = new http.Agent({ keepAlive: false });
  const base = residentKiB(pid);
  let peak = base;
  let received = 0;
  const result = await new Promise((resolve) => {
    const req = http.request(requestOptions(agent, opts.body), (res) => {
      res.on('data', (piece) => {
        received += piece.length;
        res.pause(); // the reader stops here: only the kernel's buffers take more
      });
      const sampler = setInterval(() => (peak = Math.max(peak, residentKiB(pid))), 50);
      setTimeout(() => {
        clearInterval(sampler);
        const end = residentKiB(pid);
        req.destroy();
        resolve({ status: res.statusCode, end });
      }, seconds * 1000);
    });
    req.on('error', () => {});
    req.end(opts.body);
  });
  await new Promise((done) => setTimeout(done, 500));
  print({ status: result.status, seconds, rss_base_kib: base, rss_peak_kib: peak, rss_growth_kib: peak - base,
          rss_after_hangup_kib: residentKiB(pid), received_bytes: received });
}

function stampUpstream() {
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (piece) => (body += piece));
    req.on('end', () => {
      let request = {};
      try {
        request = JSON.parse(body);
      } catch {}
      const prompt = JSON.stringify(request.messages ?? '');
      const count = Number(/chunks=(\d+)/.exec(prompt)?.[1] ?? 50);
      const interval = Number(/interval=(\d+)/.exec(prompt)?.[1] ?? 10);
      const model = request.model ?? 'stamped';
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const event = (type, data) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
      event('message_start', { message: { id: 'msg_stamped', type: 'message', role: 'assistant', model, content: [],
        stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } } });
      event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
      let sent = 0;
      const tick = () => {
        if (res.destroyed) return;
        if (sent === count) {
          event('content_block_stop', { index: 0 });
          event('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: count } });
          event('message_stop', {});
          res.end();
          return;
        }
        ++sent;
        // The stamp is taken as late as possible: right before the bytes go to the socket.
        res.write(`event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"@${now()}@"}}\n\n`);
        setTimeout(tick, interval);
      };
      setTimeout(tick, interval);
    });
  });
  server.keepAliveTimeout = 75_000;
  server.listen(0, '127.0.0.1', () => process.stderr.write(`stamp upstream listening on http://127.0.0.1:${server.address().port}\n`));
}

const modes = { ttfb, chunks, fanout, stall, 'stamp-upstream': stampUpstream };
if (!modes[mode]) {
  process.stderr.write(`usage: node streams.mjs ${Object.keys(modes).join('|')} [options]\n`);
  process.exit(2);
}
await modes[mode]();
