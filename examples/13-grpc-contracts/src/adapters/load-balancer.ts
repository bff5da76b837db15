// A small HTTP load balancer (stage 10): one public port in front of several copies of a
// stateless service. It is the part that nginx, HAProxy, a cloud load balancer or a
// Kubernetes Service does in production, small enough to read in one go:
//
// - round robin: each request goes to the next healthy replica in turn;
// - active health checks: GET /health on every replica every `checkEveryMs`; a replica that
//   fails one leaves the rotation, and comes back after `rise` good answers in a row;
// - passive checks: a replica that refuses or drops a connection leaves the rotation at once,
//   without waiting for the next check. A client that hangs up is not the replica's fault:
//   the balancer drops its upstream request and counts nothing against the replica (a load
//   generator that stops would otherwise take every replica out at once);
// - one retry, on the next replica, when the connection failed and the request is safe to
//   send twice: an idempotent method (GET, HEAD, OPTIONS, PUT, DELETE) or a request with an
//   Idempotency-Key (the shop answers a repeat with the first result: stage 7). A POST
//   without a key is never retried: the replica may have placed the order before it died;
// - bodies and status codes pass through unchanged; `x-replica` says who answered;
// - 503 service_unavailable when no replica is healthy, 502 bad_gateway when the one it
//   picked failed; GET /ops/replicas shows the rotation and who served how many requests.
//
// The balancer holds no state of the shop's, so this only works because the replicas keep
// none either: everything a request needs is in Postgres, and any copy can answer any call.

import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './http.ts';
import { parseTarget } from '../shared/request-target.ts';
import { answerClientErrors } from '../shared/client-errors.ts';

export type Replica = { name: string; url: string };

export type BalancerOptions = {
  replicas: Replica[];
  checkEveryMs?: number;
  // good checks in a row before a replica that failed is trusted again
  rise?: number;
  requestTimeoutMs?: number;
  log?: (line: string) => void;
};

// What GET /ops/replicas shows of each replica ...
export type ReplicaView = Replica & {
  healthy: boolean;
  requests: number;
  connectionErrors: number;
  checks: { ok: number; failed: number };
  lastCheck?: { at: string; ok: boolean; ms: number; error?: string };
  changedAt?: string;
};
// ... and what the balancer keeps besides.
type ReplicaState = ReplicaView & { everHealthy: boolean; goodInRow: number; checking: boolean };

export type ReplicasView = {
  strategy: 'round-robin';
  checkEveryMs: number;
  healthy: number;
  retried: number;
  unavailable: number;
  replicas: ReplicaView[];
};

const MAX_BODY_BYTES = 2 * 1024 * 1024; // the shop's own limit is 1 MiB: it answers the 413
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host']);
const SAFE_TO_REPEAT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export function canRetry(method: string, headers: http.IncomingHttpHeaders): boolean {
  return SAFE_TO_REPEAT.has(method) || typeof headers['idempotency-key'] === 'string';
}

function copyHeaders(from: http.IncomingHttpHeaders | http.OutgoingHttpHeaders): http.OutgoingHttpHeaders {
  const to: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(from)) if (value !== undefined && !HOP_BY_HOP.has(name)) to[name] = value;
  return to;
}

class ConnectionFailed extends Error {}

// A health check on a connection of its own, like the requests (see `forward`): a kept-alive
// connection to a replica that just restarted would fail the first check for nothing.
function getStatus(url: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
      res.once('error', reject);
    });
    req.once('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'GET /health timed out' })));
    req.once('error', reject);
  });
}

