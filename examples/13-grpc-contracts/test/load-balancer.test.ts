// The load balancer in front of real HTTP servers on ephemeral ports: round robin, bodies and
// statuses passed through, an unhealthy replica out of the rotation and back, a dropped
// connection retried only when that is safe, 503 when nobody is left; and the replicas'
// names and ports as src/start.ts would declare them.

import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { createLoadBalancer } from '../src/adapters/load-balancer.ts';
import type { Replica, ReplicasView } from '../src/adapters/load-balancer.ts';
import { profileCount, replicaCount, replicaPorts, replicasEnv, replicated } from '../src/replicas.ts';
import { eventually } from './support.ts';

// A stand-in replica: says who it is, echoes what it is sent, and can be made sick (its
// /health answers 500) or rude (it drops every request but the health checks without a word).
class FakeReplica {
  name: string;
  sick = false;
  dropRequests = false;
  // answers nothing at all (a process stuck in a loop, or swapped out)
  hang = false;
  // answers only after this long (a slow order), so a client can hang up while it waits
  delayMs = 0;
  served = 0;
  server: http.Server;
  constructor(name: string) {
    this.name = name;
    this.server = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      if (this.hang) return;
      if (req.url === '/health') {
        res.writeHead(this.sick ? 500 : 200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ status: this.sick ? 'sick' : 'ok' }));
      }
      if (this.dropRequests) return req.socket.destroy();
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      this.served++;
      if (req.url === '/missing') {
        res.writeHead(404, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: { code: 'not_found', message: 'no such thing' } }));
      }
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json', 'x-custom': 'kept' });
      res.end(JSON.stringify({ replica: this.name, method: req.method, url: req.url, key: req.headers['idempotency-key'] ?? null, body: Buffer.concat(chunks).toString() }));
    });
  }
  async listen(port = 0): Promise<Replica> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return { name: this.name, url: `http://127.0.0.1:${(this.server.address() as AddressInfo).port}` };
  }
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const cleanUp: (() => unknown)[] = [];
after(async () => {
  for (const fn of cleanUp.reverse()) await fn();
});

