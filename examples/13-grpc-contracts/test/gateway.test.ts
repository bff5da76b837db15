// The gateway in one process, in front of stand-in services that echo what reached them:
// routing, pass-through, the request id, the rate limit, the ops token.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { createGateway, findRoute, ROUTES, trustList } from '../src/adapters/gateway.ts';
import { DEV_JWT_SECRET, DEV_TOKEN, signToken } from '../src/adapters/ops-auth.ts';
import { Registry } from '../src/observability/metrics.ts';
import { setupTracing } from '../src/observability/tracing.ts';
import { close, collectingLogger, echoServer, listen, parsePrometheus, sampleValue } from './observability-support.ts';
import type { Echo } from './observability-support.ts';

type ErrorBody = { error: { code: string; message: string } };

const seen: Echo[] = [];
const shop = echoServer('shop', seen);
const payments = echoServer('payments', seen);
const collector = echoServer('collector', seen);
const spans = new InMemorySpanExporter();
const { log, lines } = collectingLogger('gateway');
let gateway: ReturnType<typeof createGateway>;
let url = '';
let clientHeader = 'x-test-client'; // each test its own bucket, by a header only tests use

before(async () => {
  const [shopUrl, paymentsUrl, collectorUrl] = await Promise.all([listen(shop), listen(payments), listen(collector)]);
  gateway = createGateway({
    upstreams: { shop: shopUrl, payments: paymentsUrl, collector: collectorUrl },
    secret: DEV_JWT_SECRET,
    limits: { burst: 5, perSecond: 1 },
    kit: { log, metrics: new Registry(), tracing: setupTracing({ service: 'gateway', exporter: spans, batch: false }) },
    clientOf: (req) => String(req.headers[clientHeader] ?? req.socket.remoteAddress),
  });
  url = await listen(gateway.server);
});
after(async () => {
  gateway.stop();
  await Promise.all([gateway.server, shop, payments, collector].map(close));
});

let clients = 0;
const newClient = () => `client-${++clients}`;
const call = (path: string, init: RequestInit & { client?: string } = {}) =>
  fetch(`${url}${path}`, { ...init, headers: { [clientHeader]: init.client ?? newClient(), ...(init.headers as Record<string, string>) } });

describe('routing', () => {
  test('the public contract goes to the shop, with method, path, query, body and status passed through', async () => {
    const res = await call('/orders?customerId=ada&page=2', {
      method: 'POST',
      body: '{"customerId":"ada","items":[{"sku":"mug-blue","quantity":2}]}',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'k-1', 'x-answer-status': '202' },
    });
    assert.equal(res.status, 202);
    assert.equal(res.headers.get('x-served-by'), 'shop');
    const echo = (await res.json()) as Echo;
    assert.equal(echo.method, 'POST');
    assert.equal(echo.url, '/orders?customerId=ada&page=2');
    assert.equal(echo.body, '{"customerId":"ada","items":[{"sku":"mug-blue","quantity":2}]}');
    assert.equal(echo.headers['idempotency-key'], 'k-1');
    assert.equal(echo.headers['content-type'], 'application/json');
  });

  test('every public route of the contract is open and reaches the shop', async () => {
    for (const [method, path] of [['GET', '/health'], ['GET', '/products'], ['POST', '/products'], ['GET', '/orders/ord_1'], ['POST', '/orders/ord_1/cancel'], ['GET', '/payments?orderId=ord_1'], ['GET', '/notifications?customerId=ada']] as const) {
      const res = await call(path, { method, ...(method === 'POST' ? { body: '{}' } : {}) });
      assert.equal(res.status, 200, `${method} ${path}`);
      assert.equal(((await res.json()) as Echo).upstream, 'shop', `${method} ${path}`);
    }
  });

  test('the table sends /ops/faults to payments, /ops/traces to the collector and other /ops/ to the shop', () => {
    assert.equal(findRoute(ROUTES, 'PUT', '/ops/faults')?.upstream, 'payments');
    assert.equal(findRoute(ROUTES, 'GET', '/ops/traces/0af7651916cd43dd8448eb211c80319c')?.upstream, 'collector');
    assert.equal(findRoute(ROUTES, 'POST', '/ops/consumers/inventory')?.upstream, 'shop');
    assert.equal(findRoute(ROUTES, 'DELETE', '/orders/ord_1'), undefined);
  });

  test('an unknown route is a 404 in the contract\'s error shape, from the gateway', async () => {
    const before = seen.length;
    const res = await call('/admin');
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as ErrorBody).error.code, 'not_found');
    assert.equal(seen.length, before, 'nothing reached a service');
    const wrongMethod = await call('/orders/ord_1', { method: 'DELETE' });
    assert.equal(wrongMethod.status, 404);
  });

  test('a service that is down is a 502 bad_gateway, in JSON', async () => {
    const down = createGateway({
      upstreams: { shop: 'http://127.0.0.1:9', payments: 'http://127.0.0.1:9', collector: 'http://127.0.0.1:9' },
      secret: DEV_JWT_SECRET,
      limits: { burst: 5, perSecond: 1 },
      kit: { log, metrics: new Registry(), tracing: setupTracing({ service: 'gateway' }) },
    });
    const downUrl = await listen(down.server);
    try {
      const res = await fetch(`${downUrl}/products`);
      assert.equal(res.status, 502);
      assert.equal(((await res.json()) as ErrorBody).error.code, 'bad_gateway');
      const ready = await fetch(`${downUrl}/ready`);
      assert.equal(ready.status, 503);
      assert.equal(((await ready.json()) as { checks: { shop: { ok: boolean } } }).checks.shop.ok, false);
    } finally {
      down.stop();
      await close(down.server);
    }
  });
});

