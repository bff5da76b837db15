// Faults: during a burst of orders through the gateway, kill -9 one of the saga's RPC peers,
// inventory, then payments: the orchestrator's HTTP/2 session to the dead process breaks
// (UNAVAILABLE, tried again with backoff), the supervisor restarts the service, the client
// opens a new session to it, and the saga goes on under the same keys. After every burst, every
// order the shop accepted reaches a final status and the contract's invariants hold: no
// oversell, exactly one captured payment per confirmed order and none kept for a rejected one,
// no order lost or doubled, exactly one notification per final order, and (stage 10) exactly
// one message sent for it, by a job done once. (Linux: the processes are found in /proc.)
// Stage 12's faults.test.ts kills the gateway and a worker mid-job, and stages 8 to 10 the
// other services: stage 13 changes only how the services call each other, so it kills the
// ones it calls over gRPC; double-charge.test.ts kills payments at the worst moment of a charge.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { request, startStage } from '../../contract/src/launch.ts';
import type { Stage } from '../../contract/src/launch.ts';
import { connectDatabase } from '../src/adapters/database.ts';
import type { Database } from '../src/shared/ports.ts';
import { DEV_TOKEN } from '../src/adapters/ops-auth.ts';
import { alive, eventually, pidOf, settle, sleep } from './support.ts';

type Order = { id: string; customerId: string; status: string; totalCents: number };
type Payment = { orderId: string; amountCents: number; status: string };

const stageDir = new URL('..', import.meta.url);
const tmp = mkdtempSync(join(tmpdir(), 'shop-faults-'));

const SERVICES: [string, number][] = [
  ['database-main.ts', 200], ['broker-main.ts', 300], ['payments-main.ts', 100],
  ['inventory-main.ts', 400], ['notifications-main.ts', 500], ['orchestrator-main.ts', 600],
  ['main.ts', 1000], ['main.ts', 1100], ['worker-main.ts', 2000], ['worker-main.ts', 2100], ['worker-main.ts', 2200], ['balancer-main.ts', 800],
  ['gateway-main.ts', 0],
];

const ORDERS = 30;
const STOCK = 20;

