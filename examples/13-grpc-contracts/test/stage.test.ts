// The stage as `npm start` runs it, in one run of it: the supervisor and its thirteen
// processes, the gateway in front of stage 10's balancer; then the chapter's experiment
// through the gateway: one order's trace across the services, the broker and the job queue,
// a slowed-down payments service found as the slow span,
// the same request id in every service's JSON log lines, /metrics and /ready everywhere, the
// ops token and the rate limit; and last, SIGTERM. (Linux: the processes are found in /proc.)

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { request, startStage } from '../../contract/src/launch.ts';
import type { Stage } from '../../contract/src/launch.ts';
import { DEV_TOKEN } from '../src/adapters/ops-auth.ts';
import type { TraceSummary } from '../src/observability/collector.ts';
import type { SpanJson } from '../src/observability/tracing.ts';
import { parsePrometheus, sampleValue } from './observability-support.ts';
import { alive, eventually, pidOf, settle } from './support.ts';

const stageDir = new URL('..', import.meta.url);
const tmp = mkdtempSync(join(tmpdir(), 'shop-stage-'));
const auth = { authorization: `Bearer ${DEV_TOKEN}` };
let stage: Stage;
before(async () => {
  // a generous start: thirteen processes on a busy machine
  stage = await startStage(stageDir, { env: { DATA_DIR: tmp }, timeoutMs: 90_000 });
});
after(async () => {
  await stage.stop();
  rmSync(tmp, { recursive: true, force: true });
});

// [name, script, port offset from PORT] of every service
const SERVICES: [string, string, number][] = [
  ['database', 'database-main.ts', 200],
  ['broker', 'broker-main.ts', 300],
  ['payments', 'payments-main.ts', 100],
  ['inventory', 'inventory-main.ts', 400],
  ['notifications', 'notifications-main.ts', 500],
  ['orchestrator', 'orchestrator-main.ts', 600],
  ['shop-1', 'main.ts', 1000],
  ['shop-2', 'main.ts', 1100],
  ['worker-1', 'worker-main.ts', 2000],
  ['worker-2', 'worker-main.ts', 2100],
  ['worker-3', 'worker-main.ts', 2200],
  ['balancer', 'balancer-main.ts', 800],
  ['gateway', 'gateway-main.ts', 0],
];
// the processes with the observability kit (the balancer, like nginx, has none of it)
const HTTP_SERVICES = SERVICES.filter(([name]) => !['database', 'broker', 'balancer'].includes(name));
const pids = (stage: Stage) => SERVICES.map(([, script, offset]) => pidOf(script, stage.port + offset));
const internal = (offset: number, path: string) => fetch(`http://127.0.0.1:${stage.port + offset}${path}`);

