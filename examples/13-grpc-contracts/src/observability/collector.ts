// The span collector (stage 11): where every process sends its finished spans, and where the
// workbench (and you, with curl) read one trace back. It is the part Jaeger, Zipkin, Tempo
// or an OpenTelemetry Collector plays in production, small enough to read: the recent traces
// in memory, the oldest dropped first, nothing on disk.
//
//   POST /v1/spans                 an array of SpanJson (src/observability/tracing.ts)
//   GET  /ops/traces               the latest traces, newest first: ?orderId=, ?service=, ?limit=
//   GET  /ops/traces/:traceId      one trace: its spans, sorted by start

import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseTarget } from '../shared/request-target.ts';
import type { SpanJson } from './tracing.ts';
import { answerClientErrors } from '../shared/client-errors.ts';

export type TraceSummary = {
  traceId: string;
  root: string; // the first span's service and name, "gateway POST /orders"
  startMs: number;
  durationMs: number;
  spans: number;
  services: string[];
  errors: number;
  orderId?: string;
};

const MAX_BODY_BYTES = 4 * 1024 * 1024;
const HEX = (length: number) => new RegExp(`^[0-9a-f]{${length}}$`);
const TRACE_ID = HEX(32);
const SPAN_ID = HEX(16);
const KINDS = new Set(['internal', 'server', 'client', 'producer', 'consumer']);

// Anything a process sends that is not a well-formed span is dropped, not stored.
export function isSpan(value: unknown): value is SpanJson {
  const s = value as Partial<SpanJson> | null;
  return (
    typeof s === 'object' && s !== null &&
    typeof s.traceId === 'string' && TRACE_ID.test(s.traceId) &&
    typeof s.spanId === 'string' && SPAN_ID.test(s.spanId) &&
    (s.parentSpanId === undefined || (typeof s.parentSpanId === 'string' && SPAN_ID.test(s.parentSpanId))) &&
    typeof s.service === 'string' && s.service.length <= 64 &&
    typeof s.name === 'string' && s.name.length <= 200 &&
    typeof s.kind === 'string' && KINDS.has(s.kind) &&
    Number.isFinite(s.startMs) && Number.isFinite(s.durationMs) && (s.durationMs as number) >= 0 &&
    typeof s.attributes === 'object' && s.attributes !== null
  );
}

// #region store
export class TraceStore {
  private traces = new Map<string, SpanJson[]>(); // in order of first arrival: oldest first
  private maxTraces: number;
  private maxSpansPerTrace: number;

  constructor(options: { maxTraces?: number; maxSpansPerTrace?: number } = {}) {
    this.maxTraces = options.maxTraces ?? 200;
    this.maxSpansPerTrace = options.maxSpansPerTrace ?? 500;
  }

  add(spans: SpanJson[]): number {
    let kept = 0;
    for (const span of spans) {
      let trace = this.traces.get(span.traceId);
      if (!trace) {
        trace = [];
        this.traces.set(span.traceId, trace);
        // the oldest trace makes room (a Map iterates in insertion order)
        if (this.traces.size > this.maxTraces) this.traces.delete(this.traces.keys().next().value as string);
      }
      if (trace.length >= this.maxSpansPerTrace || trace.some((s) => s.spanId === span.spanId)) continue;
      trace.push(span);
      kept += 1;
    }
    return kept;
  }

  trace(traceId: string): SpanJson[] | undefined {
    const spans = this.traces.get(traceId);
    return spans && [...spans].sort((a, b) => a.startMs - b.startMs);
  }