describe('correlation', () => {
  test('a request id the client sends is passed on and answered; without one, the gateway makes one', async () => {
    const given = await call('/products', { headers: { 'x-request-id': 'req-42' } });
    assert.equal(given.headers.get('x-request-id'), 'req-42');
    assert.equal(((await given.json()) as Echo).headers['x-request-id'], 'req-42');

    const made = await call('/products');
    const id = made.headers.get('x-request-id') ?? '';
    assert.match(id, /^[0-9a-f-]{36}$/);
    const echo = (await made.json()) as Echo;
    assert.equal(echo.headers['x-request-id'], id);
    // the trace goes along too: the shop's span will be a child of the gateway's client span
    const traceId = made.headers.get('x-trace-id');
    assert.match(String(echo.headers.traceparent), new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    const line = lines.find((l) => l.msg === 'request' && l.requestId === id);
    assert.ok(line, 'one log line for the request, with its id');
    assert.equal(line.traceId, traceId);
    assert.equal(line.status, 200);
  });

  test('the gateway\'s spans: a server span and a client span to the service, one trace', async () => {
    spans.reset();
    const res = await call('/orders/ord_7');
    await res.arrayBuffer();
    const finished = spans.getFinishedSpans();
    const server = finished.find((s) => s.name === 'GET /orders/:id');
    const client = finished.find((s) => s.name === 'GET shop');
    assert.ok(server && client, finished.map((s) => s.name).join(', '));
    assert.equal(client.parentSpanContext?.spanId, server.spanContext().spanId);
    assert.equal(client.spanContext().traceId, res.headers.get('x-trace-id'));
    // a probe leaves no trace behind
    spans.reset();
    await (await call('/health')).arrayBuffer();
    assert.deepEqual(spans.getFinishedSpans().map((s) => s.name), []);
  });
});

describe('rate limiting', () => {
  test('a burst of 5 passes, the 6th is 429 rate_limited with Retry-After; another client is not affected', async () => {
    const client = newClient();
    for (let i = 1; i <= 5; i++) assert.equal((await call('/products', { client })).status, 200, `request ${i}`);
    const refused = await call('/products', { client });
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '1');
    const body = (await refused.json()) as ErrorBody;
    assert.equal(body.error.code, 'rate_limited');
    assert.match(body.error.message, /at most 5 at once/);
    assert.equal((await call('/products')).status, 200, 'a new client has a full bucket');
    // /health is never limited: probes must get through
    assert.equal((await call('/health', { client })).status, 200);
  });

  test('a token comes back after 1 s at 1 per second', async () => {
    const client = newClient();
    for (let i = 0; i < 5; i++) await (await call('/products', { client })).arrayBuffer();
    assert.equal((await call('/products', { client })).status, 429);
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    assert.equal((await call('/products', { client })).status, 200);
    assert.equal((await call('/products', { client })).status, 429);
  });

  test('the limits change at run time with a token (PUT /ops/rate-limit)', async () => {
    const auth = { authorization: `Bearer ${DEV_TOKEN}` };
    const bad = await call('/ops/rate-limit', { method: 'PUT', headers: auth, body: '{"burst": 0, "perSecond": 1}' });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as ErrorBody).error.message, /burst/);
    const res = await call('/ops/rate-limit', { method: 'PUT', headers: auth, body: '{"burst": 2, "perSecond": 1}' });
    assert.equal(res.status, 200);
    // without Redis the limit is this replica's own, and the answer says so
    const body = (await res.json()) as { burst: number; shared: boolean; scope: string };
    assert.deepEqual([body.burst, body.shared], [2, false]);
    assert.match(body.scope, /this gateway replica only/);
    const client = newClient();
    assert.equal((await call('/products', { client })).status, 200);
    assert.equal((await call('/products', { client })).status, 200);
    assert.equal((await call('/products', { client })).status, 429);
    await call('/ops/rate-limit', { method: 'PUT', headers: auth, body: '{"burst": 5, "perSecond": 1}' });
  });
});

