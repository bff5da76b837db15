// The kit's parts on their own: metrics text, logs, readiness, the span store, the token
// bucket, and the trace context riding inside an event envelope.
import assert from 'node:assert/strict';
import http from 'node:http';
import { describe, test } from 'node:test';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { RateLimiter } from '../src/adapters/rate-limit.ts';
import { collectorRoute, TraceStore } from '../src/observability/collector.ts';
import { TracedPublisher, tracedHandlers } from '../src/observability/event-tracing.ts';
import type { TracedEnvelope } from '../src/observability/event-tracing.ts';
import { readiness } from '../src/observability/health.ts';
import { createLogger } from '../src/observability/logger.ts';
import { routeOf } from '../src/observability/instrument.ts';
import { Registry } from '../src/observability/metrics.ts';
import { activeIds, context, contextFrom, setupTracing, withRequestId, withTrace } from '../src/observability/tracing.ts';
import type { SpanJson } from '../src/observability/tracing.ts';
import type { Envelope } from '../src/shared/events.ts';
import { close, collectingLogger, listen, parsePrometheus, sampleValue } from './observability-support.ts';

describe('metrics', () => {
  test('counters, a gauge and a histogram render as text Prometheus can read', () => {
    const registry = new Registry();
    const requests = registry.counter('http_requests_total', 'HTTP requests', ['method', 'route', 'status']);
    const depth = registry.gauge('outbox_unpublished', 'Events not yet published');
    const latency = registry.histogram('http_request_duration_seconds', 'Latency', ['route'], [0.1, 0.5, 1]);
    requests.inc({ method: 'GET', route: '/products', status: '200' });
    requests.inc({ method: 'GET', route: '/products', status: '200' }, 2);
    requests.inc({ method: 'POST', route: 'a "quoted"\\route\nwith a line feed', status: '500' });
    depth.set({}, 7);
    for (const seconds of [0.05, 0.2, 0.2, 0.7, 3]) latency.observe({ route: '/orders' }, seconds);

    const { types, samples } = parsePrometheus(registry.render());
    assert.deepEqual(types, { http_requests_total: 'counter', outbox_unpublished: 'gauge', http_request_duration_seconds: 'histogram' });
    assert.equal(sampleValue(samples, 'http_requests_total', { route: '/products', status: '200' }), 3);
    assert.equal(sampleValue(samples, 'http_requests_total', { route: 'a "quoted"\\route\nwith a line feed' }), 1, 'labels escaped and read back');
    assert.equal(sampleValue(samples, 'outbox_unpublished'), 7);
    // buckets are cumulative: at or below each bound
    const bucket = (le: string) => sampleValue(samples, 'http_request_duration_seconds_bucket', { route: '/orders', le });
    assert.deepEqual([bucket('0.1'), bucket('0.5'), bucket('1'), bucket('+Inf')], [1, 3, 4, 5]);
    assert.equal(sampleValue(samples, 'http_request_duration_seconds_count', { route: '/orders' }), 5);
    assert.ok(Math.abs((sampleValue(samples, 'http_request_duration_seconds_sum', { route: '/orders' }) ?? 0) - 4.15) < 1e-9);
  });

  test('what Prometheus would refuse is refused when it is written', () => {
    const registry = new Registry();
    const counter = registry.counter('jobs_total', 'Jobs', ['queue']);
    assert.throws(() => counter.inc({ queue: 'a' }, -1), /only goes up/);
    assert.throws(() => counter.inc({ worker: 'w1' }), /no label worker/);
    assert.throws(() => registry.counter('jobs_total', 'again'), /registered twice/);
    assert.throws(() => registry.counter('jobs-total', 'dash'), /not a Prometheus metric name/);
    assert.throws(() => registry.histogram('h', 'h', ['le']), /not a label name/);
    assert.throws(() => registry.histogram('h2', 'h', [], [1, 0.5]), /increase/);
  });

  test('the strict reader fails on text that is not the format', () => {
    assert.throws(() => parsePrometheus('requests 1\n'), /no TYPE/);
    assert.throws(() => parsePrometheus('# TYPE a counter\na{x=1} 1\n'), /bad labels/);
    assert.throws(() => parsePrometheus('# TYPE a counter\na one\n'), /not a number/);
  });

  test('ids in a path become :id, so a route is one series', () => {
    assert.equal(routeOf('/orders/ord_3f9a0c/cancel'), '/orders/:id/cancel');
    assert.equal(routeOf('/ops/traces/0af7651916cd43dd8448eb211c80319c'), '/ops/traces/:id');
    assert.equal(routeOf('/products'), '/products');
    assert.equal(routeOf('/reservations/saga-ord_3f9a0c-reserve'), '/reservations/:id');
  });
});

