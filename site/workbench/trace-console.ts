// How the request console meets the trace view (stage 11), as pure functions the console's
// showResponse() calls (see PORTING.md, "The workbench"):
//
// - every answer from the gateway carries `x-trace-id`; the console remembers the last one
//   of a shop request as the placeholder {lastTraceId} (an /ops/ request has a trace of its
//   own, which is not the one the reader wants to look at);
// - an answer that is a trace (GET /ops/traces/:traceId) is drawn as a waterfall above its
//   JSON; a list of traces (GET /ops/traces?orderId=...) gives {lastTraceId} its newest one.
import type { TraceSpan } from './trace-waterfall.ts';

// The parts of the runtime port's ShopRequest / ShopResponse these functions read.
export interface SentRequest {
  path: string;
}
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const TRACE_ID = /^[0-9a-f]{32}$/;

function json(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

const isSpan = (value: unknown): value is TraceSpan => {
  const s = value as Partial<TraceSpan> | null;
  return typeof s === 'object' && s !== null && typeof s.spanId === 'string' && typeof s.service === 'string' &&
    typeof s.name === 'string' && Number.isFinite(s.startMs) && Number.isFinite(s.durationMs);
};

/** The trace an answer holds, when it is one: `{traceId, spans: [...]}` with real spans. */
export function traceIn(answer: Answer): { traceId: string; spans: TraceSpan[] } | undefined {
  if (answer.status !== 200) return undefined;
  const value = json(answer.body) as { traceId?: unknown; spans?: unknown } | undefined;
  if (typeof value !== 'object' || value === null || typeof value.traceId !== 'string' || !TRACE_ID.test(value.traceId)) return undefined;
  if (!Array.isArray(value.spans) || value.spans.length === 0 || !value.spans.every(isSpan)) return undefined;
  return { traceId: value.traceId, spans: value.spans };
}

/** The value {lastTraceId} takes after this answer, or undefined to keep the one it has. */
export function lastTraceIdFrom(request: SentRequest, answer: Answer): string | undefined {
  const path = request.path.split('?')[0] ?? '';
  if (path === '/ops/traces' && answer.status === 200) {
    const list = json(answer.body);
    const first = Array.isArray(list) ? (list[0] as { traceId?: unknown } | undefined) : undefined;
    return typeof first?.traceId === 'string' && TRACE_ID.test(first.traceId) ? first.traceId : undefined;
  }
  if (path.startsWith('/ops/')) return undefined;
  const header = Object.entries(answer.headers).find(([name]) => name.toLowerCase() === 'x-trace-id')?.[1];
  return header && TRACE_ID.test(header) ? header : undefined;
}
