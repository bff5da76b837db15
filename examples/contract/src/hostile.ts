// The hostile-request suite: raw request lines, written to a socket as an attacker would, at a
// running stage's public port. fast-check makes the targets (absolute-form, scheme-relative,
// backslashes, IPv6 literals, dot segments, percent-escapes, over-long targets, bad bytes) and
// the methods; a canary listener on a spare port stands for every internal service a request
// could be steered to. After every request:
// - no answer is a 5xx (a stage that is healthy has no upstream failure to report);
// - a target that names no path of its own (`//host`, a backslash, an empty segment) is a 400;
//   an absolute-form target is answered by its path alone, as RFC 9112 asks;
// - every request is answered (CONNECT too), and every 4xx is the contract's JSON error, even the
//   ones Node's own parser gives (an unreadable request line, a target over 16 KiB);
// - the canary was never contacted;
// - every process of the stage is still there and the supervisor restarted none;
// - GET /health still answers 200 (and, where the balancer shows it, every replica is healthy).
// At the end of each property (and every `ORDER_EVERY` runs) a normal order still confirms.
//
// Bounded like the contract fuzz: CONTRACT_HOSTILE_RUNS runs of the random property (40 unless told),
// the seed fixed unless CONTRACT_FUZZ_SEED says otherwise.

import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import { seedFromEnv } from './fuzz.ts';
import { freePort, request } from './launch.ts';
import type { Stage } from './launch.ts';

const FIXED_SEED = 28_2026;
const ORDER_EVERY = 25;


const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export type RawAnswer = { status: number; head: string; body: string };

// One request, written byte for byte as given (latin1: every char below 256 is one byte), on a
// connection of its own. A connection closed with no status line counts as status 0 (Node's
// parser may close a connection it cannot read; that is no answer, but no crash either).
export function rawRequest(host: string, port: number, bytes: string, timeoutMs = 10_000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, host);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms to ${JSON.stringify(bytes.slice(0, 200))}`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('error', () => undefined); // a reset after the answer is the server's right
    socket.once('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const head = split < 0 ? text : text.slice(0, split);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, head, body: split < 0 ? '' : text.slice(split + 4) });
    });
    socket.write(Buffer.from(bytes, 'latin1'));
  });
}

// #region targets
// Where a request could be steered: the canary's address in every spelling a URL parser accepts.
function hostsFor(canary: number): string[] {
  return [`127.0.0.1:${canary}`, `localhost:${canary}`, `[::1]:${canary}`, `u:p@127.0.0.1:${canary}`, `0x7f.1:${canary}`, 'evil.example:99999', '[::1', '[::1]:99999'];
}
// Paths the routes know, and names that plain objects answer for (Object.prototype's). Nothing
// here changes the stage: no crash, fault or pause route with a real name.
const PATHS = [
  '/', '/health', '/products', '/orders', '/orders/ord_x', '/orders/ord_x/cancel', '/payments?orderId=x', '/notifications?customerId=c',
  '/ops/replicas', '/ops/sagas', '/ops/breaker', '/ops/jobs', '/ops/consumers', '/ops/charges', '/metrics', '/ready',
  '/ops/workers/constructor', '/ops/workers/__proto__/crash', '/ops/workers/toString', '/ops/consumers/constructor', '/constructor', '/__proto__', '/ops/traces/toString',
];
const PREFIXES = ['', 'http://', 'HTTP://', 'https://', '//', '/\\', '\\\\', '\\', 'http:', 'http:/', 'http:\\\\', 'ws://', 'file://'];
const MUTATIONS = [
  (p: string) => p,
  (p: string) => p.replace(/\/([^/]*)$/, '/./$1'),
  (p: string) => p.replace(/\/([^/]*)$/, '/x/../$1'),
  (p: string) => p.replace(/\/([^/]*)$/, '/%2e%2e/$1'),
  (p: string) => p.replace(/\/([^/]*)$/, '/.%2E/$1'),
  (p: string) => `/x/..${p}`,
  (p: string) => p.replace('/', '//'),
  (p: string) => `${p}/`,
  (p: string) => p.replace('/', '/\\'),
  (p: string) => p.replace(/\/([^/]*)$/, '/%5c$1'),
  (p: string) => p.replace(/\/([^/]*)$/, '/%2f$1'),
  (p: string) => `${p}%00`,
  (p: string) => `${p}%zz`,
  (p: string) => `${p}%`,
  (p: string) => `${p}%ED%A0%80`,
  (p: string) => `${p}#frag`,
  (p: string) => `${p}\x7f`,
  (p: string) => `${p}\xe9\xff`,
  (p: string) => `${p}?${'q'.repeat(9_000)}`,
  (p: string) => `/${'a'.repeat(70_000)}${p}`,
];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'TRACE', 'get', 'FOO', 'CONNECT'];

