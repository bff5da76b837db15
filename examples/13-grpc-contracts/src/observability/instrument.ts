// Wraps a process's HTTP request listener with the three signals (stage 11): a server span
// per request (a child of the caller's, from `traceparent`), the request id (`x-request-id`,
// made up when the caller sent none), two metrics, and one log line per request.
// Every service's server goes through it; so does the gateway's.

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parseTarget } from '../shared/request-target.ts';
import type { Logger } from './logger.ts';
import { CONTENT_TYPE } from './metrics.ts';
import type { Registry } from './metrics.ts';
import { context, contextFrom, requestIdOf, SpanKind, SpanStatusCode, trace, validRequestId, withRequestId } from './tracing.ts';
import type { Tracing } from './tracing.ts';

// Probes and scrapes arrive every few hundred milliseconds: counted, but neither traced nor
// logged, or they would bury the requests that matter.
const QUIET = new Set(['/health', '/ready', '/metrics']);

// #region route-of
// The route a path belongs to, with ids replaced: a metric label or a span name must come
// from a small set of values (one series per order id would grow without end).
export function routeOf(path: string): string {
  return path
    .split('/')
    .map((part) => (/^(ord|pay|evt|ntf|job)_[A-Za-z0-9-]+$|^saga-[A-Za-z0-9_-]+$|^[0-9a-f]{16,}$|^[0-9a-f-]{36}$|^\d+$/.test(part) ? ':id' : part))
    .join('/');
}
// #endregion route-of

export type Observability = { tracing: Tracing; metrics: Registry; log: Logger };

// #region instrument
export function instrument(kit: Observability, listener: RequestListener, options: { routeOf?: (method: string, path: string) => string } = {}): RequestListener {
  const requests = kit.metrics.counter('http_requests_total', 'HTTP requests answered, by method, route and status code', ['method', 'route', 'status']);
  const latency = kit.metrics.histogram('http_request_duration_seconds', 'Time from a request arriving to its answer being sent, in seconds', ['method', 'route']);
  const nameOf = options.routeOf ?? ((_method: string, path: string) => routeOf(path));

  return (req: IncomingMessage, res: ServerResponse) => {
    const began = performance.now();
    const method = req.method ?? 'GET';
    // (a target the parser refuses is answered 400 by the listener; here it only needs a label)
    const target = parseTarget(req.url);
    const path = 'url' in target ? target.url.pathname : '(invalid target)';
    const route = nameOf(method, path);
    const quiet = QUIET.has(path);

    // the caller's trace (if any), and its request id: the header, else the baggage, else new
    const remote = contextFrom(req.headers);
    const requestId = validRequestId(req.headers['x-request-id']) ?? requestIdOf(remote) ?? randomUUID();
    const parent = withRequestId(remote, requestId);
    const span = quiet
      ? undefined
      : kit.tracing.tracer.startSpan(`${method} ${route}`, {
          kind: SpanKind.SERVER,
          attributes: { 'http.request.method': method, 'http.route': route, 'url.path': path, 'request.id': requestId },
        }, parent);
    const ctx = span ? trace.setSpan(parent, span) : parent;
    res.setHeader('x-request-id', requestId);
    if (span) res.setHeader('x-trace-id', span.spanContext().traceId);

    res.once('close', () => {
      const status = res.writableFinished ? res.statusCode : 499; // 499: the client hung up first
      const seconds = (performance.now() - began) / 1000;
      requests.inc({ method, route, status: String(status) });
      latency.observe({ method, route }, seconds);
      if (!span) return;
      span.setAttribute('http.response.status_code', status);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: `answered ${status}` });
      context.with(ctx, () => kit.log.info('request', { method, path, route, status, ms: Math.round(seconds * 10_000) / 10 }));
      span.end();
    });
    context.with(ctx, () => listener(req, res));
  };
}
// #endregion instrument

// GET /metrics for a Prometheus server: the registry's text.
export function metricsReply(res: ServerResponse, metrics: Registry): void {
  const text = metrics.render();
  res.writeHead(200, { 'content-type': CONTENT_TYPE, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