describe('ops authentication', () => {
  const faults = (authorization?: string) => call('/ops/faults', { method: 'PUT', body: '{"latencyMs":300}', headers: authorization ? { authorization } : {} });

  test('no token: 401 unauthorized with WWW-Authenticate, and nothing reaches payments', async () => {
    const before = seen.length;
    const res = await faults();
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
    assert.equal(((await res.json()) as ErrorBody).error.code, 'unauthorized');
    assert.equal(seen.length, before);
  });

  test('a bad token: wrong secret, expired, not a JWT, alg none, not Bearer: all 401', async () => {
    const wrongSecret = await signToken('another-secret-of-at-least-32-chars!', { sub: 'mallory', scope: 'ops' });
    const expired = await signToken(DEV_JWT_SECRET, { sub: 'dev', scope: 'ops', iat: 1_000_000, expires: 1_003_600 });
    const header = Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url');
    const payload = Buffer.from('{"sub":"mallory","scope":"ops"}').toString('base64url');
    const cases: [string, RegExp][] = [
      [`Bearer ${wrongSecret}`, /not signed with this gateway's secret/],
      [`Bearer ${expired}`, /expired/],
      ['Bearer not-a-token', /well-formed/],
      [`Bearer ${header}.${payload}.`, /HS256|well-formed/],
      [`Basic ${Buffer.from('a:b').toString('base64')}`, /Bearer/],
    ];
    for (const [authorization, why] of cases) {
      const res = await faults(authorization);
      assert.equal(res.status, 401, authorization);
      const body = (await res.json()) as ErrorBody;
      assert.equal(body.error.code, 'unauthorized');
      assert.match(body.error.message, why, authorization);
    }
  });

  test('a good token without the ops scope: 403 forbidden', async () => {
    const reader = await signToken(DEV_JWT_SECRET, { sub: 'reader', scope: 'read' });
    const res = await faults(`Bearer ${reader}`);
    assert.equal(res.status, 403);
    const body = (await res.json()) as ErrorBody;
    assert.equal(body.error.code, 'forbidden');
    assert.match(body.error.message, /reader/);
  });

  test('the documented development token: 200 from payments, which never sees the token', async () => {
    const res = await faults(`Bearer ${DEV_TOKEN}`);
    assert.equal(res.status, 200);
    const echo = (await res.json()) as Echo;
    assert.equal(echo.upstream, 'payments');
    assert.equal(echo.url, '/ops/faults');
    assert.equal(echo.body, '{"latencyMs":300}');
    assert.equal(echo.headers.authorization, undefined);
    const traces = await call('/ops/traces?orderId=ord_1', { headers: { authorization: `Bearer ${DEV_TOKEN}` } });
    assert.equal(((await traces.json()) as Echo).upstream, 'collector');
  });

  test('the development token is refused by a gateway with its own secret', async () => {
    const own = createGateway({
      upstreams: { shop: url, payments: url, collector: url },
      secret: 'a-real-secret-that-nobody-has-published',
      limits: { burst: 5, perSecond: 1 },
      kit: { log, metrics: new Registry(), tracing: setupTracing({ service: 'gateway' }) },
    });
    const ownUrl = await listen(own.server);
    try {
      const res = await fetch(`${ownUrl}/ops/faults`, { headers: { authorization: `Bearer ${DEV_TOKEN}` } });
      assert.equal(res.status, 401);
    } finally {
      own.stop();
      await close(own.server);
    }
  });
});

test('GET /metrics: parseable text, with the requests, the refusals and the 429s counted', async () => {
  const res = await call('/metrics');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const { types, samples } = parsePrometheus(await res.text());
  assert.equal(types.http_requests_total, 'counter');
  assert.equal(types.http_request_duration_seconds, 'histogram');
  assert.ok((sampleValue(samples, 'http_requests_total', { method: 'GET', route: '/products', status: '200' }) ?? 0) >= 5);
  assert.ok((sampleValue(samples, 'http_requests_total', { method: 'GET', route: '/products', status: '429' }) ?? 0) >= 2);
  assert.ok((sampleValue(samples, 'gateway_rate_limited_total', { route: '/products' }) ?? 0) >= 2);
  assert.ok((sampleValue(samples, 'gateway_auth_refused_total', { status: '401' }) ?? 0) >= 6);
  assert.equal(sampleValue(samples, 'gateway_auth_refused_total', { status: '403' }), 1);
  // no ids in labels: one series per route, however many orders were asked for
  assert.ok(!samples.some((s) => /ord_/.test(s.labels.route ?? '')));
});

// A gateway of its own, built as gateway-main.ts builds it (no clientOf), in front of `shop`.
async function ownGateway(options: { trustedProxies?: string[]; shopUrl?: string }) {
  const standIns = [echoServer('shop'), echoServer('payments'), echoServer('collector')];
  const [shopUrl, paymentsUrl, collectorUrl] = await Promise.all(standIns.map(listen));
  const own = createGateway({
    upstreams: { shop: options.shopUrl ?? shopUrl!, payments: paymentsUrl!, collector: collectorUrl! },
    secret: DEV_JWT_SECRET,
    limits: { burst: 2, perSecond: 0.01 },
    kit: { log, metrics: new Registry(), tracing: setupTracing({ service: 'gateway' }) },
    ...(options.trustedProxies ? { trustedProxies: options.trustedProxies } : {}),
  });
  const url = await listen(own.server);
  const stop = async () => {
    own.stop();
    await Promise.all([own.server, ...standIns].map(close));
  };
  return { url, stop };
}
const asFrom = (url: string, forwardedFor?: string) => fetch(`${url}/products`, { headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} });