export function createLoadBalancer(options: BalancerOptions) {
  const checkEveryMs = options.checkEveryMs ?? 500;
  const rise = options.rise ?? 2;
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const log = options.log ?? ((line: string) => console.log(line));
  if (options.replicas.length === 0) throw new Error('a load balancer needs at least one replica');
  const replicas: ReplicaState[] = options.replicas.map((r) => ({
    ...r,
    url: r.url.replace(/\/$/, ''),
    healthy: false,
    everHealthy: false,
    goodInRow: 0,
    checking: false,
    requests: 0,
    connectionErrors: 0,
    checks: { ok: 0, failed: 0 },
  }));
  const totals = { retried: 0, unavailable: 0 };
  let next = 0;
  let timer: NodeJS.Timeout | undefined;
  const healthyCount = () => replicas.filter((r) => r.healthy).length;

  // #region rotation
  function setHealthy(replica: ReplicaState, healthy: boolean, why: string): void {
    if (replica.healthy === healthy) return;
    replica.healthy = healthy;
    replica.changedAt = new Date().toISOString();
    if (healthy) replica.everHealthy = true;
    const state = `${healthyCount()} of ${replicas.length} healthy`;
    log(healthy ? `${replica.name} is healthy; in the rotation (${state})` : `${replica.name} is out of the rotation: ${why} (${state})`);
  }

  // The next healthy replica after the last one used, skipping `not` (the one that just failed).
  function pick(not?: ReplicaState): ReplicaState | undefined {
    for (let i = 0; i < replicas.length; i++) {
      const replica = replicas[(next + i) % replicas.length]!;
      if (replica.healthy && replica !== not) {
        next = (next + i + 1) % replicas.length;
        return replica;
      }
    }
    return undefined;
  }
  // #endregion rotation

  // #region health-checks
  async function check(replica: ReplicaState): Promise<void> {
    if (replica.checking) return; // the last check has not answered yet
    replica.checking = true;
    const began = performance.now();
    let error: string | undefined;
    try {
      const status = await getStatus(`${replica.url}/health`, Math.max(100, Math.min(checkEveryMs, 1_000)));
      if (status !== 200) error = `GET /health answered ${status}`;
    } catch (e) {
      error = (e as NodeJS.ErrnoException).code ?? String(e);
    } finally {
      replica.checking = false;
    }
    replica.lastCheck = { at: new Date().toISOString(), ok: !error, ms: Math.round(performance.now() - began), ...(error ? { error } : {}) };
    if (error) {
      replica.checks.failed++;
      replica.goodInRow = 0;
      setHealthy(replica, false, error);
    } else {
      replica.checks.ok++;
      replica.goodInRow++;
      // the first time, one good answer is enough; after a failure, `rise` in a row
      if (replica.goodInRow >= (replica.everHealthy ? rise : 1)) setHealthy(replica, true, '');
    }
  }
  const checkAll = () => Promise.all(replicas.map(check));
  // #endregion health-checks

  // #region forward
  // Sends the request to one replica and streams its answer back. ConnectionFailed when no
  // answer began (refused, reset, closed): then, and only then, may another replica be tried.
  // The address is the replica's own and the request's path and query (`pathAndQuery`, as
  // parseTarget read it): never a host the request named, so a connection that fails is
  // the replica's failure and nobody else's.
  function forward(replica: ReplicaState, req: IncomingMessage, pathAndQuery: string, body: Buffer, res: ServerResponse): Promise<void> {
    return new Promise((resolve, reject) => {
      const target = new URL(`${replica.url}${pathAndQuery}`);
      replica.requests++;
      const upstream = http.request(
        target,
        {
          method: req.method,
          // a new connection per request: a kept-alive one to a replica that has just restarted
          // fails on first use, which would turn a harmless POST into a 502
          agent: false,
          headers: {
            ...copyHeaders(req.headers),
            host: target.host,
            'content-length': String(body.length),
            'x-forwarded-for': req.socket.remoteAddress ?? '',
            'x-forwarded-host': req.headers.host ?? '',
          },
          timeout: requestTimeoutMs,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, { ...copyHeaders(answer.headers), 'x-replica': replica.name });
          answer.pipe(res);
          answer.once('end', resolve);
          answer.once('error', () => {
            res.destroy();
            resolve();
          });
        },
      );
      // The client hung up: stop waiting for the replica's answer. The upstream request then
      // ends in an error (ECONNRESET) of our own making, which says nothing of the replica.
      let clientGone = false;
      res.once('close', () => {
        if (res.writableFinished) return;
        clientGone = true;
        upstream.destroy();
      });
      upstream.once('timeout', () => upstream.destroy(Object.assign(new Error('timed out'), { code: 'TIMEOUT' })));
      upstream.once('error', (error: NodeJS.ErrnoException) => {
        if (clientGone || res.headersSent) {
          res.destroy();
          resolve();
        } else if (error.code === 'TIMEOUT') {
          reject(error);
        } else {
          reject(new ConnectionFailed(`${replica.name}: ${error.code ?? error.message}`));
        }
      });
      upstream.end(body);
    });
  }

  async function proxy(req: IncomingMessage, pathAndQuery: string, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
    }
    if (size > MAX_BODY_BYTES) {
      return sendJson(res, 413, { error: { code: 'payload_too_large', message: 'request body is larger than 2 MiB' } });
    }
    const body = Buffer.concat(chunks);
    const first = pick();
    if (!first) {
      totals.unavailable++;
      return sendJson(res, 503, { error: { code: 'service_unavailable', message: 'no healthy replica to send the request to; try again shortly' } });
    }
    try {
      await forward(first, req, pathAndQuery, body, res);
    } catch (error) {
      // the client left while the replica failed: nobody to answer, nothing to retry for
      if (res.destroyed) return;
      if (!(error instanceof ConnectionFailed)) {
        return sendJson(res, 504, { error: { code: 'gateway_timeout', message: `${first.name} did not answer within ${requestTimeoutMs / 1000} s` } });
      }
      first.connectionErrors++;
      setHealthy(first, false, error.message); // don't wait for the next check
      const second = canRetry(req.method ?? 'GET', req.headers) ? pick(first) : undefined;
      if (!second) {
        return sendJson(res, 502, { error: { code: 'bad_gateway', message: `the connection to ${error.message} failed, and the request is not safe to send twice` } });
      }
      totals.retried++;
      try {
        await forward(second, req, pathAndQuery, body, res);
      } catch (again) {
        if (again instanceof ConnectionFailed) {
          second.connectionErrors++;
          setHealthy(second, false, again.message);
        }
        sendJson(res, 502, { error: { code: 'bad_gateway', message: `${first.name} and ${second.name} both failed` } });
      }
    }
  }
  // #endregion forward

  function view(): ReplicasView {
    return {
      strategy: 'round-robin',
      checkEveryMs,
      healthy: healthyCount(),
      ...totals,
      replicas: replicas.map((r) => ({
        name: r.name,
        url: r.url,
        healthy: r.healthy,
        requests: r.requests,
        connectionErrors: r.connectionErrors,
        checks: { ...r.checks },
        ...(r.lastCheck ? { lastCheck: r.lastCheck } : {}),
        ...(r.changedAt ? { changedAt: r.changedAt } : {}),
      })),
    };
  }

  const server = answerClientErrors(http.createServer((req, res) => {
    // A target the stage's parser refuses goes no further: the replicas would refuse it too.
    const target = parseTarget(req.url);
    if ('invalid' in target) return sendJson(res, 400, { error: { code: 'invalid_request', message: target.invalid } });
    const path = target.url.pathname;
    // The balancer's own page; every other path, /health included, belongs to the replicas.
    if (path === '/ops/replicas' && req.method === 'GET') return sendJson(res, 200, view());
    proxy(req, `${path}${target.url.search}`, res).catch((error: unknown) => {
      // a client that hangs up while it still sends its body: nobody left to answer
      if (req.destroyed && res.destroyed) return;
      console.error(error);
      if (!res.headersSent) sendJson(res, 502, { error: { code: 'bad_gateway', message: 'the load balancer could not forward the request' } });
      else res.destroy();
    });
  }));

  return {
    server,
    // Checks every replica now, then every `checkEveryMs`; resolves after the first round.
    async start(): Promise<void> {
      await checkAll();
      timer ??= setInterval(() => void checkAll(), checkEveryMs);
    },
    stop(): void {
      clearInterval(timer);
      timer = undefined;
    },
    view,
  };
}