async function setUp(names: string[], checkEveryMs: number, requestTimeoutMs?: number) {
  const fakes = names.map((name) => new FakeReplica(name));
  const replicas = await Promise.all(fakes.map((fake) => fake.listen()));
  const balancer = createLoadBalancer({ replicas, checkEveryMs, log: () => {}, ...(requestTimeoutMs ? { requestTimeoutMs } : {}) });
  await balancer.start();
  await new Promise<void>((resolve) => balancer.server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(balancer.server.address() as AddressInfo).port}`;
  cleanUp.push(async () => {
    balancer.stop();
    balancer.server.closeAllConnections();
    balancer.server.close();
    await Promise.all(fakes.map((fake) => fake.close()));
  });
  const view = async () => (await (await fetch(`${base}/ops/replicas`)).json()) as ReplicasView;
  const who = async () => {
    const res = await fetch(`${base}/who`);
    const body = (await res.json()) as { replica: string };
    assert.equal(res.headers.get('x-replica'), body.replica);
    return body.replica;
  };
  return { fakes, replicas, balancer, base, view, who };
}

describe('load balancer', () => {
  it('sends requests to the replicas in turn, and counts them', async () => {
    const { who, view } = await setUp(['a', 'b', 'c'], 10_000);
    const served = [];
    for (let i = 0; i < 6; i++) served.push(await who());
    assert.deepEqual(served, ['a', 'b', 'c', 'a', 'b', 'c']);
    const ops = await view();
    assert.deepEqual(ops.replicas.map((r) => [r.name, r.healthy, r.requests]), [['a', true, 2], ['b', true, 2], ['c', true, 2]]);
  });

  it('passes bodies, headers and status codes through unchanged', async () => {
    const { base } = await setUp(['a'], 10_000);
    const sent = JSON.stringify({ customerId: 'ada', items: [{ sku: 'mug-blue', quantity: 2 }] });
    const res = await fetch(`${base}/orders?x=1`, { method: 'POST', body: sent, headers: { 'content-type': 'application/json', 'idempotency-key': 'k1' } });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('x-custom'), 'kept');
    assert.deepEqual(await res.json(), { replica: 'a', method: 'POST', url: '/orders?x=1', key: 'k1', body: sent });
    const missing = await fetch(`${base}/missing`);
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { error: { code: 'not_found', message: 'no such thing' } });
  });

  it('takes a replica whose health check fails out of the rotation, and back after two good checks', async () => {
    const { fakes, who, view } = await setUp(['a', 'b', 'c'], 100);
    fakes[1]!.sick = true;
    await eventually(async () => (await view()).healthy === 2, 3_000, 'b out of the rotation');
    const ops = await view();
    assert.equal(ops.replicas[1]?.lastCheck?.error, 'GET /health answered 500');
    const served = new Set<string>();
    for (let i = 0; i < 6; i++) served.add(await who());
    assert.deepEqual([...served].sort(), ['a', 'c'], 'a sick replica got requests');
    fakes[1]!.sick = false;
    await eventually(async () => (await view()).healthy === 3, 3_000, 'b back in the rotation');
    assert.ok((await view()).replicas[1]!.checks.ok >= 3, 'back after fewer than two good checks');
    for (let i = 0; i < 3; i++) served.add(await who());
    assert.ok(served.has('b'), 'b never came back');
  });

  it('a stopped replica is taken out, and returns when it listens again on its port', async () => {
    const { fakes, replicas, who, view } = await setUp(['a', 'b'], 100);
    await fakes[0]!.close();
    await eventually(async () => (await view()).healthy === 1, 3_000, 'a out of the rotation');
    assert.equal((await view()).replicas[0]?.lastCheck?.error, 'ECONNREFUSED');
    assert.deepEqual([await who(), await who()], ['b', 'b']);
    const restarted = new FakeReplica('a');
    await restarted.listen(Number(new URL(replicas[0]!.url).port));
    cleanUp.push(() => restarted.close());
    await eventually(async () => (await view()).healthy === 2, 3_000, 'a back');
  });

  it('retries a dropped GET once on the next replica, and takes the dropping one out at once', async () => {
    // checks every 10 s: only the failed request itself can take `a` out
    const { fakes, who, view } = await setUp(['a', 'b'], 10_000);
    fakes[0]!.dropRequests = true;
    assert.equal(await who(), 'b');
    const ops = await view();
    assert.equal(ops.retried, 1);
    assert.deepEqual(ops.replicas.map((r) => [r.name, r.healthy, r.connectionErrors]), [['a', false, 1], ['b', true, 0]]);
  });

  it('never resends a POST without an Idempotency-Key; resends one with a key', async () => {
    const { fakes, base } = await setUp(['a', 'b'], 10_000);
    fakes[0]!.dropRequests = true;
    const res = await fetch(`${base}/orders`, { method: 'POST', body: '{}' });
    assert.equal(res.status, 502);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'bad_gateway');
    assert.equal(fakes[1]!.served, 0, 'the POST was sent twice');

    const { fakes: keyed, base: keyedBase } = await setUp(['a', 'b'], 10_000);
    keyed[0]!.dropRequests = true;
    const retried = await fetch(`${keyedBase}/orders`, { method: 'POST', body: '{}', headers: { 'idempotency-key': 'order-1' } });
    assert.equal(retried.status, 201);
    assert.equal(((await retried.json()) as { replica: string }).replica, 'b');
  });

  it('clients that hang up mid-request count against no replica: every replica stays in the rotation', async () => {
    // checks every 10 s: only the requests themselves could take a replica out
    const { fakes, base, who, view } = await setUp(['a', 'b'], 10_000);
    for (const fake of fakes) fake.delayMs = 300;
    // forty clients, as a load generator that stops leaves them: each gives up 50 ms into its request
    const hangUps = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        fetch(`${base}/orders`, { method: i % 2 ? 'GET' : 'POST', body: i % 2 ? undefined : '{}', signal: AbortSignal.timeout(50) }),
      ),
    );
    assert.ok(hangUps.every((h) => h.status === 'rejected'), 'a client got its answer before it hung up: the test proves nothing');
    // the replicas meanwhile saw their requests end early; give the balancer time to hear of it
    await new Promise((resolve) => setTimeout(resolve, 400));
    const ops = await view();
    assert.deepEqual(ops.replicas.map((r) => [r.name, r.healthy, r.connectionErrors]), [['a', true, 0], ['b', true, 0]], 'a client hanging up took a replica out');
    assert.equal(ops.retried, 0, 'a request whose client went away was sent again');
    for (const fake of fakes) fake.delayMs = 0;
    assert.deepEqual([await who(), await who()].sort(), ['a', 'b']);
  });

  it('a replica that stops answering: its request gets 504 after the timeout, and its checks time out', async () => {
    const { fakes, base, view } = await setUp(['a'], 200, 400);
    fakes[0]!.hang = true;
    const began = Date.now();
    const res = await fetch(`${base}/who`);
    assert.equal(res.status, 504);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'gateway_timeout');
    assert.ok(Date.now() - began < 2_000, 'waited much longer than the 400 ms timeout');
    await eventually(async () => (await view()).healthy === 0, 3_000, 'a out of the rotation');
    assert.equal((await view()).replicas[0]?.lastCheck?.error, 'GET /health timed out');
  });

  it('answers 503 service_unavailable when no replica is healthy', async () => {
    const { fakes, base, view } = await setUp(['a', 'b'], 100);
    for (const fake of fakes) fake.sick = true;
    await eventually(async () => (await view()).healthy === 0, 3_000, 'every replica out');
    const res = await fetch(`${base}/health`);
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'service_unavailable');
    assert.equal((await view()).unavailable, 1);
  });
});

describe('replicas in src/start.ts', () => {
  it('derives names and ports 100 apart, and the balancer\'s REPLICAS', () => {
    assert.deepEqual(replicaPorts({ name: 'shop', count: 3, firstPort: 4000 }), [4000, 4100, 4200]);
    const shops = replicated({ name: 'shop', count: 2, firstPort: 4000 }, (port) => ({
      script: 'main.ts',
      env: { PORT: String(port) },
      health: { http: `http://127.0.0.1:${port}/health` },
    }));
    assert.deepEqual(shops.map((s) => [s.name, s.env.PORT]), [['shop-1', '4000'], ['shop-2', '4100']]);
    assert.equal(replicasEnv(shops), 'shop-1=http://127.0.0.1:4000,shop-2=http://127.0.0.1:4100');
    assert.equal(replicaCount(undefined, 3), 3);
    assert.equal(replicaCount('5', 3), 5);
    assert.throws(() => replicaCount('0', 3), /1 to 10/);
    assert.throws(() => replicaPorts({ name: 'shop', count: 11, firstPort: 4000 }), /1 to 10/);
  });

  it('starts one copy of each with SHOP_PROFILE=small, unless a count is given', () => {
    assert.equal(replicaCount(undefined, profileCount(undefined, 3)), 3, 'the stage\'s own count by default');
    assert.equal(replicaCount(undefined, profileCount('small', 3)), 1);
    assert.equal(replicaCount('2', profileCount('small', 3)), 2, 'WORKERS=2 wins over the profile');
    assert.throws(() => profileCount('tiny', 3), /SHOP_PROFILE is "small"/);
  });
});