describe('behind our own proxy: the real client, and only from our proxy', () => {
  test('X-Forwarded-For from a trusted proxy names the client: each client has its own bucket', async () => {
    const { stop, url: ownUrl } = await ownGateway({ trustedProxies: ['127.0.0.1'] });
    try {
      assert.deepEqual([(await asFrom(ownUrl, '203.0.113.1')).status, (await asFrom(ownUrl, '203.0.113.1')).status, (await asFrom(ownUrl, '203.0.113.1')).status], [200, 200, 429]);
      assert.equal((await asFrom(ownUrl, '203.0.113.2')).status, 200, 'another client behind the same proxy is not limited');
      // a client that writes the header itself: the proxy appends the address it saw, and
      // that one (the rightmost not ours) is who counts
      assert.equal((await asFrom(ownUrl, '198.51.100.9, 203.0.113.1')).status, 429);
      const echo = (await (await asFrom(ownUrl, '203.0.113.3')).json()) as Echo;
      assert.equal(echo.headers['x-forwarded-for'], '203.0.113.3, 127.0.0.1', 'the chain goes on to the service with this hop added');
    } finally {
      await stop();
    }
  });

  test('nobody trusted (the default): the header is ignored for the limit and not passed on', async () => {
    const { stop, url: ownUrl } = await ownGateway({});
    try {
      const first = await asFrom(ownUrl, '203.0.113.1');
      assert.equal(((await first.json()) as Echo).headers['x-forwarded-for'], '127.0.0.1', 'only the address the gateway saw goes on');
      const statuses = [];
      for (const address of ['203.0.113.2', '203.0.113.3']) statuses.push((await asFrom(ownUrl, address)).status);
      assert.deepEqual(statuses, [200, 429], 'a made-up X-Forwarded-For does not buy a fresh bucket');
    } finally {
      await stop();
    }
  });

  test('a trusted proxy list that is not addresses is refused at start', () => {
    assert.throws(() => trustList(['nginx']), /trusted proxy nginx is not an address or subnet/);
    assert.equal(trustList(['10.0.0.0/8']).check('10.1.2.3', 'ipv4'), true);
  });
});

test('GET /ready asks the services\' own readiness: a shop that answers /health but is not ready makes the gateway not ready', async () => {
  const notReadyShop = http.createServer((req, res) => {
    const ready = req.url !== '/ready';
    res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify(ready ? { status: 'ok' } : { status: 'not_ready', checks: { database: { ok: false } } }));
  });
  const { stop, url: ownUrl } = await ownGateway({ shopUrl: await listen(notReadyShop) });
  try {
    const res = await fetch(`${ownUrl}/ready`);
    assert.equal(res.status, 503);
    const body = (await res.json()) as { checks: Record<string, { ok: boolean; error?: string }> };
    assert.equal(body.checks.shop?.ok, false);
    assert.match(body.checks.shop?.error ?? '', /\/ready answered 503/);
    assert.equal(body.checks.payments?.ok, true);
  } finally {
    await Promise.all([stop(), close(notReadyShop)]);
  }
});
