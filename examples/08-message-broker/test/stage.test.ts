// The stage as `npm start` runs it, in one run of it: the supervisor and its six
// processes; then the chapter's experiment through the shop's ops routes: stop the
// inventory consumer, place orders (they stay pending: the broker queues OrderPlaced for
// the consumer's session), start it again (it catches up and every order settles); publish
// an event a second time (inventory's inbox ignores it and the stock does not move); the
// same catch-up after the broker itself was killed and lost its queue; and last, SIGTERM.
// (Linux: the processes are found in /proc.)

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { request, startStage } from '../../contract/src/launch.ts';
import type { Stage } from '../../contract/src/launch.ts';
import { alive, eventually, pidOf, settle, sleep } from './support.ts';

type Order = { id: string; status: string };
type Stats = { name: string; running: boolean; connected: boolean; processed: number; duplicatesIgnored: number; lastDuplicate?: { id: string; type: string } };

const stageDir = new URL('..', import.meta.url);
const tmp = mkdtempSync(join(tmpdir(), 'shop-stage-'));
let stage: Stage;
before(async () => {
  // a generous start: six processes on a busy machine
  stage = await startStage(stageDir, { env: { DATA_DIR: tmp }, timeoutMs: 90_000 });
  const res = await request(stage.url, 'POST', '/products', { sku: 'queue-mug', name: 'Queued mug', priceCents: 800, stock: 100 });
  assert.equal(res.status, 201, res.text);
});
after(async () => {
  await stage.stop();
  rmSync(tmp, { recursive: true, force: true });
});
// [script, port offset from PORT] of every service
const SERVICES: [string, string, number][] = [
  ['database', 'database-main.ts', 200],
  ['broker', 'broker-main.ts', 300],
  ['payments', 'payments-main.ts', 100],
  ['inventory', 'inventory-main.ts', 400],
  ['notifications', 'notifications-main.ts', 500],
  ['shop', 'main.ts', 0],
];
const pids = (stage: Stage) => SERVICES.map(([, script, offset]) => pidOf(script, stage.port + offset));


describe('the supervisor', { skip: process.platform !== 'linux' }, () => {
  it('prints one ready line, after the six services', () => {
    const lines = stage.output().split('\n');
    const ready = lines.filter((line) => /\bready\b/.test(line));
    assert.equal(ready.length, 1, stage.output());
    assert.match(ready[0] ?? '', new RegExp(`^shop ready on http://127\\.0\\.0\\.1:${stage.port} \\(6 processes`));
    for (const [name] of SERVICES) {
      assert.ok(lines.findIndex((l) => l.startsWith(`${name.padEnd(13)} | `)) < lines.indexOf(ready[0] ?? ''), `${name} printed before ready`);
    }
    assert.ok(pids(stage).every((pid) => pid !== undefined), JSON.stringify(pids(stage)));
  });

  it('restarts a killed service (inventory), with a delay, and says so; orders go on', async () => {
    const before = pidOf('inventory-main.ts', stage.port + 400);
    process.kill(before ?? 0, 'SIGKILL');
    await eventually(() => /supervisor: inventory is back, healthy after \d+ ms/.test(stage.output()), 20_000, 'inventory back');
    assert.match(stage.output(), /supervisor: inventory exited \(signal SIGKILL\); restarting it in 250 ms \(restart 1\)/);
    const after = pidOf('inventory-main.ts', stage.port + 400);
    assert.ok(after && after !== before, 'a new process');
    const res = await request<{ id: string; status: string }>(stage.url, 'POST', '/orders', { customerId: 'restart', items: [{ sku: 'mug-blue', quantity: 1 }] });
    assert.equal(res.status, 202, res.text);
    assert.equal((await settle(stage.url, res.json.id)).status, 'confirmed');
  });

  it('a service that keeps dying is restarted later each time', async () => {
    const delays = () => [...stage.output().matchAll(/supervisor: payments exited \(signal SIGKILL\); restarting it in (\d+) ms/g)].map((m) => Number(m[1]));
    for (let i = 1; i <= 3; i++) {
      process.kill(pidOf('payments-main.ts', stage.port + 100) ?? 0, 'SIGKILL');
      await eventually(() => delays().length === i, 10_000, `restart ${i} announced`);
      await eventually(() => pidOf('payments-main.ts', stage.port + 100) !== undefined, 10_000, 'payments restarted');
      await eventually(async () => (await fetch(`http://127.0.0.1:${stage.port + 100}/health`).catch(() => undefined))?.status === 200, 10_000, 'healthy');
    }
    // 250 ms after a stable run or a first quick crash, then doubling while it keeps dying
    const [first = 0, second = 0, third = 0] = delays();
    assert.ok(first >= 250 && (second === first || second === first * 2) && third === second * 2, `delays ${delays().join(', ')}`);
  });

});