describe('logs', () => {
  test('one JSON line per event, with service, level and message; below the level, nothing', () => {
    const log = collectingLogger('payments');
    log.log.debug('at debug'); // collectingLogger writes from debug up
    log.lines.length = 0;
    log.log.info('charge captured', { orderId: 'ord_1', amountCents: 2400 });
    log.log.error('charge failed', { error: new Error('card processor down') });
    assert.equal(log.lines.length, 2);
    assert.deepEqual({ ...log.lines[0], time: undefined }, { time: undefined, level: 'info', service: 'payments', msg: 'charge captured', orderId: 'ord_1', amountCents: 2400 });
    assert.equal((log.lines[1]!.error as { message: string }).message, 'card processor down');
    assert.ok(!Number.isNaN(Date.parse(String(log.lines[0]!.time))));
    const quiet: string[] = [];
    const warnOnly = createLogger('payments', { level: 'warn', write: (line) => quiet.push(line) });
    warnOnly.info('not written');
    warnOnly.warn('written');
    assert.deepEqual(quiet.map((line) => (JSON.parse(line) as { msg: string }).msg), ['written']);
  });

  test('inside a span and a request, every line carries the trace, span and request ids', async () => {
    const { log, lines } = collectingLogger('shop');
    const tracing = setupTracing({ service: 'shop' });
    await context.with(withRequestId(context.active(), 'req-7'), () =>
      tracing.inSpan('POST /orders', {}, async (span) => {
        await new Promise((resolve) => setTimeout(resolve, 5)); // across an await: AsyncLocalStorage
        log.child({ module: 'orders' }).info('order placed');
        assert.deepEqual(activeIds(), { requestId: 'req-7', traceId: span.spanContext().traceId, spanId: span.spanContext().spanId });
      }),
    );
    assert.equal(lines[0]!.requestId, 'req-7');
    assert.match(String(lines[0]!.traceId), /^[0-9a-f]{32}$/);
    assert.equal(lines[0]!.module, 'orders');
    log.info('outside');
    assert.equal(lines[1]!.traceId, undefined);
  });
});

describe('readiness', () => {
  test('ready when every check passes; 503-worthy with the failing one named, a hanging one timed out', async () => {
    assert.equal((await readiness({ database: () => 1, broker: async () => {} })).status, 'ready');
    const result = await readiness({ database: () => 1, broker: () => { throw new Error('not connected'); }, slow: () => new Promise(() => {}) }, 100);
    assert.equal(result.status, 'not_ready');
    assert.equal(result.checks.database?.ok, true);
    assert.equal(result.checks.broker?.error, 'not connected');
    assert.match(String(result.checks.slow?.error), /no answer within 100 ms/);
  });
});

describe('rate limiter', () => {
  test('a bucket per client: the burst, then one per 1/perSecond; Retry-After says when', () => {
    let now = 0;
    const limiter = new RateLimiter({ burst: 3, perSecond: 2 }, () => now);
    assert.deepEqual([1, 2, 3].map(() => limiter.take('a').allowed), [true, true, true]);
    assert.deepEqual(limiter.take('a'), { allowed: false, retryAfterS: 1 });
    assert.equal(limiter.take('b').allowed, true, 'b has a bucket of its own');
    now = 500; // half a second at 2 per second: one token
    assert.equal(limiter.take('a').allowed, true);
    assert.equal(limiter.take('a').allowed, false);
    now = 100_000;
    limiter.forgetIdle();
    assert.equal(limiter.clients, 0);
    assert.throws(() => limiter.set({ burst: 1.5, perSecond: 1 }), /burst/);
    // the chapter's experiment: 5 at once, then one per 10 s
    limiter.set({ burst: 5, perSecond: 0.1 });
    for (let i = 0; i < 5; i++) assert.equal(limiter.take('c').allowed, true);
    assert.deepEqual(limiter.take('c'), { allowed: false, retryAfterS: 10 });
    now += 4_000;
    assert.deepEqual(limiter.take('c'), { allowed: false, retryAfterS: 6 });
  });
});

function span(traceId: string, spanId: string, parentSpanId: string | undefined, extra: Partial<SpanJson> = {}): SpanJson {
  return { traceId, spanId, ...(parentSpanId ? { parentSpanId } : {}), service: 'shop', name: 'x', kind: 'internal', startMs: 1000, durationMs: 10, status: 'unset', attributes: {}, ...extra };
}
const T = (n: number) => n.toString(16).padStart(32, '0');
const S = (n: number) => n.toString(16).padStart(16, '0');

