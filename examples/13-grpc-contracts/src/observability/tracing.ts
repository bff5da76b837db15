// Distributed tracing with OpenTelemetry (stage 11): the real @opentelemetry/api and its trace
// SDK, with no automatic instrumentation. Every process starts spans where it does work
// (a request it serves, a call it makes, an event it publishes or handles), and the trace
// context travels with the work:
//
// - over HTTP in the W3C headers `traceparent` (trace id, parent span id, sampled flag) and
//   `baggage` (here: the request id, so logs can say which request a line belongs to);
// - over MQTT in the event envelope's `trace` field: MQTT 3.1.1 has no message headers (5.0
//   has user properties), so the same two W3C values ride inside the JSON. They are added
//   when the event is written to the outbox, inside the request's span, so the relay, which
//   publishes later from a loop of its own, still publishes it as part of that trace.
//
// Finished spans are batched and POSTed to the collector (src/observability/collector.ts),
// which keeps recent traces in memory and answers GET /ops/traces/:traceId.

import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Attributes, Context, Span, Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, ExportResultCode, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { asyncLocalStorageKeepsContext, OpenSpansContextManager } from './async-context.ts';

// #region span-json
// A finished span as the collector stores it and the workbench draws it. Times are epoch
// milliseconds with a fraction, so spans of different processes line up on one clock (they
// run on one machine here; across machines, clock skew is one more thing a trace can show).
export type SpanJson = {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  service: string;
  name: string;
  kind: 'internal' | 'server' | 'client' | 'producer' | 'consumer';
  startMs: number;
  durationMs: number;
  status: 'unset' | 'ok' | 'error';
  attributes: Record<string, string | number | boolean>;
};
// #endregion span-json

const KINDS: SpanJson['kind'][] = ['internal', 'server', 'client', 'producer', 'consumer'];
const hrToMs = ([seconds, nanos]: [number, number]) => seconds * 1000 + nanos / 1e6;

export function spanJson(span: ReadableSpan): SpanJson {
  const attributes: SpanJson['attributes'] = {};
  for (const [key, value] of Object.entries(span.attributes)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') attributes[key] = value;
  }
  const parent = span.parentSpanContext?.spanId;
  return {
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    ...(parent ? { parentSpanId: parent } : {}),
    service: String(span.resource.attributes['service.name'] ?? 'unknown'),
    name: span.name,
    kind: KINDS[span.kind] ?? 'internal',
    startMs: Math.round(hrToMs(span.startTime) * 1000) / 1000,
    durationMs: Math.round(hrToMs(span.duration) * 1000) / 1000,
    status: span.status.code === SpanStatusCode.ERROR ? 'error' : span.status.code === SpanStatusCode.OK ? 'ok' : 'unset',
    attributes,
  };
}

// #region exporter
// Sends finished spans to the collector as JSON. A collector that is down loses those spans
// and nothing else: tracing must never slow down or break the shop it watches.
export class HttpSpanExporter implements SpanExporter {
  private url: string;
  private pending = new Set<Promise<void>>();

  constructor(collectorUrl: string) {
    this.url = `${collectorUrl.replace(/\/$/, '')}/v1/spans`;
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    const sent = fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(spans.map(spanJson)),
      signal: AbortSignal.timeout(2_000),
    }).then(
      async (res) => {
        await res.arrayBuffer();
        done({ code: res.ok ? ExportResultCode.SUCCESS : ExportResultCode.FAILED });
      },
      (error: Error) => done({ code: ExportResultCode.FAILED, error }),
    );
    this.pending.add(sent);
    void sent.finally(() => this.pending.delete(sent));
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.pending);
  }

  shutdown(): Promise<void> {
    return this.forceFlush();
  }
}
// #endregion exporter

// #region setup
// The context manager and the propagators are process-wide (the API keeps them in globals);
// the tracer belongs to the caller, so a test can run several "services" in one process.
// Asked once, when this module loads: does AsyncLocalStorage keep its store across await here?
// (No in the browser's WebContainer; see ./async-context.ts.)
export const contextAcrossAwait: 'async-local-storage' | 'open-spans' = (await asyncLocalStorageKeepsContext()) ? 'async-local-storage' : 'open-spans';

let globalsSet = false;
function setGlobals(): void {
  if (globalsSet) return;
  globalsSet = true;
  // AsyncLocalStorage carries the active span across awaits, so a call made deep inside a
  // module (the payments client, the outbox write) finds the request's span without it
  // being passed down through every interface. Where it loses the span, the innermost span
  // still open takes its place.
  context.setGlobalContextManager(
    contextAcrossAwait === 'async-local-storage' ? new AsyncLocalStorageContextManager().enable() : new OpenSpansContextManager(ROOT_CONTEXT).enable(),
  );
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
}

