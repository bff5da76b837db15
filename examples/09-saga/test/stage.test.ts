// The stage as `npm start` runs it, in one run of it: the supervisor and its seven
// processes; then the chapter's experiment through the shop's ops routes: decline the card
// and watch the stock come back; hold the sagas after a step, kill the orchestrator, and
// watch the restarted one carry the saga on, charging once; cancel an order half-way; the
// ops routes' JSON errors. Then stage 8's experiment as it stands now that notifications is
// the one consumer: its catch-up, a second delivery, the broker losing its queue; and last,
// SIGTERM. (Linux: the processes are found in /proc.)

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { request, startStage } from '../../contract/src/launch.ts';
import type { Stage } from '../../contract/src/launch.ts';
import { alive, eventually, pidOf, settle, sleep } from './support.ts';

type Order = { id: string; status: string; reason?: string; totalCents: number };
type SagaView = { orderId: string; status: string; reason?: string; done: string[]; todo: string[]; cancelRequested: boolean };
type Payment = { amountCents: number; status: string };
type Stats = { name: string; running: boolean; connected: boolean; processed: number; duplicatesIgnored: number; lastDuplicate?: { id: string; type: string } };

const stageDir = new URL('..', import.meta.url);
const tmp = mkdtempSync(join(tmpdir(), 'shop-stage-'));
let stage: Stage;
before(async () => {
  // a generous start: seven processes on a busy machine
  stage = await startStage(stageDir, { env: { DATA_DIR: tmp }, timeoutMs: 90_000 });
  for (const [sku, priceCents, stock] of [['queue-mug', 800, 100], ['saga-mug', 900, 10], ['saga-piano', 600_000, 10]] as const) {
    const res = await request(stage.url, 'POST', '/products', { sku, name: sku, priceCents, stock });
    assert.equal(res.status, 201, res.text);
  }
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
  ['orchestrator', 'orchestrator-main.ts', 600],
];
const pids = (stage: Stage) => SERVICES.map(([, script, offset]) => pidOf(script, stage.port + offset));

describe('the supervisor', { skip: process.platform !== 'linux' }, () => {
  it('prints one ready line, after the seven services', () => {
    const lines = stage.output().split('\n');
    const ready = lines.filter((line) => /\bready\b/.test(line));
    assert.equal(ready.length, 1, stage.output());
    assert.match(ready[0] ?? '', new RegExp(`^shop ready on http://127\\.0\\.0\\.1:${stage.port} \\(7 processes`));
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

const stockOf = async (sku: string) => (await request<{ sku: string; stock: number }[]>(stage.url, 'GET', '/products')).json.find((p) => p.sku === sku)?.stock;
const saga = async (orderId: string) => (await request<{ sagas: SagaView[] }>(stage.url, 'GET', `/ops/sagas?orderId=${orderId}`)).json.sagas[0];
// The order is settled by the saga's last step, which the orchestrator records a moment later.
async function finishedSaga(orderId: string): Promise<SagaView | undefined> {
  let s: SagaView | undefined;
  await eventually(async () => (s = await saga(orderId))?.todo.length === 0, 5_000, `the saga of ${orderId} to finish`);
  return s;
}
const payments = async (orderId: string) => (await request<Payment[]>(stage.url, 'GET', `/payments?orderId=${orderId}`)).json;
const placeOf = async (customerId: string, sku: string, quantity = 1) => {
  const res = await request<Order>(stage.url, 'POST', '/orders', { customerId, items: [{ sku, quantity }] });
  assert.equal(res.status, 202, res.text);
  return res.json;
};
const pause = async (after: string | null) => {
  const res = await request<{ after: string | null }>(stage.url, 'PUT', '/ops/saga-pause', { after });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.after, after);
};

describe('a declined card', () => {
  it('is compensated: the stock comes back, the order is rejected payment_declined, no money kept', async () => {
    const o = await placeOf('decline', 'saga-piano');
    const end = await settle(stage.url, o.id);
    assert.deepEqual([end.status, end.reason], ['rejected', 'payment_declined']);
    assert.equal(await stockOf('saga-piano'), 10);
    assert.deepEqual((await payments(o.id)).map((p) => p.status), ['declined']);
    const s = await finishedSaga(o.id);
    assert.deepEqual(s?.done, ['reserve: reserved', 'charge: declined', 'release: done', 'reject: done']);
    assert.deepEqual([s?.status, s?.todo], ['rejected', []]);
  });
});

describe('the orchestrator killed mid-saga', { skip: process.platform !== 'linux' }, () => {
  it('held after reserve, crashed, restarted: the saga resumes at charge and the order settles, charged once', async () => {
    await pause('reserve');
    const o = await placeOf('resume', 'saga-mug', 2);
    await eventually(async () => (await saga(o.id))?.done.length === 1, 5_000, 'the reserve step');
    // held once the runner has read the saga back after its step (a moment after the commit)
    let held = await request<{ held: string[]; pid: number }>(stage.url, 'GET', '/ops/saga-pause');
    await eventually(async () => (held = await request<{ held: string[]; pid: number }>(stage.url, 'GET', '/ops/saga-pause')).json.held.includes(o.id), 5_000, 'the saga held');
    assert.deepEqual(held.json.held, [o.id]);
    assert.deepEqual((await saga(o.id))?.todo, ['charge', 'confirm']);
    assert.equal(await stockOf('saga-mug'), 8, 'reserved');
    assert.deepEqual(await payments(o.id), [], 'not charged yet');
    assert.equal((await request<Order>(stage.url, 'GET', `/orders/${o.id}`)).json.status, 'pending');

    const crash = await request<{ crashing: boolean; pid: number }>(stage.url, 'POST', '/ops/orchestrator/crash');
    assert.deepEqual([crash.status, crash.json.crashing, crash.json.pid], [202, true, held.json.pid]);
    await eventually(() => /supervisor: orchestrator exited \(signal SIGKILL\); restarting it/.test(stage.output()), 5_000, 'the crash');
    assert.equal((await settle(stage.url, o.id)).status, 'confirmed');
    assert.notEqual(pidOf('orchestrator-main.ts', stage.port + 600), held.json.pid, 'a new orchestrator');
    assert.deepEqual((await finishedSaga(o.id))?.done, ['reserve: reserved', 'charge: captured', 'confirm: done']);
    assert.deepEqual((await payments(o.id)).map((p) => [p.status, p.amountCents]), [['captured', 1800]]);
    assert.equal(await stockOf('saga-mug'), 8, 'reserved once');
    const charges = (await request<{ doubleCharged: string[] }>(stage.url, 'GET', '/ops/charges')).json;
    assert.deepEqual(charges.doubleCharged, []);
    assert.equal((await request<{ after: null }>(stage.url, 'GET', '/ops/saga-pause')).json.after, null, 'the pause died with the process');
    await eventually(async () => (await request<unknown[]>(stage.url, 'GET', '/notifications?customerId=resume')).json.length === 1, 10_000, 'one notification');
  });

  it('a cancel while the saga is held after charge: refund, release, cancelled', async () => {
    await pause('charge');
    const o = await placeOf('cancel-held', 'saga-mug');
    await eventually(async () => (await saga(o.id))?.done.length === 2, 5_000, 'the charge step');
    const res = await request<Order>(stage.url, 'POST', `/orders/${o.id}/cancel`, { reason: 'changed my mind' });
    assert.equal(res.status, 202, res.text);
    await pause(null);
    assert.equal((await settle(stage.url, o.id)).status, 'cancelled');
    assert.deepEqual((await finishedSaga(o.id))?.done, ['reserve: reserved', 'charge: captured', 'refund: done', 'release: done', 'cancel: done']);
    assert.deepEqual((await payments(o.id)).map((p) => p.status), ['refunded']);
    assert.equal(await stockOf('saga-mug'), 8);
  });
});

describe('the ops routes', () => {
  it('bad requests get the contract\'s JSON errors and change nothing', async () => {
    const cases: [string, string, unknown, number, string, RegExp][] = [
      ['PUT', '/ops/saga-pause', { after: 'shipping' }, 400, 'invalid_request', /after must be one of reserve, charge/],
      ['PUT', '/ops/saga-pause', {}, 400, 'invalid_request', /"after"/],
      ['PUT', '/ops/saga-pause', { after: null, why: 1 }, 400, 'invalid_request', /unknown field why/],
      ['PUT', '/ops/saga-pause', '{"after": ', 400, 'invalid_json', /JSON/],
      ['GET', '/ops/orchestrator/crash', undefined, 404, 'not_found', /no route/],
      ['DELETE', '/ops/sagas', undefined, 404, 'not_found', /no route/],
    ];
    for (const [method, path, body, status, code, message] of cases) {
      const res = await request<{ error: { code: string; message: string } }>(stage.url, method, path, body);
      assert.equal(res.status, status, `${method} ${path}: ${res.text}`);
      assert.equal(res.json.error.code, code);
      assert.match(res.json.error.message, message);
    }
    assert.equal((await request<{ after: null }>(stage.url, 'GET', '/ops/saga-pause')).json.after, null);
  });
});

const consumers = async () => (await request<{ consumers: Stats[] }>(stage.url, 'GET', '/ops/consumers')).json.consumers;
const notifications = async () => (await consumers()).find((c) => c.name === 'notifications') as Stats;
const told = async (customerId: string) => (await request<unknown[]>(stage.url, 'GET', `/notifications?customerId=${customerId}`)).json.length;
const stock = async () => (await request<{ sku: string; stock: number }[]>(stage.url, 'GET', '/products')).json.find((p) => p.sku === 'queue-mug')?.stock;
const place = async (customerId: string) => {
  const res = await request<Order>(stage.url, 'POST', '/orders', { customerId, items: [{ sku: 'queue-mug', quantity: 1 }] });
  assert.equal(res.status, 202, res.text);
  assert.equal(res.json.status, 'pending');
  return res.json;
};
const switchNotifications = async (running: boolean) => {
  const res = await request<Stats>(stage.url, 'POST', '/ops/consumers/notifications', { running });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.running, running);
};

describe('consumer catch-up', () => {
  it('with the notifications consumer stopped, orders settle but nobody is told; started again, it catches up', async () => {
    await switchNotifications(false);
    assert.deepEqual(await notifications().then((s) => [s.running, s.connected]), [false, false]);
    const orders = [];
    for (let i = 0; i < 5; i++) orders.push(await place(`catch-up-${i}`));
    for (const o of orders) assert.equal((await settle(stage.url, o.id)).status, 'confirmed');
    await sleep(1_000);
    for (let i = 0; i < 5; i++) assert.equal(await told(`catch-up-${i}`), 0, 'no notification while the consumer is away');
    assert.equal(await stock(), 95);

    await switchNotifications(true);
    for (let i = 0; i < 5; i++) await eventually(async () => (await told(`catch-up-${i}`)) === 1, 10_000, `catch-up-${i} told`);
    assert.match(stage.output(), /consumer notifications: stopped \(its session stays on the broker, which queues its messages\)/);
  });
});

describe('duplicate delivery', () => {
  it('POST /ops/redeliver publishes the last OrderConfirmed again; notifications ignores it', async () => {
    const o = await place('duplicate');
    assert.equal((await settle(stage.url, o.id)).status, 'confirmed');
    await eventually(async () => (await told('duplicate')) === 1, 10_000, 'the first notification');
    const ignoredBefore = (await notifications()).duplicatesIgnored;
    const res = await request<{ redelivered: { id: string; type: string; orderId: string } }>(stage.url, 'POST', '/ops/redeliver', {});
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.redelivered.type, 'OrderConfirmed');
    assert.equal(res.json.redelivered.orderId, o.id);
    await eventually(async () => (await notifications()).duplicatesIgnored === ignoredBefore + 1, 5_000, 'the duplicate to be ignored');
    assert.deepEqual((await notifications()).lastDuplicate, { id: res.json.redelivered.id, type: 'OrderConfirmed' });
    assert.equal(await told('duplicate'), 1);
    assert.match(stage.output(), /consumer notifications: OrderConfirmed evt_\w+ again; in the inbox already, ignored/);
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
      ['POST', '/ops/consumers/notifications', { running: 'no' }, 400, 'invalid_request', /running/],
      ['POST', '/ops/consumers/notifications', { running: false, extra: 1 }, 400, 'invalid_request', /extra/],
      ['POST', '/ops/consumers/notifications', '{"running": fal', 400, 'invalid_json', /JSON/],
      ['POST', '/ops/consumers/inventory', { running: false }, 404, 'not_found', /the one consumer is notifications/],
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
    assert.equal((await notifications()).running, true, 'nothing was switched');
  });
});

describe('the broker loses its queue', { skip: process.platform !== 'linux' }, () => {
  it('kill -9 the broker while notifications wait for a stopped consumer: after the restart they are replayed', async () => {
    await switchNotifications(false);
    const orders = [];
    for (let i = 0; i < 3; i++) orders.push(await place(`broker-lost-${i}`));
    for (const o of orders) assert.equal((await settle(stage.url, o.id)).status, 'confirmed');
    process.kill(pidOf('broker-main.ts', stage.port + 300) ?? 0, 'SIGKILL');
    await eventually(() => /supervisor: broker is back/.test(stage.output()), 20_000, 'broker back');
    await switchNotifications(true);
    for (let i = 0; i < 3; i++) await eventually(async () => (await told(`broker-lost-${i}`)) === 1, 10_000, `broker-lost-${i} told`);
    assert.match(stage.output(), /consumer notifications: the broker has no session for us; asking for a replay/);
  });
});

describe('stopping', { skip: process.platform !== 'linux' }, () => {
  it('SIGTERM stops all seven processes and the supervisor, leaving nothing behind', async () => {
    const running = pids(stage);
    const result = await stage.stop();
    assert.ok(result.exitedInTime, `took ${result.ms} ms`);
    assert.deepEqual(running.map(alive), SERVICES.map(() => false));
  });
});
