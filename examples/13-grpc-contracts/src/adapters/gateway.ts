// The API gateway (stage 11): the stage's one public entry. Every request passes here first:
//
// - rate limiting: a token bucket per client (src/adapters/rate-limit.ts), 429 when empty;
// - routing: a table from method and path to the service that answers (the shop's public
//   contract to the shop, /ops/faults to payments, /ops/traces to the collector ...);
// - authentication: /ops/* needs a token with the `ops` scope (src/adapters/ops-auth.ts);
//   the public contract stays open, as every stage before promised;
// - the three signals: a request id, a server span and a client span per request, metrics,
//   one log line (src/observability/instrument.ts).
//
// Bodies, status codes and headers pass through unchanged, both ways. The gateway holds no
// state of the shop's: like the load balancer behind it, it could run as several copies.

import http from 'node:http';
import net from 'node:net';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { httpCheck, readinessReply } from '../observability/health.ts';
import type { Check } from '../observability/health.ts';
import { instrument, metricsReply } from '../observability/instrument.ts';
import type { Observability } from '../observability/instrument.ts';
import { SpanKind, SpanStatusCode, trace, traceHeaders } from '../observability/tracing.ts';
import type { Span } from '@opentelemetry/api';
import { createOpsAuth } from './ops-auth.ts';
import { RateLimiter, validateLimits } from './rate-limit.ts';
import type { Limiter, LimitsSetting } from './rate-limit.ts';
import { MAX_JSON_DEPTH, nestedDeeperThan, parseTarget } from '../shared/request-target.ts';
import { answerClientErrors } from '../shared/client-errors.ts';
import type { RateLimits } from './rate-limit.ts';

export type Access = 'public' | 'ops';
export type Route = { name: string; methods: string[]; path: RegExp; upstream: string; access: Access };

// #region routes
// First match wins. `name` labels metrics and spans (no ids in it). Anything not listed is a
// 404 from the gateway itself, in the contract's error shape.
export const ROUTES: Route[] = [
  // the public contract: the shop (the load balancer in front of its replicas)
  { name: '/health', methods: ['GET'], path: /^\/health$/, upstream: 'shop', access: 'public' },
  { name: '/products', methods: ['GET', 'POST'], path: /^\/products$/, upstream: 'shop', access: 'public' },
  { name: '/orders', methods: ['GET', 'POST'], path: /^\/orders$/, upstream: 'shop', access: 'public' },
  { name: '/orders/:id', methods: ['GET'], path: /^\/orders\/[^/]+$/, upstream: 'shop', access: 'public' },
  { name: '/orders/:id/cancel', methods: ['POST'], path: /^\/orders\/[^/]+\/cancel$/, upstream: 'shop', access: 'public' },
  { name: '/payments', methods: ['GET'], path: /^\/payments$/, upstream: 'shop', access: 'public' },
  { name: '/notifications', methods: ['GET'], path: /^\/notifications$/, upstream: 'shop', access: 'public' },
  // operating the stage: a token with the ops scope
  { name: '/ops/traces', methods: ['GET'], path: /^\/ops\/traces(\/[^/]+)?$/, upstream: 'collector', access: 'ops' },
  { name: '/ops/faults', methods: ['GET', 'PUT'], path: /^\/ops\/faults$/, upstream: 'payments', access: 'ops' },
  { name: '/ops/charges', methods: ['GET'], path: /^\/ops\/charges$/, upstream: 'payments', access: 'ops' },
  { name: '/ops/*', methods: ['GET', 'POST', 'PUT', 'DELETE'], path: /^\/ops\/.+$/, upstream: 'shop', access: 'ops' },
];
// #endregion routes

export function findRoute(routes: Route[], method: string, path: string): Route | undefined {
  return routes.find((route) => route.path.test(path) && route.methods.includes(method));
}

// The gateway's own routes, answered here: scrapes and probes are not rate limited.
const OWN = new Set(['/metrics', '/ready', '/ops/rate-limit', '/ops/routes']);
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host']);

function copyHeaders(from: IncomingHttpHeaders, drop: string[] = []): OutgoingHttpHeaders {
  const to: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(from)) if (value !== undefined && !HOP_BY_HOP.has(name) && !drop.includes(name)) to[name] = value;
  return to;
}