export type Shot = { method: string; prefix: string; host: string; path: string; mutation: number; header?: string };

export function shots(canary: number): Arbitrary<Shot> {
  return fc.record({
    method: fc.constantFrom(...METHODS),
    // a third of the targets are origin-form and a third unmutated, so that many reach the routes
    prefix: fc.oneof({ weight: 1, arbitrary: fc.constant('') }, { weight: 2, arbitrary: fc.constantFrom(...PREFIXES) }),
    host: fc.constantFrom(...hostsFor(canary)),
    path: fc.constantFrom(...PATHS),
    mutation: fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.nat({ max: MUTATIONS.length - 1 }) }),
    header: fc.option(fc.constantFrom('X-Bad: a\x00b', 'X-Bad: \xff\xfe', 'X-Forwarded-Host: 127.0.0.1:1', `Host: 127.0.0.1:${canary}`, 'X-Bad: \x7f'), { nil: undefined }),
  });
}

export function targetOf(shot: Shot): string {
  const path = MUTATIONS[shot.mutation]!(shot.path);
  return shot.prefix === '' ? path : `${shot.prefix}${shot.host}${path}`;
}

// What a target asks for, as the contract reads it: the path after any scheme and authority,
// and whether its path is one the stage must refuse with 400 (backslashes, empty segments, a
// scheme-relative `//host`).
function mustRefuse(shot: Shot): boolean {
  const target = targetOf(shot);
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/?#\\]*/i.exec(target);
  const rest = absolute ? target.slice(absolute[0].length) || '/' : target;
  const path = rest.split('?')[0] ?? '';
  return !path.startsWith('/') || path.includes('\\') || /\/\//.test(path) || (path.length > 1 && path.endsWith('/'));
}
// #endregion targets

type Check = { say: string; ok: boolean };