const consumers = async () => (await request<{ consumers: Stats[] }>(stage.url, 'GET', '/ops/consumers')).json.consumers;
const inventory = async () => (await consumers()).find((c) => c.name === 'inventory') as Stats;
const stock = async () => (await request<{ sku: string; stock: number }[]>(stage.url, 'GET', '/products')).json.find((p) => p.sku === 'queue-mug')?.stock;
const place = async (customerId: string) => {
  const res = await request<Order>(stage.url, 'POST', '/orders', { customerId, items: [{ sku: 'queue-mug', quantity: 1 }] });
  assert.equal(res.status, 202, res.text);
  assert.equal(res.json.status, 'pending');
  return res.json;
};
const switchInventory = async (running: boolean) => {
  const res = await request<Stats>(stage.url, 'POST', '/ops/consumers/inventory', { running });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.running, running);
};

describe('consumer catch-up', () => {
  it('with the inventory consumer stopped, orders stay pending; started again, it catches up', async () => {
    await switchInventory(false);
    assert.deepEqual(await inventory().then((s) => [s.running, s.connected]), [false, false]);
    const before = (await inventory()).processed;
    const orders = [];
    for (let i = 0; i < 5; i++) orders.push(await place(`catch-up-${i}`));
    await sleep(1_500);
    for (const o of orders) assert.equal((await request<Order>(stage.url, 'GET', `/orders/${o.id}`)).json.status, 'pending', `${o.id} waits`);
    assert.equal(await stock(), 100, 'nothing reserved while the consumer is away');

    const restarted = Date.now();
    await switchInventory(true);
    for (const o of orders) assert.equal((await settle(stage.url, o.id)).status, 'confirmed');
    assert.ok(Date.now() - restarted < 10_000);
    assert.equal(await stock(), 95);
    assert.ok((await inventory()).processed >= before + 5);
    assert.match(stage.output(), /consumer inventory: stopped \(its session stays on the broker, which queues its messages\)/);
  });
});

describe('duplicate delivery', () => {
  it('POST /ops/redeliver publishes the last OrderPlaced again; inventory ignores it and the stock stays', async () => {
    const o = await place('duplicate');
    assert.equal((await settle(stage.url, o.id)).status, 'confirmed');
    const stockBefore = await stock();
    const ignoredBefore = (await inventory()).duplicatesIgnored;
    const res = await request<{ redelivered: { id: string; type: string; orderId: string } }>(stage.url, 'POST', '/ops/redeliver', {});
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.redelivered.type, 'OrderPlaced');
    assert.equal(res.json.redelivered.orderId, o.id);
    await eventually(async () => (await inventory()).duplicatesIgnored === ignoredBefore + 1, 5_000, 'the duplicate to be ignored');
    assert.deepEqual((await inventory()).lastDuplicate, { id: res.json.redelivered.id, type: 'OrderPlaced' });
    assert.equal(await stock(), stockBefore);
    const payments = (await request<{ status: string }[]>(stage.url, 'GET', `/payments?orderId=${o.id}`)).json;
    assert.deepEqual(payments.map((p) => p.status), ['captured']);
    assert.match(stage.output(), /consumer inventory: OrderPlaced evt_\w+ again; in the inbox already, ignored/);
  });

  it('a named event can be published again; an unknown one is 404', async () => {
    const res = await request<{ redelivered: { id: string } }>(stage.url, 'POST', '/ops/redeliver', {});
    const again = await request<{ redelivered: { id: string } }>(stage.url, 'POST', '/ops/redeliver', { eventId: res.json.redelivered.id });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.json.redelivered.id, res.json.redelivered.id);
    const missing = await request<{ error: { code: string } }>(stage.url, 'POST', '/ops/redeliver', { eventId: 'evt_nope' });
    assert.deepEqual([missing.status, missing.json.error.code], [404, 'not_found']);
  });

  it('bad ops requests get JSON errors', async () => {
    const cases: [string, string, unknown, number, string, RegExp][] = [
      ['POST', '/ops/consumers/inventory', { running: 'no' }, 400, 'invalid_request', /running/],
      ['POST', '/ops/consumers/inventory', { running: false, extra: 1 }, 400, 'invalid_request', /extra/],
      ['POST', '/ops/consumers/inventory', '{"running": fal', 400, 'invalid_json', /JSON/],
      ['POST', '/ops/consumers/nobody', { running: false }, 404, 'not_found', /shop, inventory and notifications/],
      ['POST', '/ops/redeliver', { eventId: 7 }, 400, 'invalid_request', /eventId/],
      ['POST', '/ops/redeliver', [1], 400, 'invalid_request', /object/],
      ['DELETE', '/ops/consumers', undefined, 404, 'not_found', /no route/],
    ];
    for (const [method, path, body, status, code, message] of cases) {
      const res = await request<{ error: { code: string; message: string } }>(stage.url, method, path, body);
      assert.equal(res.status, status, `${method} ${path}: ${res.text}`);
      assert.equal(res.json.error.code, code);
      assert.match(res.json.error.message, message);
    }
    assert.equal((await inventory()).running, true, 'nothing was switched');
  });
});