// #region burst
// ORDERS orders, 6 at a time, for a product with STOCK units; `kill` runs once 8 answers
// are in. Like a careful client, each order carries an Idempotency-Key and is sent again
// (same key) when the shop cannot be reached or answers 5xx: the shop itself is one of the
// services killed. Returns the accepted orders.
async function burst(stage: Stage, sku: string, kill: () => void): Promise<{ accepted: Order[]; failed: number }> {
  const accepted: Order[] = [];
  let failed = 0;
  let next = 0;
  let killed = false;
  const worker = async () => {
    while (next < ORDERS) {
      const i = next++;
      const body = { customerId: `${sku}-c${i}`, items: [{ sku, quantity: 1 }] };
      const deadline = Date.now() + 30_000;
      for (;;) {
        const res = await request<Order>(stage.url, 'POST', '/orders', body, { 'Idempotency-Key': `${sku}-${i}` }).catch(() => undefined);
        if (res && [200, 201, 202].includes(res.status)) {
          accepted.push(res.json);
          break;
        }
        if (res && res.status < 500) assert.fail(`order ${i} refused: ${res.status} ${res.text}`);
        failed++;
        if (Date.now() > deadline) assert.fail(`order ${i} not accepted within 30 s`);
        await sleep(200);
      }
      if (accepted.length === 8 && !killed) {
        killed = true;
        kill();
      }
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  return { accepted, failed };
}
// #endregion burst

async function checkInvariants(stage: Stage, db: Database, sku: string, accepted: Order[]) {
  assert.equal(new Set(accepted.map((o) => o.id)).size, ORDERS, 'one order per customer, none doubled');
  // every accepted order reaches a final status
  const final: Order[] = [];
  for (const o of accepted) final.push((await settle(stage.url, o.id, 15_000)) as Order);
  const confirmed = final.filter((o) => o.status === 'confirmed');
  // no oversell, and the stock adds up (invariants 1 and 4)
  const product = (await request<{ sku: string; stock: number }[]>(stage.url, 'GET', '/products')).json.find((p) => p.sku === sku);
  assert.equal(confirmed.length, STOCK, 'all the stock was sold, and no more');
  assert.equal(product?.stock, 0);
  for (const o of final) {
    assert.ok(['confirmed', 'rejected'].includes(o.status), `${o.id} is ${o.status}`);
    // no order lost or doubled: each customer placed one order and has one
    const listed = (await request<{ items: Order[] }>(stage.url, 'GET', `/orders?customerId=${o.customerId}`)).json.items;
    assert.deepEqual(listed.map((l) => l.id), [o.id]);
    // money (invariants 2 and 3)
    const payments = (await request<Payment[]>(stage.url, 'GET', `/payments?orderId=${o.id}`)).json;
    const captured = payments.filter((p) => p.status === 'captured');
    if (o.status === 'confirmed') assert.deepEqual(captured.map((p) => p.amountCents), [o.totalCents], `${o.id}: ${JSON.stringify(payments)}`);
    else assert.deepEqual(captured, [], `${o.id} was rejected but kept money`);
    // exactly one notification, of the matching kind (notifications may lag a little)
    const kind = o.status === 'confirmed' ? 'order_confirmed' : 'order_rejected';
    let kinds: string[] = [];
    await eventually(async () => {
      kinds = (await request<{ kind: string }[]>(stage.url, 'GET', `/notifications?customerId=${o.customerId}`)).json.map((n) => n.kind);
      return kinds.length > 0;
    }, 10_000, `a notification for ${o.id}`);
    await sleep(0);
    assert.deepEqual(kinds, [kind], `${o.id}: one notification`);
  }
  // each final order's message sent exactly once, by its one job, done (stage 10)
  // (`sent` counts only the messages recorded by the claim that marked the job done)
  const jobs = () =>
    db.transaction(async (tx) => (await tx.query<{ key: string; done: boolean; sent: number }>(
      `SELECT j.key, j.done_at IS NOT NULL AS done,
              (SELECT count(*)::int FROM notifications.sent_messages s WHERE s.job_id = j.id AND s.sent_by = j.done_by AND s.attempt = j.attempts) AS sent
       FROM notifications.jobs j WHERE j.payload->>'customerId' LIKE $1`,
      [`${sku}-c%`],
    )).rows);
  await eventually(async () => (await jobs()).filter((j) => j.done).length === ORDERS, 20_000, 'every notification job done');
  const kinds = new Map(final.map((o) => [o.id, o.status === 'confirmed' ? 'order_confirmed' : 'order_rejected']));
  assert.deepEqual((await jobs()).map((j) => `${j.key} ${j.sent}`).sort(), final.map((o) => `${o.id}:${kinds.get(o.id)} 1`).sort());
  // and at the card processor itself (its count starts again when the payments service restarts)
  const charges = (await request<{ doubleCharged: string[] }>(stage.url, 'GET', '/ops/charges', undefined, { authorization: `Bearer ${DEV_TOKEN}` })).json;
  assert.deepEqual(charges.doubleCharged, [], 'no card was charged twice');
}

// Kills `script` at PORT+offset. The process is looked up first (reading /proc takes a while
// on a busy machine) so that the kill follows at once.
function kill(port: number, script: string, offset: number): void {
  const pid = pidOf(script, port + offset);
  if (!pid) throw new Error(`no ${script} at +${offset} to kill`);
  process.kill(pid, 'SIGKILL');
}

describe('kill -9 each service in turn during a burst of orders', { skip: process.platform !== 'linux' }, () => {
  let stage: Stage;
  let db: Database;
  before(async () => {
    // a generous start: thirteen processes on a busy machine; sending takes 200 ms, a lease 1.5 s
    stage = await startStage(stageDir, { env: { DATA_DIR: tmp, SEND_MS: '200', LEASE_MS: '1500' }, timeoutMs: 90_000 });
    db = connectDatabase({ url: `postgres://postgres@127.0.0.1:${stage.port + 200}/postgres`, name: 'faults-test', log: () => {} });
  });
  after(async () => {
    if (process.env.SHOW_OUTPUT) console.log(stage.output());
    await db?.close();
    await stage.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  // [the supervisor's name for it, its script, its port's offset from PORT]
  const victims: [string, string, number][] = [
    ['inventory', 'inventory-main.ts', 400],
    ['payments', 'payments-main.ts', 100],
  ];
  for (const [name, script, offset] of victims) {
    it(`kill -9 ${name}`, async () => {
      const sku = `mug-${name}`;
      const created = await request(stage.url, 'POST', '/products', { sku, name: `Mug that survives ${name}`, priceCents: 700, stock: STOCK });
      assert.equal(created.status, 201, created.text);
      const restarts = () => stage.output().match(new RegExp(`supervisor: ${name} is back`, 'g'))?.length ?? 0;
      const before = restarts();
      try {
        const { accepted } = await burst(stage, sku, () => kill(stage.port, script, offset));
        await eventually(() => restarts() === before + 1, 20_000, `${name} back`);
        assert.match(stage.output(), new RegExp(`supervisor: ${name} exited \\(signal SIGKILL\\); restarting it`));
        await checkInvariants(stage, db, sku, accepted);
      } catch (error) {
        throw new Error(`${(error as Error).message}\n--- output ---\n${stage.output().slice(-5000)}`);
      }
    });
  }

  it('last, kill -9 the supervisor itself: its services notice and stop within a few seconds, no orphans', async () => {
    const running = SERVICES.map(([script, offset]) => pidOf(script, stage.port + offset));
    assert.ok(running.every((pid) => pid !== undefined), JSON.stringify(running));
    const supervisor = pidOf('start.ts', stage.port);
    assert.ok(supervisor, 'the supervisor runs with PORT set');
    process.kill(supervisor, 'SIGKILL');
    await eventually(() => running.every((pid) => !alive(pid)), 15_000, 'the services to stop'); // a loaded machine can take seconds to tell them their input closed
  });
});
