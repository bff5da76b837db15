// Tracing where AsyncLocalStorage loses its store across await, as in the browser's
// WebContainer (stackblitz/webcontainer-core#1169). This file swaps node:async_hooks'
// AsyncLocalStorage for one that keeps its store only while the callback runs synchronously
// (what a runtime without async context propagation does) BEFORE the tracing code loads, then
// checks that the self-test notices and that spans still link across awaits.
// A file of its own: `node --test` runs each file in its own process, so no other test sees
// the forgetful AsyncLocalStorage.
import assert from 'node:assert/strict';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { test } from 'node:test';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';

// Keeps its store for the synchronous part of run() only: after the first await it is gone.
class ForgetfulAsyncLocalStorage<T> {
  private store: T | undefined;
  run<R>(store: T, callback: (...args: unknown[]) => R, ...args: unknown[]): R {
    const previous = this.store;
    this.store = store;
    try {
      return callback(...args);
    } finally {
      this.store = previous;
    }
  }
  getStore(): T | undefined {
    return this.store;
  }
  enterWith(store: T): void {
    this.store = store;
  }
  exit<R>(callback: (...args: unknown[]) => R, ...args: unknown[]): R {
    return this.run(undefined as T, callback, ...args);
  }
  disable(): void {
    this.store = undefined;
  }
}

// The built-in exports it through a getter; both CommonJS (OpenTelemetry's context manager)
// and ES module importers (the self-test) see the replacement.
Object.defineProperty(createRequire(import.meta.url)('node:async_hooks'), 'AsyncLocalStorage', { value: ForgetfulAsyncLocalStorage, enumerable: true, configurable: true });
syncBuiltinESMExports();

const { asyncLocalStorageKeepsContext, FALLBACK_NOTICE } = await import('../src/observability/async-context.ts');
const tracing = await import('../src/observability/tracing.ts');

const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

test('the self-test sees that AsyncLocalStorage loses its store across await', async () => {
  assert.equal(await asyncLocalStorageKeepsContext(), false);
  assert.equal(tracing.contextAcrossAwait, 'open-spans');
  assert.match(FALLBACK_NOTICE, /^tracing: AsyncLocalStorage loses context here; spans are linked by /);
});

test('without the fallback, the child span after an await starts a trace of its own (what the fallback is for)', async () => {
  const manager = new AsyncLocalStorageContextManager().enable();
  const exporter = new InMemorySpanExporter();
  const { BasicTracerProvider, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('broken');
  const parent = tracer.startSpan('parent');
  await manager.with(tracing.trace.setSpan(tracing.ROOT_CONTEXT, parent), async () => {
    await pause();
    tracer.startSpan('child', {}, manager.active()).end();
  });
  parent.end();
  const child = exporter.getFinishedSpans().find((span) => span.name === 'child')!;
  assert.equal(child.parentSpanContext?.spanId, undefined);
  assert.notEqual(child.spanContext().traceId, parent.spanContext().traceId);
  manager.disable();
});

test('with the fallback, spans started after awaits keep their parent, and outgoing headers carry the trace', async () => {
  const exporter = new InMemorySpanExporter();
  const { inSpan, flush } = tracing.setupTracing({ service: 'shop', exporter, batch: false });
  let headers: Record<string, string> = {};
  let event: { trace?: { traceparent?: string } } = {};
  await inSpan('POST /orders', { kind: tracing.SpanKind.SERVER }, async () => {
    await pause();
    await inSpan('reserve stock', {}, async () => {
      await pause();
      await inSpan('charge', { kind: tracing.SpanKind.CLIENT }, async () => {
        await pause();
        headers = tracing.traceHeaders();
      });
    });
    await pause();
    event = tracing.withTrace({ type: 'OrderPlaced' });
  });
  await flush();
  const spans = new Map(exporter.getFinishedSpans().map((span) => [span.name, span]));
  const request = spans.get('POST /orders')!;
  const reserve = spans.get('reserve stock')!;
  const charge = spans.get('charge')!;
  const traceId = request.spanContext().traceId;
  assert.equal(reserve.spanContext().traceId, traceId);
  assert.equal(charge.spanContext().traceId, traceId);
  assert.equal(reserve.parentSpanContext?.spanId, request.spanContext().spanId);
  assert.equal(charge.parentSpanContext?.spanId, reserve.spanContext().spanId);
  assert.match(headers.traceparent ?? '', new RegExp(`^00-${traceId}-${charge.spanContext().spanId}-01$`));
  assert.match(event.trace?.traceparent ?? '', new RegExp(`^00-${traceId}-${request.spanContext().spanId}-01$`));
  // Once the request's work is done, nothing is left active.
  assert.deepEqual(tracing.activeIds(), {});
});

test('a span whose work throws still closes, and the next request starts a trace of its own', async () => {
  const exporter = new InMemorySpanExporter();
  const { inSpan, flush } = tracing.setupTracing({ service: 'shop', exporter, batch: false });
  await assert.rejects(
    inSpan('failing', {}, async () => {
      await pause();
      throw new Error('card declined');
    }),
    /card declined/,
  );
  await inSpan('next', {}, async () => {
    await pause();
  });
  await flush();
  const spans = new Map(exporter.getFinishedSpans().map((span) => [span.name, span]));
  assert.equal(spans.get('next')!.parentSpanContext?.spanId, undefined);
  assert.notEqual(spans.get('next')!.spanContext().traceId, spans.get('failing')!.spanContext().traceId);
});