// What GET and PUT /ops/rate-limit answer: the limits, and where they hold. Without Redis each
// gateway replica keeps its own, so a change reaches only the replica that answered.
function limitsReply(limits: LimitsSetting, clients: number) {
  const { shared, ...rest } = limits;
  return {
    ...rest,
    clients,
    shared,
    scope: shared ? 'every gateway replica (kept in Redis)' : 'this gateway replica only (no shared store: set it on each replica, or set REDIS_URL)',
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
const sendError = (res: ServerResponse, status: number, code: string, message: string, headers: OutgoingHttpHeaders = {}) =>
  sendJson(res, status, { error: { code, message } }, headers);

export type GatewayOptions = {
  upstreams: Record<string, string>; // service name -> base URL
  secret: string;
  limits: RateLimits;
  // stage 12: one limit shared by the gateway replicas (src/adapters/redis.ts); this
  // process's own buckets when not given
  limiter?: Limiter;
  kit: Observability;
  routes?: Route[];
  timeoutMs?: number;
  // who a request counts against (the real client's address, see clientAddress, unless told)
  clientOf?: (req: IncomingMessage) => string;
  // our own proxies in front of the gateway (nginx, an Ingress): addresses and subnets such as
  // 10.0.0.0/8. Only their X-Forwarded-For is believed; nobody's by default.
  trustedProxies?: string[];
  // what GET /ready checks (each upstream's own /ready unless told)
  readiness?: Record<string, Check>;
};

// #region client-address
// Who is asking? The connection's peer, unless that peer is one of our own proxies: then the
// address it put last in X-Forwarded-For, and so on leftwards while the hop is ours. The first
// address that is not our proxy is the client. What a client wrote into the header itself sits
// further left and is never reached, so it cannot pick its own rate-limit bucket.
export function trustList(entries: string[]): net.BlockList {
  const list = new net.BlockList();
  for (const entry of entries.map((e) => e.trim()).filter(Boolean)) {
    const [address, bits] = entry.split('/');
    const family = net.isIPv6(address!) ? 'ipv6' : 'ipv4';
    if (!net.isIP(address!)) throw new Error(`trusted proxy ${entry} is not an address or subnet`);
    if (bits === undefined) list.addAddress(address!, family);
    else list.addSubnet(address!, Number(bits), family);
  }
  return list;
}

const bare = (address: string) => address.replace(/^::ffff:/, '');
const trusts = (list: net.BlockList, address: string) => net.isIP(address) !== 0 && list.check(address, net.isIPv6(address) ? 'ipv6' : 'ipv4');

export function clientAddress(req: IncomingMessage, trusted: net.BlockList): string {
  let client = bare(req.socket.remoteAddress ?? 'unknown');
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((h) => bare(h.trim())).filter(Boolean);
  while (trusts(trusted, client) && hops.length > 0) client = hops.pop()!;
  return client;
}
// #endregion client-address

// A client's own X-Deadline-Ms counts when it is shorter than the gateway's; one that is not a
// whole number of milliseconds is ignored (the gateway's stands).
export function deadlineMs(fromClient: string | string[] | undefined, timeoutMs: number): number {
  const asked = typeof fromClient === 'string' && /^[1-9][0-9]{0,8}$/.test(fromClient) ? Number(fromClient) : Infinity;
  return Math.min(asked, timeoutMs);
}

export function createGateway(options: GatewayOptions) {
  const routes = options.routes ?? ROUTES;
  for (const route of routes) if (!options.upstreams[route.upstream]) throw new Error(`route ${route.name} goes to ${route.upstream}, which has no URL`);
  const upstreams = Object.fromEntries(Object.entries(options.upstreams).map(([name, url]) => [name, url.replace(/\/$/, '')]));
  const verify = createOpsAuth(options.secret);
  // stage 12: a limiter shared by the gateway replicas (Redis) when given one
  const limiter: Limiter = options.limiter ?? new RateLimiter(options.limits);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const trusted = trustList(options.trustedProxies ?? []);
  const clientOf = options.clientOf ?? ((req: IncomingMessage) => clientAddress(req, trusted));
  // Ready means the services behind it are ready, not only that they answer: a shop whose
  // database is away answers /health and fails /ready, and so does the gateway in front of it.
  const checks = options.readiness ?? Object.fromEntries(Object.entries(upstreams).map(([name, url]) => [name, httpCheck(`${url}/ready`)]));
  const { kit } = options;
  const forwardedFor = (req: IncomingMessage) => {
    const peer = bare(req.socket.remoteAddress ?? '');
    const header = req.headers['x-forwarded-for'];
    const earlier = Array.isArray(header) ? header.join(', ') : header;
    return earlier && trusts(trusted, peer) ? `${earlier}, ${peer}` : peer;
  };
  const limited = kit.metrics.counter('gateway_rate_limited_total', 'Requests answered 429 because the client\'s bucket was empty', ['route']);
  const refused = kit.metrics.counter('gateway_auth_refused_total', 'Requests to /ops/ refused, by status (401 no valid token, 403 no ops scope)', ['status']);
  const upstreamLatency = kit.metrics.histogram('gateway_upstream_duration_seconds', 'Time the upstream service took to start answering, in seconds', ['upstream']);
  const forgetting = setInterval(() => limiter.forgetIdle(), 30_000);
  forgetting.unref();

  // #region forward
  // One attempt, streamed both ways, in a client span whose context goes along in the
  // headers: the service's server span becomes its child. No retry here: the load balancer
  // behind the gateway retries what is safe to retry. The address is the route's upstream, from
  // the configuration, and the request's path and query as parseTarget read them: never a host
  // the request named.
  function forward(route: Route, req: IncomingMessage, pathAndQuery: string, res: ServerResponse): Promise<void> {
    const target = new URL(`${upstreams[route.upstream]}${pathAndQuery}`);
    const method = req.method ?? 'GET';
    // a probe's GET /health has no server span (instrument.ts keeps probes quiet): no client
    // span either, or every probe would leave a trace of one span behind
    const traced = trace.getActiveSpan() !== undefined;
    const send = (span: Span | undefined) =>
      new Promise<void>((resolve) => {
        const began = performance.now();
        const upstream = http.request(target, {
          method,
          // a connection per request, as the load balancer does (stage 10): a kept-alive one to
          // a service that has just been restarted fails on first use, a 502 for nothing
          agent: false,
          headers: {
            // the token stops here: the services behind the gateway trust the gateway
            ...copyHeaders(req.headers, ['authorization']),
            ...traceHeaders(),
            host: target.host,
            // the chain as our own proxy passed it on, with this hop added; anyone else's
            // X-Forwarded-For is dropped, so the services see only addresses we vouch for
            'x-forwarded-for': forwardedFor(req),
            'x-forwarded-host': req.headers.host ?? '',
            // stage 13: the request's deadline, as the time it has left (no clocks to agree on):
            // the gateway waits timeoutMs for an answer, or less if the client asked for less
            'x-deadline-ms': String(deadlineMs(req.headers['x-deadline-ms'], timeoutMs)),
          },
          timeout: timeoutMs,
        }, (answer) => {
          upstreamLatency.observe({ upstream: route.upstream }, (performance.now() - began) / 1000);
          span?.setAttribute('http.response.status_code', answer.statusCode ?? 0);
          if ((answer.statusCode ?? 0) >= 500) span?.setStatus({ code: SpanStatusCode.ERROR });
          res.writeHead(answer.statusCode ?? 502, copyHeaders(answer.headers));
          answer.pipe(res);
          answer.once('end', resolve);
          answer.once('error', () => (res.destroy(), resolve()));
        });
        res.once('close', () => {
          if (!res.writableFinished) upstream.destroy(); // the client hung up
        });
        upstream.once('timeout', () => upstream.destroy(Object.assign(new Error('timed out'), { code: 'TIMEOUT' })));
        upstream.once('error', (error: NodeJS.ErrnoException) => {
          span?.setStatus({ code: SpanStatusCode.ERROR, message: error.code ?? error.message });
          if (res.headersSent) res.destroy();
          else if (error.code === 'TIMEOUT') sendError(res, 504, 'gateway_timeout', `${route.upstream} did not answer within ${timeoutMs / 1000} s`);
          else sendError(res, 502, 'bad_gateway', `${route.upstream} could not be reached (${error.code ?? error.message})`);
          resolve();
        });
        req.pipe(upstream);
      });
    if (!traced) return send(undefined);
    return kit.tracing.inSpan(`${method} ${route.upstream}`, { kind: SpanKind.CLIENT, attributes: { 'server.address': target.host, 'peer.service': route.upstream } }, send);
  }
  // #endregion forward

  async function readJson(req: IncomingMessage): Promise<unknown> {
    let text = '';
    for await (const chunk of req) {
      text += String(chunk);
      if (text.length > 10_000) throw new Error('the body is too large');
    }
    if (nestedDeeperThan(text)) throw new Error(`the body nests deeper than ${MAX_JSON_DEPTH} levels`);
    return JSON.parse(text);
  }

  // #region handle
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    // a target the stage's parser refuses goes no further (and costs the client no token)
    const target = parseTarget(req.url);
    if ('invalid' in target) return sendError(res, 400, 'invalid_request', target.invalid);
    const path = target.url.pathname;
    if (method === 'GET' && path === '/metrics') return metricsReply(res, kit.metrics);
    if (method === 'GET' && path === '/ready') {
      const { status, body } = await readinessReply(checks);
      return sendJson(res, status, body);
    }

    const route = findRoute(routes, method, path);
    const own = path === '/ops/rate-limit' || path === '/ops/routes';
    // 1. the client's bucket (before the token is checked: guessing tokens costs tokens too)
    if (path !== '/health') {
      const decision = await limiter.take(clientOf(req));
      if (!decision.allowed) {
        limited.inc({ route: route?.name ?? (own ? path : 'unmatched') });
        return sendError(res, 429, 'rate_limited', `too many requests: at most ${limiter.limits.burst} at once and ${limiter.limits.perSecond} per second; try again in ${decision.retryAfterS} s`, {
          'retry-after': String(decision.retryAfterS),
        });
      }
      res.setHeader('ratelimit-remaining', String(decision.remaining));
    }
    // 2. where it goes
    if (!route && !own) return sendError(res, 404, 'not_found', `no route for ${method} ${path}`);
    // 3. who may
    if (own || route?.access === 'ops') {
      const auth = await verify(req.headers.authorization);
      if (!auth.ok) {
        refused.inc({ status: String(auth.status) });
        kit.log.warn('ops request refused', { path, status: auth.status, reason: auth.message });
        return sendError(res, auth.status, auth.code, auth.message, auth.status === 401 ? { 'www-authenticate': 'Bearer realm="shop-ops"' } : {});
      }
      kit.log.info('ops request', { path, method, subject: auth.subject });
    }
    // the gateway's own operations
    if (path === '/ops/routes' && method === 'GET') {
      return sendJson(res, 200, routes.map((r) => ({ name: r.name, methods: r.methods, upstream: r.upstream, access: r.access })));
    }
    if (path === '/ops/rate-limit') {
      if (method === 'GET') return sendJson(res, 200, limitsReply(await limiter.current(), limiter.clients));
      if (method !== 'PUT') return sendError(res, 404, 'not_found', `no route for ${method} ${path}`);
      try {
        const limits = await limiter.set(validateLimits(await readJson(req)));
        kit.log.info('rate limits changed', { ...limits });
        return sendJson(res, 200, limitsReply(limits, limiter.clients));
      } catch (error) {
        return sendError(res, 400, error instanceof SyntaxError ? 'invalid_json' : 'invalid_request', (error as Error).message);
      }
    }
    // 4. the service
    return forward(route!, req, `${path}${target.url.search}`, res);
  }
  // #endregion handle

  const listener = instrument(kit, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      kit.log.error('gateway failed', { error });
      if (!res.headersSent) sendError(res, 500, 'internal', 'something went wrong on our side');
      else res.destroy();
    });
  }, {
    routeOf: (method, path) => findRoute(routes, method, path)?.name ?? (OWN.has(path) ? path : 'unmatched'),
  });

  return {
    server: answerClientErrors(http.createServer(listener)),
    limiter,
    stop: () => clearInterval(forgetting),
  };
}
