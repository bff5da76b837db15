// The observability of one service process (stage 11), set up once by its *-main.ts with
// `useKit('payments')` and then found by the code that needs it, so the adapters keep the
// shapes they had in the stage before:
//
// - `jsonServer` (src/adapters/http.ts) wraps its listener with `observed`: a server span per
//   request, the request id, the HTTP metrics, one log line, and GET /metrics and GET /ready;
// - `ServiceClient` (src/adapters/service-client.ts) sends each attempt in `clientSpan`, with
//   `traceparent`, `baggage` and `x-request-id` in its headers;
// - every console.log / console.error of the process becomes a JSON log line, carrying the
//   trace and request ids of the work it was written in.
//
// Without a kit (the unit tests, a module on its own) all three are no-ops.

import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { format } from 'node:util';
import { readinessReply } from './health.ts';
import type { Check, Readiness } from './health.ts';
import { instrument, metricsReply } from './instrument.ts';
import type { Observability } from './instrument.ts';
import { observability } from './kit.ts';
import { SpanKind, traceHeaders } from './tracing.ts';
import { parseTarget } from '../shared/request-target.ts';

let kit: Observability | undefined;
const checks: Record<string, Check> = {};
const degraded: Record<string, () => string | undefined> = {};

// #region use-kit
export function useKit(service: string): Observability {
  kit ??= observability(service);
  const log = kit.log;
  // Lines the stage's code prints (console.log in the modules and adapters) become JSON too.
  const line = (write: (msg: string, fields?: Record<string, unknown>) => void) => (...args: unknown[]) => {
    const error = args.find((arg): arg is Error => arg instanceof Error);
    write(format(...args).split('\n')[0] ?? '', error ? { error } : undefined);
  };
  console.log = line(log.info);
  console.info = line(log.info);
  console.warn = line(log.warn);
  console.error = line(log.error);
  // Spans still in the batch are sent before the process leaves on SIGTERM.
  process.once('beforeExit', () => void kit?.tracing.flush());
  return kit;
}
// #endregion use-kit

export const currentKit = (): Observability | undefined => kit;

// What GET /ready checks in this process, added by its main file: { database: () => ... }.
export function readyWhen(more: Record<string, Check>): void {
  Object.assign(checks, more);
}

// Stage 12: what this process can do without, but says in GET /ready when it is missing (the
// shop's cache): each function answers undefined while all is well, or what is wrong.
export function degradedWhen(more: Record<string, () => string | undefined>): void {
  Object.assign(degraded, more);
}
const degradedNow = (): Readiness['degraded'] => {
  const found = Object.entries(degraded).flatMap(([name, note]) => {
    const said = note();
    return said === undefined ? [] : [[name, said] as const];
  });
  return found.length > 0 ? Object.fromEntries(found) : undefined;
};

// #region observed
// A request listener with the three signals, and the two routes every service answers for
// its operators: GET /metrics (Prometheus text) and GET /ready (200 or 503, with each check).
export function observed(listener: RequestListener): RequestListener {
  if (!kit) return listener;
  const own = kit;
  return instrument(own, (req: IncomingMessage, res: ServerResponse) => {
    const target = parseTarget(req.url);
    const path = 'url' in target ? target.url.pathname : undefined;
    if (req.method === 'GET' && path === '/metrics') return metricsReply(res, own.metrics);
    if (req.method === 'GET' && path === '/ready') {
      void readinessReply(checks).then(({ status, body }) => {
        const notes = degradedNow();
        const text = JSON.stringify(notes ? { ...body, degraded: notes } : body);
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      });
      return;
    }
    listener(req, res);
  });
}
// #endregion observed

// #region client-span
// One call to another service in a client span; `work` gets the headers that carry the span's
// context, so the service's server span becomes its child.
export function clientSpan<T>(peer: string, method: string, path: string, work: (headers: Record<string, string>) => Promise<T>): Promise<T> {
  if (!kit) return work({});
  return kit.tracing.inSpan(`${method} ${peer}`, { kind: SpanKind.CLIENT, attributes: { 'peer.service': peer, 'url.path': path } }, () => work(traceHeaders()));
}
// #endregion client-span
