// One order's trace across real processes: the gateway, the shop and inventory (stand-ins
// wired as stage 11 wires its services), the span collector, and an MQTT hop through aedes
// using stage 08's publisher and consumer. One trace id from the gateway to the consumer,
// every parent link right, and the same request id in every process's log lines.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Aedes } from 'aedes';
import { DEV_TOKEN } from '../src/adapters/ops-auth.ts';
import type { TraceSummary } from '../src/observability/collector.ts';
import type { SpanJson } from '../src/observability/tracing.ts';
import { slowestSpan } from '../site/trace-waterfall.ts';
import { eventually, freePort, parsePrometheus, sampleValue } from './support.ts';

const RESERVE_MS = 250; // inventory is slowed down: the experiment's "slow one service down"
const children: { name: string; child: ChildProcess; lines: string[] }[] = [];
let broker: Aedes;
let brokerServer: net.Server;
let gateway = '';
let shop = '';

function start(name: string, script: string, env: Record<string, string>): void {
  const child = spawn(process.execPath, [fileURLToPath(new URL(script, import.meta.url))], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const entry = { name, child, lines: [] as string[] };
  let rest = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = rest + chunk.toString();
    const parts = text.split('\n');
    rest = parts.pop() ?? '';
    entry.lines.push(...parts);
  });
  child.stderr!.on('data', (chunk: Buffer) => entry.lines.push(`stderr: ${chunk.toString()}`));
  children.push(entry);
}

const up = (url: string) => async () => (await fetch(`${url}/health`).catch(() => undefined))?.status === 200;
const auth = { authorization: `Bearer ${DEV_TOKEN}` };

before(async () => {
  broker = await Aedes.createBroker();
  // inventory's consumer is ready once the broker has its subscription (a message published
  // before that would not be queued for it)
  const subscribed = new Promise<void>((resolve) =>
    broker.on('subscribe', (subscriptions, client) => {
      if (client?.id === 'inventory-consumer' && subscriptions.some((s) => s.topic === 'shop/events/OrderPlaced')) resolve();
    }),
  );
  brokerServer = net.createServer(broker.handle);
  const brokerPort = await freePort();
  await new Promise<void>((resolve) => brokerServer.listen(brokerPort, '127.0.0.1', resolve));
  const [collectorPort, inventoryPort, shopPort, gatewayPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const collector = `http://127.0.0.1:${collectorPort}`;
  const inventory = `http://127.0.0.1:${inventoryPort}`;
  shop = `http://127.0.0.1:${shopPort}`;
  gateway = `http://127.0.0.1:${gatewayPort}`;
  const common = { COLLECTOR_URL: collector, BROKER_URL: `mqtt://127.0.0.1:${brokerPort}` };
  start('collector', '../src/collector-main.ts', { PORT: String(collectorPort) });
  start('inventory', './fixtures/inventory-service.ts', { ...common, PORT: String(inventoryPort), RESERVE_MS: String(RESERVE_MS) });
  start('shop', './fixtures/shop-service.ts', { ...common, PORT: String(shopPort), INVENTORY_URL: inventory });
  start('gateway', '../src/gateway-main.ts', { PORT: String(gatewayPort), SHOP_URL: shop, PAYMENTS_URL: inventory, COLLECTOR_URL: collector });
  for (const url of [collector, inventory, shop, gateway]) await eventually(up(url), 30_000, `${url}/health`);
  await eventually(async () => (await fetch(`${inventory}/ready`)).status === 200, 10_000, 'inventory ready');
  await subscribed;
  await eventually(async () => (await fetch(`${gateway}/ready`)).status === 200, 10_000, 'gateway ready');
});

after(async () => {
  for (const { child } of children) child.kill('SIGTERM');
  await Promise.all(children.map(({ child }) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined)));
  brokerServer.close();
  await new Promise<void>((resolve) => broker.close(() => resolve()));
});

const logLines = (name: string) =>
  children.find((c) => c.name === name)!.lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });

test('one order, one trace: gateway -> shop -> inventory over HTTP, and shop -> broker -> inventory over MQTT', async (t) => {
  const res = await fetch(`${gateway}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': 'order-trace-1' },
    body: JSON.stringify({ customerId: 'ada', items: [{ sku: 'mug-blue', quantity: 2 }] }),
  });
  assert.equal(res.status, 202);
  const order = (await res.json()) as { id: string };
  const traceId = res.headers.get('x-trace-id') ?? '';
  assert.match(traceId, /^[0-9a-f]{32}$/);
  assert.equal(res.headers.get('x-request-id'), 'order-trace-1');

  // the collector has the whole trace once the consumer's spans arrive (batches every 200 ms)
  let summary: TraceSummary | undefined;
  await eventually(async () => {
    const list = await fetch(`${gateway}/ops/traces?orderId=${order.id}`, { headers: auth });
    [summary] = (await list.json()) as TraceSummary[];
    return summary?.spans === 8;
  }, 10_000, `8 spans of the trace of ${order.id}`);
  assert.equal(summary!.traceId, traceId);
  assert.equal(summary!.root, 'gateway POST /orders');
  assert.deepEqual([...summary!.services].sort(), ['gateway', 'inventory', 'shop']);

  const one = await fetch(`${gateway}/ops/traces/${traceId}`, { headers: auth });
  const { spans } = (await one.json()) as { spans: SpanJson[] };
  const find = (service: string, name: string) => {
    const found = spans.find((s) => s.service === service && s.name === name);
    assert.ok(found, `${service} ${name} in ${spans.map((s) => `${s.service} ${s.name}`).join(', ')}`);
    return found;
  };
  const gatewayServer = find('gateway', 'POST /orders');
  const gatewayClient = find('gateway', 'POST shop');
  const shopServer = find('shop', 'POST /orders');
  const shopClient = find('shop', 'GET inventory');
  const inventoryServer = find('inventory', 'GET /products/mug-blue');
  const publish = find('shop', 'publish OrderPlaced');
  const consume = find('inventory', 'process OrderPlaced');
  const reserve = find('inventory', 'reserve stock');

  assert.ok(spans.every((s) => s.traceId === traceId), 'one trace id everywhere');
  const links: [SpanJson, SpanJson | undefined][] = [
    [gatewayServer, undefined],
    [gatewayClient, gatewayServer],
    [shopServer, gatewayClient],
    [shopClient, shopServer],
    [inventoryServer, shopClient],
    [publish, shopServer], // through the envelope written in the request
    [consume, publish], // across the broker
    [reserve, consume],
  ];
  for (const [child, parent] of links) assert.equal(child.parentSpanId, parent?.spanId, `${child.service} ${child.name}'s parent`);
  assert.deepEqual([gatewayServer.kind, gatewayClient.kind, shopServer.kind, publish.kind, consume.kind], ['server', 'client', 'server', 'producer', 'consumer']);
  assert.equal(consume.attributes['order.id'], order.id);

  await t.test('the slowed-down service is the slow span', () => {
    assert.ok(reserve.durationMs >= RESERVE_MS - 5, `reserve stock took ${reserve.durationMs} ms`);
    assert.equal(slowestSpan(spans)?.spanId, reserve.spanId);
  });

  await t.test('the same request id in every process\'s log lines, the consumer\'s included', () => {
    const shopLine = logLines('shop').find((l) => l.msg === 'order placed');
    const consumerLine = logLines('inventory').find((l) => l.msg === 'stock reserved');
    const gatewayLine = logLines('gateway').find((l) => l.msg === 'request' && l.path === '/orders');
    for (const line of [shopLine, consumerLine, gatewayLine]) {
      assert.ok(line, 'log line found');
      assert.equal(line.requestId, 'order-trace-1');
      assert.equal(line.traceId, traceId);
    }
    assert.equal(consumerLine!.spanId, reserve.spanId);
    assert.equal(consumerLine!.service, 'inventory');
  });

  await t.test('each process answers /metrics in the text format', async () => {
    const text = await (await fetch(`${shop}/metrics`)).text();
    const { samples } = parsePrometheus(text);
    assert.equal(sampleValue(samples, 'http_requests_total', { method: 'POST', route: '/orders', status: '202' }), 1);
    const gatewayText = await (await fetch(`${gateway}/metrics`)).text();
    assert.ok((sampleValue(parsePrometheus(gatewayText).samples, 'gateway_upstream_duration_seconds_count', { upstream: 'shop' }) ?? 0) >= 1);
  });
});

test('the traces need the ops token at the gateway', async () => {
  assert.equal((await fetch(`${gateway}/ops/traces`)).status, 401);
  assert.equal((await fetch(`${gateway}/ops/traces/${'0'.repeat(31)}1`, { headers: auth })).status, 404);
});

test('a gateway started with COLLECTOR_PORT hosts the collector itself: its spans are there, behind the token', async () => {
  const [port, collectorPort] = await Promise.all([freePort(), freePort()]);
  start('gateway-embedded', '../src/gateway-main.ts', { PORT: String(port), SHOP_URL: shop, PAYMENTS_URL: shop, COLLECTOR_PORT: String(collectorPort), COLLECTOR_URL: '' });
  const url = `http://127.0.0.1:${port}`;
  await eventually(up(url), 30_000, 'the second gateway');
  assert.equal((await fetch(`http://127.0.0.1:${collectorPort}/health`)).status, 200);
  const res = await fetch(`${url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ customerId: 'bo', items: [{ sku: 'mug-blue', quantity: 1 }] }) });
  assert.equal(res.status, 202);
  const traceId = res.headers.get('x-trace-id');
  let spans: SpanJson[] = [];
  await eventually(async () => {
    const one = await fetch(`${url}/ops/traces/${traceId}`, { headers: auth });
    spans = one.status === 200 ? ((await one.json()) as { spans: SpanJson[] }).spans : [];
    return spans.length >= 2;
  }, 10_000, 'the gateway\'s spans in its own collector');
  assert.deepEqual(spans.map((s) => `${s.service} ${s.name}`).slice(0, 2), ['gateway POST /orders', 'gateway POST shop']);
  assert.equal((await fetch(`${url}/ops/traces/${traceId}`)).status, 401);
});