// The JSON lines a service printed, its replicas' too (the supervisor puts "name | " in front
// of each line: "shop-2        | {...}").
function logLines(service: string): Record<string, unknown>[] {
  const prefix = new RegExp(`^${service}(-\\d+)? *\\| `);
  return stage.output().split('\n').flatMap((line) => {
    const match = prefix.exec(line);
    if (!match) return [];
    try {
      return [JSON.parse(line.slice(match[0].length)) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

// Places an order through the gateway and waits until the collector has its whole trace.
async function tracedOrder(requestId: string): Promise<{ orderId: string; traceId: string; spans: SpanJson[] }> {
  const res = await fetch(`${stage.url}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId },
    body: JSON.stringify({ customerId: requestId, items: [{ sku: 'mug-blue', quantity: 1 }] }),
  });
  assert.equal(res.status, 202);
  assert.equal(res.headers.get('x-request-id'), requestId);
  const traceId = res.headers.get('x-trace-id') ?? '';
  assert.match(traceId, /^[0-9a-f]{32}$/);
  const { id: orderId } = (await res.json()) as { id: string };
  assert.equal((await settle(stage.url, orderId)).status, 'confirmed');
  let spans: SpanJson[] = [];
  await eventually(async () => {
    const answer = await fetch(`${stage.url}/ops/traces/${traceId}`, { headers: auth });
    spans = answer.status === 200 ? ((await answer.json()) as { spans: SpanJson[] }).spans : [];
    return spans.some((s) => s.name === 'job send-notification');
  }, 10_000, `the trace of ${orderId} down to the worker`);
  return { orderId, traceId, spans };
}

function find(spans: SpanJson[], service: string, name: string): SpanJson {
  const found = spans.find((s) => s.service === service && s.name === name);
  assert.ok(found, `${service} "${name}" in ${spans.map((s) => `${s.service} "${s.name}"`).join(', ')}`);
  return found;
}

// Time in a span not covered by its children: what "slowest" means in the trace view.
function selfMs(spans: SpanJson[], span: SpanJson): number {
  const children = spans.filter((s) => s.parentSpanId === span.spanId).sort((a, b) => a.startMs - b.startMs);
  let covered = 0;
  let until = span.startMs;
  for (const child of children) {
    const from = Math.max(child.startMs, until);
    const to = Math.min(child.startMs + child.durationMs, span.startMs + span.durationMs);
    if (to > from) covered += to - from;
    until = Math.max(until, to);
  }
  return span.durationMs - covered;
}

describe('the supervisor', { skip: process.platform !== 'linux' }, () => {
  it('prints one ready line, after the thirteen processes; the gateway has the public port', () => {
    const lines = stage.output().split('\n');
    const ready = lines.filter((line) => /\bready\b/.test(line));
    assert.equal(ready.length, 1, stage.output());
    assert.match(ready[0] ?? '', new RegExp(`^shop ready on http://127\\.0\\.0\\.1:${stage.port} \\(13 processes: gateway :${stage.port} with the span collector :${stage.port + 700}, .*balancer :${stage.port + 800}\\)$`));
    for (const [name] of SERVICES) {
      assert.ok(lines.findIndex((l) => l.startsWith(`${name.padEnd(13)} | `)) < lines.indexOf(ready[0] ?? ''), `${name} printed before ready`);
    }
    assert.ok(pids(stage).every((pid) => pid !== undefined), JSON.stringify(pids(stage)));
  });
});

describe('one order, one trace', () => {
  it('gateway -> shop -> the saga\'s steps -> inventory and payments over gRPC; the relay -> broker -> notifications -> job queue -> worker', async () => {
    const { orderId, traceId, spans } = await tracedOrder('trace-test-1');
    assert.ok(spans.every((s) => s.traceId === traceId), 'one trace id everywhere');
    const gatewayServer = find(spans, 'gateway', 'POST /orders');
    const gatewayClient = find(spans, 'gateway', 'POST shop');
    const shopServer = find(spans, 'shop', 'POST /orders');
    const reserve = find(spans, 'orchestrator', 'saga reserve');
    const reserveCall = find(spans, 'orchestrator', 'RPC inventory');
    const reservation = find(spans, 'inventory', 'RPC shop.inventory.v1.InventoryService/Reserve');
    const charge = find(spans, 'orchestrator', 'saga charge');
    const chargeCall = find(spans, 'orchestrator', 'RPC payments');
    const payment = find(spans, 'payments', 'RPC shop.payments.v1.PaymentsService/Charge');
    const confirm = find(spans, 'orchestrator', 'saga confirm');
    const publish = find(spans, 'orchestrator', 'publish OrderConfirmed');
    const consume = find(spans, 'notifications', 'process OrderConfirmed');
    const job = find(spans, 'worker', 'job send-notification');
    const links: [SpanJson, SpanJson | undefined][] = [
      [gatewayServer, undefined],
      [gatewayClient, gatewayServer],
      [shopServer, gatewayClient],
      [reserve, shopServer], // through the saga's row: the orchestrator picks it up later
      [reserveCall, reserve],
      [reservation, reserveCall],
      [charge, shopServer],
      [chargeCall, charge],
      [payment, chargeCall],
      [confirm, shopServer],
      [publish, confirm], // through the outbox row the confirm step wrote
      [consume, publish], // across the broker, inside the envelope
      [job, consume], // through the job's row: a worker claims it later
    ];
    for (const [child, parent] of links) assert.equal(child.parentSpanId, parent?.spanId, `${child.service} "${child.name}"'s parent`);
    assert.deepEqual([gatewayServer.kind, gatewayClient.kind, reserve.kind, publish.kind, consume.kind, job.kind], ['server', 'client', 'internal', 'producer', 'consumer', 'consumer']);
    assert.equal(shopServer.attributes['order.id'], orderId);
    // stage 13: the hop is gRPC (the orchestrator found node:http2), not JSON over HTTP; with
    // RPC_PROTOCOL=connect, the fallback: the Connect protocol, binary, over HTTP/1.1
    const wire = process.env.RPC_PROTOCOL === 'connect' ? /^application\/proto$/ : /^application\/grpc/;
    assert.match(String(payment.attributes['rpc.protocol']), wire);
    assert.match(String(reservation.attributes['rpc.protocol']), wire);
    assert.equal(consume.attributes['order.id'], orderId);

    const [summary] = (await (await fetch(`${stage.url}/ops/traces?orderId=${orderId}`, { headers: auth })).json()) as TraceSummary[];
    assert.equal(summary?.traceId, traceId);
    assert.equal(summary?.root, 'gateway POST /orders');
    assert.deepEqual([...(summary?.services ?? [])].sort(), ['gateway', 'inventory', 'notifications', 'orchestrator', 'payments', 'shop', 'worker']);
  });

  // A second, where the chapter's experiment uses 300 ms: on a test machine busy with other
  // suites, another span can take 300 ms of its own.
  it('payments slowed down by a second is the span with the most time of its own', async () => {
    const slow = await request(stage.url, 'PUT', '/ops/faults', { latencyMs: 1000 }, auth);
    assert.equal(slow.status, 200, slow.text);
    try {
      const { spans } = await tracedOrder('trace-test-slow');
      const payment = find(spans, 'payments', 'RPC shop.payments.v1.PaymentsService/Charge');
      assert.ok(payment.durationMs >= 1000, `POST /charges took ${payment.durationMs} ms`);
      const slowest = spans.reduce((a, b) => (selfMs(spans, b) > selfMs(spans, a) ? b : a));
      assert.equal(`${slowest.service} ${slowest.name}`, 'payments RPC shop.payments.v1.PaymentsService/Charge');
      // the orchestrator's call around it is as long, but its own time is small
      const call = find(spans, 'orchestrator', 'RPC payments');
      // (two processes' clocks: the client span may come out a hair shorter than the server's)
      assert.ok(call.durationMs >= payment.durationMs - 5 && selfMs(spans, call) < 100, `client span ${call.durationMs} ms, self ${selfMs(spans, call)} ms`);
    } finally {
      await request(stage.url, 'PUT', '/ops/faults', { latencyMs: 0 }, auth);
    }
  });

  it('the same request id and trace id in the JSON log lines of the gateway, the services and the worker', async () => {
    const { traceId } = await tracedOrder('trace-test-logs');
    const mine = (service: string) => logLines(service).filter((line) => line.requestId === 'trace-test-logs');
    await eventually(() => mine('worker').length > 0, 5_000, 'the worker\'s line');
    for (const service of ['gateway', 'shop', 'inventory', 'payments', 'worker']) {
      const lines = mine(service);
      assert.ok(lines.length > 0, `${service} logged for the request`);
      for (const line of lines) {
        assert.equal(line.traceId, traceId, `${service}: ${JSON.stringify(line)}`);
        assert.equal(line.service, service);
        assert.match(String(line.time), /^\d{4}-\d\d-\d\dT/);
        assert.ok(['info', 'warn', 'error'].includes(String(line.level)));
      }
    }
    assert.ok(mine('payments').some((line) => /^charged ord_/.test(String(line.msg))), 'the charge, logged inside the RPC, carries the request id');
    assert.ok(mine('worker').some((line) => /^worker-\d: email to trace-test-logs: /.test(String(line.msg))));
    assert.ok(mine('gateway').some((line) => line.msg === 'request' && line.status === 202));
  });
});

describe('health, readiness and metrics', () => {
  it('every service answers /health, /ready (with its checks) and /metrics in the text format', async () => {
    for (const [name, , offset] of HTTP_SERVICES) {
      assert.equal((await internal(offset, '/health')).status, 200, `${name} /health`);
      const ready = await internal(offset, '/ready');
      assert.equal(ready.status, 200, `${name} /ready: ${await ready.clone().text()}`);
      const body = (await ready.json()) as { status: string; checks: Record<string, { ok: boolean }> };
      assert.equal(body.status, 'ready');
      if (name !== 'gateway') assert.ok(body.checks.database?.ok, `${name} checks its database`);
      const { samples } = parsePrometheus(await (await internal(offset, '/metrics')).text());
      assert.ok(samples.some((s) => s.name === 'http_requests_total'), `${name} counts its requests`);
    }
    // the balancer shares the orders out between the two replicas
    let placed = 0;
    for (const offset of [1000, 1100]) {
      const shop = parsePrometheus(await (await internal(offset, '/metrics')).text());
      placed += sampleValue(shop.samples, 'http_requests_total', { method: 'POST', route: '/orders', status: '202' }) ?? 0;
    }
    assert.ok(placed >= 3, `${placed} orders placed`);
    const orchestrator = parsePrometheus(await (await internal(600, '/metrics')).text());
    assert.ok((sampleValue(orchestrator.samples, 'saga_steps_total', { step: 'charge', outcome: 'captured' }) ?? 0) >= 3);
  });

  it('readiness asks what a service\'s answers need: notifications without its consumer still serves its reads', { skip: process.platform !== 'linux' }, async () => {
    const stopped = await request(stage.url, 'POST', '/ops/consumers/notifications', { running: false }, auth);
    assert.equal(stopped.status, 200, stopped.text);
    try {
      const ready = await internal(500, '/ready');
      assert.equal(ready.status, 200, 'the broker brings its writes; its reads need only the database');
      assert.deepEqual(Object.keys(((await ready.json()) as { checks: Record<string, unknown> }).checks), ['database']);
      assert.equal((await request(stage.url, 'GET', '/notifications?customerId=nobody-yet')).status, 200);
      assert.equal((await internal(500, '/health')).status, 200);
    } finally {
      await request(stage.url, 'POST', '/ops/consumers/notifications', { running: true }, auth);
    }
  });
});

describe('the gateway', () => {
  it('/ops/ needs the token: 401 without, and the shop never sees the request', async () => {
    const before = (await request<{ after: unknown }>(stage.url, 'GET', '/ops/saga-pause', undefined, auth)).json;
    const res = await request(stage.url, 'PUT', '/ops/saga-pause', { after: 'reserve' });
    assert.equal(res.status, 401);
    assert.match(res.text, /"code":"unauthorized"/);
    assert.deepEqual((await request<{ after: unknown }>(stage.url, 'GET', '/ops/saga-pause', undefined, auth)).json.after, before.after);
  });

  it('a lowered rate limit answers 429 rate_limited with Retry-After; the limit goes back', async () => {
    const lowered = await request(stage.url, 'PUT', '/ops/rate-limit', { burst: 3, perSecond: 1 }, auth);
    assert.equal(lowered.status, 200, lowered.text);
    try {
      const statuses: number[] = [];
      let limited: Response | undefined;
      for (let i = 0; i < 6 && !limited; i++) {
        const res = await fetch(`${stage.url}/products`);
        statuses.push(res.status);
        if (res.status === 429) limited = res;
        else await res.arrayBuffer();
      }
      assert.ok(limited, `no 429 in ${statuses.join(', ')}`);
      assert.equal(((await limited.json()) as { error: { code: string } }).error.code, 'rate_limited');
      assert.ok(Number(limited.headers.get('retry-after')) >= 1);
      assert.equal((await fetch(`${stage.url}/health`)).status, 200, 'probes are never limited');
    } finally {
      // the bucket is empty and this request takes a token too: a second later there is one
      await eventually(async () => (await request(stage.url, 'PUT', '/ops/rate-limit', { burst: 200, perSecond: 100 }, auth)).status === 200, 15_000, 'limits back');
    }
  });
});

describe('stopping', { skip: process.platform !== 'linux' }, () => {
  it('SIGTERM stops all thirteen processes and the supervisor, leaving nothing behind', async () => {
    const running = pids(stage);
    const result = await stage.stop();
    assert.ok(result.exitedInTime, `took ${result.ms} ms`);
    assert.deepEqual(running.map(alive), SERVICES.map(() => false));
  });
});