export type Tracing = {
  service: string;
  tracer: Tracer;
  // Runs `work` in a new span, a child of the active one; ends it, and marks it failed if
  // `work` throws.
  inSpan<T>(name: string, options: { kind?: SpanKind; attributes?: Attributes; parent?: Context }, work: (span: Span) => Promise<T>): Promise<T>;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
};

// `collectorUrl`: where spans go (COLLECTOR_URL); `exporter`: any SpanExporter instead (tests
// use the SDK's InMemorySpanExporter). Spans are sent in batches every 200 ms.
export function setupTracing(options: { service: string; collectorUrl?: string; exporter?: SpanExporter; batch?: boolean }): Tracing {
  setGlobals();
  const exporter = options.exporter ?? (options.collectorUrl ? new HttpSpanExporter(options.collectorUrl) : undefined);
  const processor = exporter
    ? options.batch === false
      ? new SimpleSpanProcessor(exporter)
      : new BatchSpanProcessor(exporter, { scheduledDelayMillis: 200, maxExportBatchSize: 256, exportTimeoutMillis: 2_000 })
    : undefined;
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.service }),
    spanProcessors: processor ? [processor] : [],
  });
  const tracer = provider.getTracer('shop', '11');
  return {
    service: options.service,
    tracer,
    inSpan(name, spanOptions, work) {
      const parent = spanOptions.parent ?? context.active();
      const span = tracer.startSpan(name, { kind: spanOptions.kind ?? SpanKind.INTERNAL, attributes: spanOptions.attributes ?? {} }, parent);
      return context.with(trace.setSpan(parent, span), async () => {
        try {
          return await work(span);
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
          throw error;
        } finally {
          span.end();
        }
      });
    },
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
// #endregion setup

// #region propagation
// The trace context (and baggage) of `ctx` as a plain object of W3C values: HTTP headers, or
// the `trace` field of an event envelope.
export type TraceCarrier = { traceparent?: string; tracestate?: string; baggage?: string };

export function carrierOf(ctx: Context = context.active()): TraceCarrier {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

// The context a carrier describes: a remote parent for the next span. Anything malformed is
// ignored (the span starts a new trace), never an error.
export function contextFrom(carrier: Record<string, string | string[] | undefined> | undefined): Context {
  if (!carrier) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, carrier, {
    keys: (c) => Object.keys(c),
    get: (c, key) => {
      const value = c[key];
      return Array.isArray(value) ? value[0] : value;
    },
  });
}

// Headers for an outgoing HTTP call made in the active context (add them to the request).
export function traceHeaders(ctx: Context = context.active()): Record<string, string> {
  const headers: Record<string, string> = { ...carrierOf(ctx) };
  const requestId = requestIdOf(ctx);
  if (requestId) headers['x-request-id'] = requestId;
  return headers;
}

// An event about to be written to the outbox, with the active trace context inside it.
export function withTrace<E extends object>(event: E, ctx: Context = context.active()): E & { trace?: TraceCarrier } {
  const carrier = carrierOf(ctx);
  return carrier.traceparent ? { ...event, trace: carrier } : event;
}
// #endregion propagation

// #region request-id
// The correlation id: one per request that comes in at the gateway, in `x-request-id` on HTTP
// and in the W3C baggage (so it crosses the broker inside the envelope like the trace does).
const REQUEST_ID = 'request.id';
const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function validRequestId(value: unknown): string | undefined {
  return typeof value === 'string' && VALID_REQUEST_ID.test(value) ? value : undefined;
}

export function requestIdOf(ctx: Context = context.active()): string | undefined {
  return validRequestId(propagation.getBaggage(ctx)?.getEntry(REQUEST_ID)?.value);
}

export function withRequestId(ctx: Context, requestId: string): Context {
  const baggage = propagation.getBaggage(ctx) ?? propagation.createBaggage();
  return propagation.setBaggage(ctx, baggage.setEntry(REQUEST_ID, { value: requestId }));
}
// #endregion request-id

// The ids a log line carries: the active span's trace and span, and the request id.
export function activeIds(ctx: Context = context.active()): { traceId?: string; spanId?: string; requestId?: string } {
  const spanContext = trace.getSpanContext(ctx);
  const requestId = requestIdOf(ctx);
  return {
    ...(requestId ? { requestId } : {}),
    ...(spanContext && trace.isSpanContextValid(spanContext) ? { traceId: spanContext.traceId, spanId: spanContext.spanId } : {}),
  };
}

export { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, trace };