  summaries(filter: { orderId?: string; service?: string; limit?: number } = {}): TraceSummary[] {
    const out: TraceSummary[] = [];
    for (const [traceId, spans] of this.traces) {
      if (filter.service && !spans.some((s) => s.service === filter.service)) continue;
      const orderId = spans.map((s) => s.attributes['order.id']).find((v): v is string => typeof v === 'string');
      if (filter.orderId && orderId !== filter.orderId) continue;
      const sorted = [...spans].sort((a, b) => a.startMs - b.startMs);
      const ids = new Set(spans.map((s) => s.spanId));
      const root = sorted.find((s) => !s.parentSpanId || !ids.has(s.parentSpanId)) ?? sorted[0]!;
      const start = sorted[0]!.startMs;
      const end = Math.max(...spans.map((s) => s.startMs + s.durationMs));
      out.push({
        traceId,
        root: `${root.service} ${root.name}`,
        startMs: start,
        durationMs: Math.round((end - start) * 1000) / 1000,
        spans: spans.length,
        services: [...new Set(sorted.map((s) => s.service))],
        errors: spans.filter((s) => s.status === 'error').length,
        ...(orderId ? { orderId } : {}),
      });
    }
    return out.sort((a, b) => b.startMs - a.startMs).slice(0, filter.limit ?? 20);
  }
}
// #endregion store

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
const error = (res: ServerResponse, status: number, code: string, message: string) => send(res, status, { error: { code, message } });

// #region collector-routes
// The collector's routes; answers false for a path that is not one of them.
export async function collectorRoute(store: TraceStore, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const target = parseTarget(req.url);
  if ('invalid' in target) return (error(res, 400, 'invalid_request', target.invalid), true);
  const { url } = target;
  const method = req.method ?? 'GET';
  if (url.pathname === '/v1/spans' && method === 'POST') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
    }
    if (size > MAX_BODY_BYTES) return (error(res, 413, 'payload_too_large', 'a batch of spans is at most 4 MiB'), true);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return (error(res, 400, 'invalid_json', 'request body is not valid JSON'), true);
    }
    if (!Array.isArray(body)) return (error(res, 400, 'invalid_request', 'the body must be an array of spans'), true);
    const spans = body.filter(isSpan);
    send(res, 200, { accepted: store.add(spans), rejected: body.length - spans.length });
    return true;
  }
  if (url.pathname === '/ops/traces' && method === 'GET') {
    const limitText = url.searchParams.get('limit') ?? '20';
    const limit = /^[0-9]+$/.test(limitText) ? Number(limitText) : NaN;
    if (!(limit >= 1 && limit <= 200)) return (error(res, 400, 'invalid_request', 'limit must be an integer from 1 to 200'), true);
    const orderId = url.searchParams.get('orderId') ?? undefined;
    const service = url.searchParams.get('service') ?? undefined;
    send(res, 200, store.summaries({ limit, ...(orderId ? { orderId } : {}), ...(service ? { service } : {}) }));
    return true;
  }
  const one = /^\/ops\/traces\/([^/]+)$/.exec(url.pathname);
  if (one && method === 'GET') {
    const traceId = one[1] ?? '';
    const spans = TRACE_ID.test(traceId) ? store.trace(traceId) : undefined;
    if (!spans) return (error(res, 404, 'not_found', `no trace ${traceId} (the collector keeps the latest traces only)`), true);
    send(res, 200, { traceId, spans });
    return true;
  }
  return false;
}
// #endregion collector-routes

// The collector's HTTP server, not yet listening. The gateway hosts it on an internal port
// (COLLECTOR_PORT, src/gateway-main.ts): one Node process fewer than a collector of its own,
// which would run this same server.
export function createCollectorServer(store: TraceStore): http.Server {
  return answerClientErrors(http.createServer((req, res) => {
    const target = parseTarget(req.url);
    const path = 'url' in target ? target.url.pathname : '';
    if (path === '/health' || path === '/ready') return send(res, 200, path === '/health' ? { status: 'ok' } : { status: 'ready', checks: {} });
    collectorRoute(store, req, res).then(
      (handled) => handled || error(res, 404, 'not_found', `no route for ${req.method} ${path}`),
      (failure: unknown) => {
        console.error(failure);
        if (!res.headersSent) error(res, 500, 'internal', 'something went wrong on our side');
        else res.destroy();
      },
    );
  }));
}