describe('out of order: a cancel that overtakes its order (chapter 8, part B)', () => {
  const holdBack = (types: string[]) => request<{ heldBack: string[] }>(stage.url, 'PUT', '/ops/relay', { holdBack: types });

  it('with OrderPlaced held back, the cancel reaches inventory first: the order ends cancelled, and the late OrderPlaced takes nothing', async () => {
    const stockBefore = await stock();
    const held = await holdBack(['OrderPlaced']);
    assert.deepEqual([held.status, held.json.heldBack], [200, ['OrderPlaced']], held.text);
    try {
      const o = await place('overtaken');
      const processedBefore = (await inventory()).processed;
      const cancel = await request<Order>(stage.url, 'POST', `/orders/${o.id}/cancel`, { reason: 'changed my mind' });
      assert.equal(cancel.status, 202, cancel.text);
      // inventory has heard of no such order: it records it as released, with no stock, and
      // answers StockReleased, so the shop finishes the cancel
      assert.equal((await settle(stage.url, o.id)).status, 'cancelled');
      assert.equal(await stock(), stockBefore, 'nothing taken, nothing put back');
      const released = await holdBack([]);
      assert.deepEqual(released.json.heldBack, []);
      // the OrderPlaced that waited is delivered now, and handled: it takes nothing
      await eventually(async () => (await inventory()).processed >= processedBefore + 2, 5_000, 'the late OrderPlaced to be handled');
      await sleep(300);
      assert.equal(await stock(), stockBefore, 'the late OrderPlaced reserved nothing');
      assert.equal((await request<Order>(stage.url, 'GET', `/orders/${o.id}`)).json.status, 'cancelled');
      const payments = (await request<unknown[]>(stage.url, 'GET', `/payments?orderId=${o.id}`)).json;
      assert.deepEqual(payments, [], 'never charged');
      assert.match(stage.output(), /relay: holding back OrderPlaced; later events go out before them/);
    } finally {
      await holdBack([]);
    }
  });

  it('what the relay may hold back is checked', async () => {
    for (const [body, message] of [
      [{ holdBack: 'OrderPlaced' }, /list of event types/],
      [{ holdBack: ['OrderShipped'] }, /"OrderShipped" is not an event type/],
      [{ holdBack: [], extra: 1 }, /unknown field extra/],
    ] as const) {
      const res = await request<{ error: { code: string; message: string } }>(stage.url, 'PUT', '/ops/relay', body);
      assert.deepEqual([res.status, res.json.error.code], [400, 'invalid_request'], res.text);
      assert.match(res.json.error.message, message);
    }
  });
});

describe('the broker loses its queue', { skip: process.platform !== 'linux' }, () => {
  it('kill -9 the broker while orders wait for a stopped consumer: after the restart they are replayed and settle', async () => {
    await switchInventory(false);
    const orders = [];
    for (let i = 0; i < 3; i++) orders.push(await place(`broker-lost-${i}`));
    process.kill(pidOf('broker-main.ts', stage.port + 300) ?? 0, 'SIGKILL');
    await eventually(() => /supervisor: broker is back/.test(stage.output()), 20_000, 'broker back');
    await switchInventory(true);
    for (const o of orders) assert.equal((await settle(stage.url, o.id)).status, 'confirmed');
    assert.match(stage.output(), /consumer inventory: the broker has no session for us; asking for a replay/);
  });
});

describe('stopping', { skip: process.platform !== 'linux' }, () => {
  it('SIGTERM stops all six processes and the supervisor, leaving nothing behind', async () => {
    const running = pids(stage);
    const result = await stage.stop();
    assert.ok(result.exitedInTime, `took ${result.ms} ms`);
    assert.deepEqual(running.map(alive), SERVICES.map(() => false));
  });
});