describe('collector', () => {
  test('keeps the latest traces, finds one by order id, drops what is not a span', async () => {
    const store = new TraceStore({ maxTraces: 2 });
    const server = http.createServer((req, res) => void collectorRoute(store, req, res).then((handled) => handled || res.writeHead(404).end()));
    const url = await listen(server);
    try {
      const post = (body: unknown) => fetch(`${url}/v1/spans`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());
      assert.deepEqual(await post([span(T(1), S(1), undefined, { name: 'POST /orders', service: 'gateway' }), span(T(1), S(2), S(1), { startMs: 1005, durationMs: 30, attributes: { 'order.id': 'ord_1' } }), { traceId: 'nope' }]), { accepted: 2, rejected: 1 });
      await post([span(T(2), S(3), undefined, { startMs: 2000 })]);
      const list = (await (await fetch(`${url}/ops/traces?orderId=ord_1`)).json()) as { traceId: string; root: string; durationMs: number; spans: number; services: string[] }[];
      assert.equal(list.length, 1);
      assert.deepEqual({ ...list[0], startMs: undefined, errors: undefined, orderId: undefined }, { traceId: T(1), root: 'gateway POST /orders', durationMs: 35, spans: 2, services: ['gateway', 'shop'], startMs: undefined, errors: undefined, orderId: undefined });
      const one = (await (await fetch(`${url}/ops/traces/${T(1)}`)).json()) as { spans: SpanJson[] };
      assert.deepEqual(one.spans.map((s) => s.spanId), [S(1), S(2)]);
      // a third trace pushes out the oldest
      await post([span(T(3), S(4), undefined, { startMs: 3000 })]);
      assert.equal((await fetch(`${url}/ops/traces/${T(1)}`)).status, 404);
      assert.deepEqual(((await (await fetch(`${url}/ops/traces`)).json()) as { traceId: string }[]).map((t) => t.traceId), [T(3), T(2)]);
      assert.equal((await fetch(`${url}/ops/traces?limit=0`)).status, 400);
    } finally {
      await close(server);
    }
  });
});

describe('the trace inside an event envelope', () => {
  test('written with the event, published in a producer span, handled in a consumer span that is its child', async () => {
    const exporter = new InMemorySpanExporter();
    const shop = setupTracing({ service: 'shop', exporter, batch: false });
    const notifications = setupTracing({ service: 'notifications', exporter, batch: false });
    const sent: TracedEnvelope[] = [];
    const publisher = new TracedPublisher({ publish: async (event) => void sent.push(event) }, shop);

    // the request's span writes the event to the "outbox" ...
    const stored = await shop.inSpan('POST /orders', {}, async () =>
      withTrace({ id: 'evt_1', type: 'OrderConfirmed', occurredAt: new Date().toISOString(), data: { orderId: 'ord_9', customerId: 'ada', items: [], totalCents: 0 } } as Envelope),
    );
    assert.match(String(stored.trace?.traceparent), /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    // ... the relay publishes it later, outside any request ...
    await publisher.publish(stored);
    // ... and the consumer, in another process, handles what went over the wire
    const wire = JSON.parse(JSON.stringify(sent[0])) as TracedEnvelope;
    let handledIn: string | undefined;
    const handlers = tracedHandlers({ OrderConfirmed: async () => ((handledIn = activeIds().traceId), 'processed') }, notifications);
    await handlers.OrderConfirmed!(wire as Envelope<'OrderConfirmed'>);

    const spans = exporter.getFinishedSpans();
    const request = spans.find((s) => s.name === 'POST /orders')!;
    const publish = spans.find((s) => s.name === 'publish OrderConfirmed')!;
    const consume = spans.find((s) => s.name === 'process OrderConfirmed')!;
    const traceId = request.spanContext().traceId;
    assert.equal(publish.spanContext().traceId, traceId);
    assert.equal(consume.spanContext().traceId, traceId);
    assert.equal(handledIn, traceId);
    assert.equal(publish.parentSpanContext?.spanId, request.spanContext().spanId);
    assert.equal(consume.parentSpanContext?.spanId, publish.spanContext().spanId);
    assert.equal(consume.attributes['order.id'], 'ord_9');
    assert.equal(consume.attributes['messaging.outcome'], 'processed');
    assert.equal(String(consume.resource.attributes['service.name']), 'notifications');
  });

  test('an envelope without a trace, or with garbage in it, starts a trace of its own', () => {
    assert.equal(contextFrom(undefined), contextFrom({}));
    assert.equal(activeIds(contextFrom({ traceparent: '00-zz-yy-01' })).traceId, undefined);
  });
});