const CONTRACT_ERROR = /^\{"error":\{"code":"[a-z_]+","message":"[^"]/;

// stageOf: the running stage (its url, output and processes); placeOrder: places a normal
// order and answers its final status.
export function contractHostile(stageOf: () => Stage, placeOrder: () => Promise<string>): void {
  const seed = seedFromEnv(FIXED_SEED);
  const runs = Math.floor(Number(process.env.CONTRACT_HOSTILE_RUNS) || 40);

  describe(`hostile requests (seed ${seed}; replay with CONTRACT_FUZZ_SEED=${seed})`, () => {
    let canary: net.Server | undefined;
    let canaryPort = 0;
    const contacts: string[] = [];
    let processes = 0;
    let outputAt = 0;
    let replicasHealthy: number | undefined;
    const seen = new Map<number, number>();

    before(async () => {
      canaryPort = await freePort();
      canary = net.createServer((socket) => {
        socket.once('data', (data: Buffer) => contacts.push(data.toString('latin1').split('\r\n')[0] ?? ''));
        socket.destroy();
      });
      await new Promise<void>((resolve) => canary!.listen(canaryPort, '127.0.0.1', resolve));
      processes = stageOf().nodeProcesses()?.length ?? 0;
      outputAt = stageOf().output().length;
      replicasHealthy = await healthyReplicas();
    });
    after(() => new Promise<void>((resolve) => (canary ? canary.close(() => resolve()) : resolve())));

    // An answer, or status 0 with the reason when the port did not answer at all.
    async function ask(path: string): Promise<{ status: number; text: string; json: unknown }> {
      try {
        return await request(stageOf().url, 'GET', path);
      } catch (error) {
        return { status: 0, text: String((error as Error).cause ?? error), json: undefined };
      }
    }

    async function healthyReplicas(): Promise<number | undefined> {
      const res = await ask('/ops/replicas');
      return res.status === 200 ? (res.json as { healthy: number }).healthy : undefined;
    }

    // A gateway's rate limit (stages 11, 12) answers 429 to a flood: wait as told, then ask again.
    async function sendBytes(bytes: string): Promise<RawAnswer> {
      const { hostname, port } = new URL(stageOf().url);
      for (let attempt = 0; ; attempt++) {
        const answer = await rawRequest(hostname, Number(port), bytes);
        if (answer.status !== 429 || attempt === 3) return answer;
        await sleep(Math.min(Number(/retry-after: (\d+)/i.exec(answer.head)?.[1]) || 1, 5) * 1000);
      }
    }

    function requestBytes(method: string, target: string, header?: string): string {
      const { host } = new URL(stageOf().url);
      const lines = [`${method} ${target} HTTP/1.1`, `Host: ${host}`, 'Connection: close'];
      if (header) lines.push(header);
      const body = ['POST', 'PUT', 'PATCH'].includes(method) ? '{}' : '';
      if (body) lines.push('Content-Type: application/json', `Content-Length: ${body.length}`);
      return `${lines.join('\r\n')}\r\n\r\n${body}`;
    }

    const send = (shot: Shot) => sendBytes(requestBytes(shot.method, targetOf(shot), shot.header));

    // Everything that must still hold after a request.
    async function stillFine(): Promise<Check[]> {
      const stage = stageOf();
      const output = stage.output().slice(outputAt);
      const health = await ask('/health');
      const now = stage.nodeProcesses()?.length ?? 0;
      const healthy = replicasHealthy === undefined ? undefined : await healthyReplicas();
      return [
        { say: `the canary on port ${canaryPort} was contacted: ${contacts.join(' | ')}`, ok: contacts.length === 0 },
        { say: `the stage had ${processes} Node processes, now ${now}`, ok: now === processes },
        { say: `the supervisor restarted a process:\n${output.split('\n').filter((l) => /restart|exited/.test(l)).join('\n')}`, ok: !/restarting it|exited \(/.test(output) },
        { say: `GET /health answered ${health.status} ${health.text.slice(0, 200)}`, ok: health.status === 200 },
        { say: `the balancer has ${healthy} healthy replicas, had ${replicasHealthy}`, ok: healthy === replicasHealthy },
      ];
    }

    async function orderConfirms(): Promise<void> {
      const status = await placeOrder();
      assert.equal(status, 'confirmed', `a normal order after the hostile requests ended ${status}`);
    }

    it('no request target reaches another host, gets a 5xx, or takes a process down; the stage stays healthy', async (t) => {
      let run = 0;
      try {
        await fc.assert(
          fc.asyncProperty(shots(canaryPort), async (shot) => {
            const answer = await send(shot);
            seen.set(answer.status, (seen.get(answer.status) ?? 0) + 1);
            const shown = `${shot.method} ${JSON.stringify(targetOf(shot).slice(0, 160))}${shot.header ? ` [${JSON.stringify(shot.header)}]` : ''}\n  -> ${answer.head.split('\r\n')[0] || '(connection closed, no answer)'} ${answer.body.slice(0, 200)}`;
            assert.ok(answer.status < 500, `a 5xx answer: ${shown}`);
            // every request gets an answer, even one Node's own parser refuses (CONNECT included)
            assert.notEqual(answer.status, 0, `the connection closed with no answer: ${shown}`);
            if (mustRefuse(shot) && answer.status !== 431 && answer.status !== 429) {
              assert.equal(answer.status, 400, `a target with a backslash, an empty segment or no path of its own must be 400: ${shown}`);
            }
            if (answer.status >= 400 && shot.method !== 'HEAD') assert.match(answer.body, CONTRACT_ERROR, `errors are the contract's JSON: ${shown}`);
            const broken = (await stillFine()).filter((check) => !check.ok);
            assert.deepEqual(broken.map((check) => check.say), [], `after ${shown}`);
            if (++run % ORDER_EVERY === 0) await orderConfirms();
          }),
          { seed, numRuns: runs },
        );
        await orderConfirms();
      } catch (error) {
        const cause = error instanceof Error && error.cause instanceof Error ? `\n${error.cause.message}` : '';
        const message = error instanceof Error ? error.message + cause : String(error);
        assert.fail(`hostile requests failed; replay with CONTRACT_FUZZ_SEED=${seed}\n${message}`);
      } finally {
        t.diagnostic(`answers: ${[...seen].sort(([a], [b]) => a - b).map(([status, n]) => `${n}x ${status}`).join(', ')}`);
      }
    });

    it('an absolute-form target is answered by its path alone, never by the host it names', async () => {
      for (const host of hostsFor(canaryPort)) {
        for (const scheme of ['http://', 'HTTP://', 'https://']) {
          const target = `${scheme}${host}/health`;
          const answer = await sendBytes(requestBytes('GET', target));
          assert.equal(answer.status, 200, `GET ${target} -> ${answer.head.split('\r\n')[0]} ${answer.body.slice(0, 200)}`);
          assert.match(answer.body, /"status":"ok"/, `GET ${target} is GET /health`);
        }
      }
      // the targets issue 28 named: scheme-relative and backslashed ones name no path of their own
      for (const [target, status] of [
        ['//evil.example:99999/', 400],
        ['http://evil.example:99999/', 404],
        ['//[::1/', 400],
        [`//127.0.0.1:${canaryPort}/x`, 400],
        [`http://127.0.0.1:${canaryPort}/x`, 404],
        [`/\\127.0.0.1:${canaryPort}/x`, 400],
      ] as const) {
        const answer = await sendBytes(requestBytes('GET', target));
        assert.equal(answer.status, status, `GET ${target} -> ${answer.head.split('\r\n')[0]} ${answer.body.slice(0, 200)}`);
      }
      assert.deepEqual(contacts, [], 'the canary was never contacted');
      const broken = (await stillFine()).filter((check) => !check.ok);
      assert.deepEqual(broken.map((check) => check.say), []);
      await orderConfirms();
    });

    it("what Node's own parser refuses is answered with the contract's JSON error, and the connection closed", async () => {
      const { host } = new URL(stageOf().url);
      for (const [bytes, status, say] of [
        [requestBytes('GET', `/${'a'.repeat(70_000)}`), 431, 'a target over 16 KiB'],
        [requestBytes('GET', '/health', `X-Big: ${'b'.repeat(20_000)}`), 431, 'headers over 16 KiB'],
        ['GARBAGE\r\n\r\n', 400, 'an unreadable request line'],
        [requestBytes('get', '/health'), 400, 'a lower-case method'],
        [requestBytes('GET', '/health', 'X-Bad: a\x00b'), 400, 'a NUL in a header'],
        [`GET /health HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n`, 400, 'two Content-Lengths'],
        [`CONNECT 127.0.0.1:${canaryPort} HTTP/1.1\r\nHost: 127.0.0.1:${canaryPort}\r\n\r\n`, 400, 'CONNECT to a port of our choosing'],
        [`CONNECT /health HTTP/1.1\r\nHost: ${host}\r\n\r\n`, 400, 'CONNECT to a path'],
      ] as const) {
        const answer = await sendBytes(bytes);
        const shown = `${say} -> ${answer.head.split('\r\n')[0] || '(connection closed, no answer)'} ${answer.body.slice(0, 200)}`;
        assert.equal(answer.status, status, shown);
        assert.match(answer.head, /\r\ncontent-type: application\/json/i, shown);
        assert.match(answer.body, CONTRACT_ERROR, shown);
        assert.equal(Buffer.byteLength(answer.body), Number(/\r\ncontent-length: (\d+)/i.exec(answer.head)?.[1]), `the body is as long as its Content-Length: ${shown}`);
      }
      // a bad request pipelined after a good one: the good one is answered first, then the bad one
      const { hostname, port } = new URL(stageOf().url);
      const both = await rawRequest(hostname, Number(port), `GET /health HTTP/1.1\r\nHost: ${host}\r\n\r\nGARBAGE\r\n\r\n`);
      const whole = `${both.head}\r\n\r\n${both.body}`;
      assert.equal(both.status, 200, `a good request before a bad one -> ${whole.slice(0, 300)}`);
      assert.match(whole, /\r\n\r\n\{"status":"ok"[^]*HTTP\/1\.1 400 Bad Request\r\n[^]*\r\n\r\n\{"error":\{"code":"invalid_request"/, `then the bad one's 400: ${whole.slice(0, 400)}`);
      assert.deepEqual(contacts, [], 'the canary was never contacted');
      const broken = (await stillFine()).filter((check) => !check.ok);
      assert.deepEqual(broken.map((check) => check.say), []);
    });

    it('a JSON body nested deeper than 64 levels is a 400, wherever it is sent', async () => {
      const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
      const nested = `${'{"a":'.repeat(1_000)}1${'}'.repeat(1_000)}`;
      for (const [method, path] of [['POST', '/products'], ['POST', '/orders'], ['POST', '/orders/ord_x/cancel'], ['POST', '/ops/consumers/constructor'], ['PUT', '/ops/saga-pause'], ['PUT', '/ops/faults'], ['POST', '/ops/redeliver']] as const) {
        for (const body of [deep, nested]) {
          const res = await request(stageOf().url, method, path, body);
          assert.ok(res.status < 500, `${method} ${path} with a deep body -> ${res.status} ${res.text.slice(0, 200)}`);
          // routes a stage does not have are its 404; ops routes behind the gateway its 401
          if (res.status !== 404 && res.status !== 401 && res.status !== 429) assert.equal(res.status, 400, `${method} ${path} with a deep body -> ${res.status} ${res.text.slice(0, 200)}`);
        }
      }
      const broken = (await stillFine()).filter((check) => !check.ok);
      assert.deepEqual(broken.map((check) => check.say), []);
    });
  });
}

