// The saga's state in Postgres (PGlite in this process), then the orchestrator's runner
// against in-memory services and that state: the three endings, retries, giving up, the
// pause, and above all a crash at every point of a saga, after which a new runner resumes
// it without reserving or charging twice.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../src/shared/ports.ts';
import { checkSchemaBoundaries } from '../src/adapters/migrations.ts';
import { afterStep, needsWork, startSaga } from '../src/modules/orders/saga/model.ts';
import type { Saga } from '../src/modules/orders/saga/model.ts';
import { PostgresSagas } from '../src/modules/orders/saga/repository.ts';
import { SagaRunner } from '../src/modules/orders/saga/runner.ts';
import type { Guard } from './saga-fakes.ts';
import { addOrderRow, Crasher, crashingStore, Failures, FakeInventory, FakeOrders, FakePayments, openSagaDatabase } from './saga-fakes.ts';

let db: Database;
let sagas: PostgresSagas;
// Counts the transactions open right now, so a service call can check that none is.
let openTransactions = 0;
const noOpenTransaction: Guard = {
  check: (what) => assert.equal(openTransactions, 0, `${what} was called while a database transaction was open`),
};
before(async () => {
  const real = await openSagaDatabase();
  db = {
    ...real,
    query: real.query.bind(real),
    exec: real.exec.bind(real),
    close: real.close.bind(real),
    transaction: async (fn) => {
      openTransactions++;
      try {
        return await real.transaction(fn);
      } finally {
        openTransactions--;
      }
    },
  };
  sagas = new PostgresSagas(db);
});
after(() => db.close());

const T1 = '2026-11-29T18:00:00.000Z';
const T2 = '2026-11-29T18:00:01.000Z';

async function newSaga(id: string) {
  await addOrderRow(db, id);
  const saga = startSaga({ id, customerId: 'ada', lines: [{ sku: 'mug-blue', quantity: 2 }], totalCents: 2400 }, T1);
  await sagas.add(saga);
  return saga;
}

describe('saga state in Postgres', () => {
  it('a saga reads back as it was written', async () => {
    const saga = await newSaga('ord_r1');
    assert.deepEqual(await sagas.get('ord_r1'), saga);
    assert.equal(await sagas.get('ord_none'), undefined);
  });

  it('a transition is saved with its log entry, and bumps the version', async () => {
    const saga = await newSaga('ord_r2');
    const next = afterStep(saga, 'reserve', 'reserved', T2);
    const saved = await sagas.save(saga, next);
    const stored = await sagas.get('ord_r2');
    assert.deepEqual(stored, { ...next, version: 1 });
    // what save answers is what a read would find: the runner goes on from it without one
    assert.deepEqual(saved, stored);
    assert.deepEqual(stored?.log, [{ step: 'reserve', outcome: 'reserved', at: T2 }]);
  });

  it('a transition from a stale copy is refused and changes nothing (compare-and-set on the version)', async () => {
    const saga = await newSaga('ord_r3');
    const first = afterStep(saga, 'reserve', 'reserved', T2);
    assert.ok(await sagas.save(saga, first));
    assert.equal(await sagas.save(saga, afterStep(saga, 'reserve', 'out_of_stock', T2)), undefined);
    assert.deepEqual((await sagas.get('ord_r3'))?.todo, ['charge', 'confirm']);
    assert.equal((await sagas.get('ord_r3'))?.log.length, 1);
  });

  it('lists the sagas with work, oldest first: unfinished ones, and confirmed ones asked to cancel', async () => {
    let done = await newSaga('ord_r4');
    for (const [step, outcome] of [['reserve', 'reserved'], ['charge', 'captured'], ['confirm', 'done']] as const) {
      const next = afterStep(done, step, outcome, T2);
      const saved = await sagas.save(done, next);
      assert.ok(saved);
      done = saved;
    }
    assert.equal(done.status, 'confirmed');
    const work = await sagas.withWork(100);
    assert.deepEqual(work, ['ord_r1', 'ord_r2', 'ord_r3']);
    const asked = await sagas.requestCancel('ord_r4');
    assert.equal(asked?.cancelRequested, true);
    assert.deepEqual(await sagas.withWork(100), ['ord_r1', 'ord_r2', 'ord_r3', 'ord_r4']);
    assert.deepEqual(await sagas.withWork(2), ['ord_r1', 'ord_r2']);
  });

  it('the runner never overwrites a cancel the shop asked for meanwhile', async () => {
    const saga = await newSaga('ord_r5');
    await sagas.requestCancel('ord_r5');
    const saved = await sagas.save(saga, afterStep(saga, 'reserve', 'reserved', T2));
    assert.equal((await sagas.get('ord_r5'))?.cancelRequested, true);
    // and the saga it answers carries the flag, so the runner sees the cancel at its next step
    assert.equal(saved?.cancelRequested, true);
  });

  it('latest() shows the newest sagas first, with their logs', async () => {
    const latest = await sagas.latest(2);
    assert.deepEqual(latest.map((s) => s.id), ['ord_r5', 'ord_r4']);
    assert.equal(latest[1]?.log.length, 3);
  });

  it('the saga tables keep to the orders schema', async () => {
    assert.deepEqual(await checkSchemaBoundaries(db), []);
  });
});


const clock = { now: () => new Date().toISOString() };
let counter = 0;

// One world: the services with their stock and cards, and what the test can break.
function world(stock = 10) {
  const crash = new Crasher();
  const failures = new Failures();
  const inventory = new FakeInventory(crash, failures, noOpenTransaction);
  inventory.stock.set('mug-blue', stock);
  const payments = new FakePayments(crash, failures, noOpenTransaction);
  const orders = new FakeOrders(crash, failures, noOpenTransaction);
  const lines: string[] = [];
  const own = new Set<string>();
  const options = { inventory, payments, orders, clock, retryDelay: () => 10, pollMs: 20, log: (line: string) => void lines.push(line) };
  const runner = (more: { giveUpAfterMs?: number } = {}) => new SagaRunner({ ...options, sagas: crashingStore(sagas, crash, own), ...more });
  return { crash, failures, inventory, payments, orders, runner, lines, own, options };
}

async function place(w: ReturnType<typeof world>, quantity = 2, priceCents = 1200): Promise<Saga> {
  const id = `ord_t${++counter}`;
  w.own.add(id);
  await addOrderRow(db, id);
  w.orders.place(id);
  const saga = startSaga({ id, customerId: 'ada', lines: [{ sku: 'mug-blue', quantity }], totalCents: quantity * priceCents }, clock.now());
  await sagas.add(saga);
  return saga;
}

const steps = (saga: Saga | undefined) => saga?.log.map((e) => `${e.step} ${e.outcome}`);

// Only the sagas of this test: other tests' sagas are in the same database.
async function finishOnly(w: ReturnType<typeof world>, ids: string[]) {
  const runner = w.runner();
  runner.start();
  const deadline = Date.now() + 10_000;
  while ((await Promise.all(ids.map((id) => sagas.get(id)))).some((s) => s && needsWork(s))) {
    if (Date.now() > deadline) throw new Error(`sagas not finished:\n${w.lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  await runner.stop();
}

describe('the saga runner', () => {
  it('reserve, charge, confirm: the order is confirmed, stock taken once, card charged once', async () => {
    const w = world();
    const saga = await place(w);
    await finishOnly(w, [saga.id]);
    const done = await sagas.get(saga.id);
    assert.equal(done?.status, 'confirmed');
    assert.deepEqual(steps(done), ['reserve reserved', 'charge captured', 'confirm done']);
    assert.equal(w.inventory.stock.get('mug-blue'), 8);
    assert.equal(w.payments.cardCharges.get(saga.id), 1);
    assert.deepEqual(w.orders.status.get(saga.id), { status: 'confirmed' });
    assert.match(w.lines.join('\n'), new RegExp(`saga ${saga.id}: charge -> captured; next: confirm`));
  });

  it('a saga is read once, when its driver starts: each save answers the saga the next step needs (issue 29)', async () => {
    const w = world();
    const saga = await place(w);
    const reads: string[] = [];
    const store = crashingStore(sagas, w.crash, w.own);
    const runner = new SagaRunner({ ...w.options, sagas: { ...store, get: (id) => (reads.push(id), store.get(id)) } });
    await runner.runAll();
    assert.equal((await sagas.get(saga.id))?.status, 'confirmed');
    assert.deepEqual(reads, [saga.id], 'one read for three steps (it was one before each step, and one more at the end)');
  });

  it('a cancel the shop asks for between two steps turns the saga at the next step', async () => {
    const w = world();
    const saga = await place(w);
    // the shop's cancel lands while the reservation is on its way: after the runner read the saga
    const reserve = w.inventory.reserve.bind(w.inventory);
    w.inventory.reserve = async (key, lines) => {
      await sagas.requestCancel(saga.id);
      return reserve(key, lines);
    };
    await finishOnly(w, [saga.id]);
    const done = await sagas.get(saga.id);
    assert.deepEqual(steps(done), ['reserve reserved', 'release done', 'cancel done']);
    assert.deepEqual(w.payments.calls, [], 'no charge after the cancel');
    assert.equal(w.inventory.stock.get('mug-blue'), 10);
  });

  it('a declined card: the stock comes back and the order is rejected payment_declined, no money kept', async () => {
    const w = world();
    const saga = await place(w, 1, 500_001);
    await finishOnly(w, [saga.id]);
    const done = await sagas.get(saga.id);
    assert.deepEqual(steps(done), ['reserve reserved', 'charge declined', 'release done', 'reject done']);
    assert.equal(done?.status, 'rejected');
    assert.equal(w.inventory.stock.get('mug-blue'), 10, 'the stock is back');
    assert.equal(w.payments.captured(saga.id), 0);
    assert.deepEqual(w.orders.status.get(saga.id), { status: 'rejected', reason: 'payment_declined' });
  });

  it('out of stock: rejected out_of_stock, nothing charged, nothing to undo', async () => {
    const w = world(1);
    const saga = await place(w, 2);
    await finishOnly(w, [saga.id]);
    assert.deepEqual(steps(await sagas.get(saga.id)), ['reserve out_of_stock', 'reject done']);
    assert.deepEqual(w.payments.calls, []);
    assert.deepEqual(w.orders.status.get(saga.id), { status: 'rejected', reason: 'out_of_stock' });
  });

  it('a service that fails for a while: the step is tried again with its key, and applied once', async () => {
    const w = world();
    w.failures.fail('charge', 3);
    const saga = await place(w);
    await finishOnly(w, [saga.id]);
    assert.equal((await sagas.get(saga.id))?.status, 'confirmed');
    assert.deepEqual(w.payments.calls, Array(4).fill(`charge saga-${saga.id}-charge`));
    assert.equal(w.payments.cardCharges.get(saga.id), 1);
    assert.match(w.lines.join('\n'), /charge failed \(charge: the service is not answering\); trying again in \d+ ms/);
  });

  it('payments down for too long: the charge is given up, refunded under its key, the stock released', async () => {
    const w = world();
    w.failures.always.add('charge');
    const saga = await place(w);
    const runner = w.runner({ giveUpAfterMs: 100 });
    runner.start();
    while ((await sagas.get(saga.id))?.status !== 'rejected') await new Promise((r) => setTimeout(r, 10));
    await runner.stop();
    assert.deepEqual(steps(await sagas.get(saga.id)), ['reserve reserved', 'charge gave_up', 'refund done', 'release done', 'reject done']);
    // payments never answered: the customer is told so, not that the card was declined
    assert.equal((await sagas.get(saga.id))?.reason, 'payment_unavailable');
    assert.equal(w.inventory.stock.get('mug-blue'), 10);
    // the charge arrives after all (it was only slow): the refund's key already closed it
    w.failures.always.clear();
    assert.equal(await w.payments.charge(`saga-${saga.id}-charge`, saga.id, saga.totalCents), 'declined');
    assert.equal(w.payments.captured(saga.id), 0);
    assert.match(w.lines.join('\n'), /charge gave up after 0 s of failures; next: refund, release, reject/);
  });

  // stage 13: the order's deadline (the POST /orders's, kept with the saga)
  it("past the order's deadline, a failing charge is given up at once, not after giveUpAfterMs; the deadline went with the charge", async () => {
    const w = world();
    w.failures.always.add('charge');
    const seen: (number | undefined)[] = [];
    const charge = w.payments.charge.bind(w.payments);
    w.payments.charge = (key: string, orderId: string, amountCents: number, deadline?: number) => (seen.push(deadline), charge(key, orderId, amountCents));
    const id = `ord_t${++counter}`;
    w.own.add(id);
    await addOrderRow(db, id);
    w.orders.place(id);
    const deadline = new Date(Date.parse(clock.now()) - 1).toISOString();
    await sagas.add(startSaga({ id, customerId: 'ada', lines: [{ sku: 'mug-blue', quantity: 1 }], totalCents: 1200 }, clock.now(), deadline));
    const runner = w.runner({ giveUpAfterMs: 60_000 });
    runner.start();
    const until = Date.now() + 10_000;
    while ((await sagas.get(id))?.status !== 'rejected' && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    await runner.stop();
    assert.deepEqual(steps(await sagas.get(id)), ['reserve reserved', 'charge gave_up', 'refund done', 'release done', 'reject done']);
    assert.deepEqual(seen, [Date.parse(deadline)], 'one try, with the deadline');
    assert.match(w.lines.join('\n'), /charge gave up: the order's deadline passed/);
  });

  it('compensations are never given up: a release is tried until it goes through', async () => {
    const w = world();
    w.failures.fail('release', 5);
    const saga = await place(w, 1, 600_000);
    const runner = w.runner({ giveUpAfterMs: 1 });
    runner.start();
    while ((await sagas.get(saga.id))?.status !== 'rejected') await new Promise((r) => setTimeout(r, 10));
    await runner.stop();
    assert.deepEqual(steps(await sagas.get(saga.id)), ['reserve reserved', 'charge declined', 'release done', 'reject done']);
    assert.equal(w.inventory.stock.get('mug-blue'), 10);
  });

  it('a confirmed order asked to cancel: refund, release, cancel', async () => {
    const w = world();
    const saga = await place(w);
    await finishOnly(w, [saga.id]);
    await sagas.requestCancel(saga.id);
    await finishOnly(w, [saga.id]);
    const done = await sagas.get(saga.id);
    assert.deepEqual(steps(done), ['reserve reserved', 'charge captured', 'confirm done', 'refund done', 'release done', 'cancel done']);
    assert.equal(done?.status, 'cancelled');
    assert.equal(w.inventory.stock.get('mug-blue'), 10);
    assert.equal(w.payments.captured(saga.id), 0);
    assert.deepEqual(w.orders.events.map((e) => e.status), ['confirmed', 'cancelled']);
  });

  it('30 sagas at once for 10 units: exactly 5 orders of 2 confirmed, no oversell, one charge each', async () => {
    const w = world(10);
    const placed = await Promise.all(Array.from({ length: 30 }, () => place(w)));
    await finishOnly(w, placed.map((s) => s.id));
    const done = await Promise.all(placed.map((s) => sagas.get(s.id)));
    assert.equal(done.filter((s) => s?.status === 'confirmed').length, 5);
    assert.equal(done.filter((s) => s?.status === 'rejected' && s.reason === 'out_of_stock').length, 25);
    assert.equal(w.inventory.stock.get('mug-blue'), 0);
    assert.ok([...w.payments.cardCharges.values()].every((n) => n === 1));
  });
});

// #region crash-test
describe('a crash at any point of a saga, then a new runner', () => {
  // Every point where the orchestrator can die: after each call's work (its answer is lost)
  // and after each saved transition. The first run counts them; then one run per point.
  const scenarios = [
    { name: 'confirmed', quantity: 2, price: 1200, cancel: false, expect: ['reserve reserved', 'charge captured', 'confirm done'] },
    { name: 'declined', quantity: 1, price: 500_001, cancel: false, expect: ['reserve reserved', 'charge declined', 'release done', 'reject done'] },
    { name: 'cancelled after confirming', quantity: 1, price: 900, cancel: true, expect: ['reserve reserved', 'charge captured', 'confirm done', 'refund done', 'release done', 'cancel done'] },
  ];
  for (const scenario of scenarios) {
    it(`${scenario.name}: every crash point resumes to the same end, each effect once`, async () => {
      const points = await runWithCrashAt(0, scenario);
      assert.ok(points >= scenario.expect.length * 2, `${points} crash points`);
      for (let at = 1; at <= points; at++) await runWithCrashAt(at, scenario);
    });
  }

  async function runWithCrashAt(at: number, scenario: (typeof scenarios)[number]): Promise<number> {
    const w = world();
    w.crash.at = at;
    // the customer cancels as soon as the order is confirmed
    if (scenario.cancel) w.orders.onChange = async (id, status) => status === 'confirmed' && sagas.requestCancel(id);
    const saga = await place(w, scenario.quantity, scenario.price);
    const first = w.runner();
    first.start();
    // until it crashes (or, with no crash, finishes)
    const finished = async () => !needsWork((await sagas.get(saga.id)) as Saga);
    while (!w.crash.crashed && !(await finished())) await new Promise((r) => setTimeout(r, 5));
    // the dead orchestrator looks for no more work; its step in flight never returns
    if (w.crash.crashed) void first.stop();
    else await first.stop();
    const points = w.crash.points;
    // a new runner, as the restarted orchestrator: the old one is frozen where it died
    w.crash.at = 0;
    w.crash.crashed = false;
    await finishOnly(w, [saga.id]);
    const end = await sagas.get(saga.id);
    const why = `crash at point ${at}:\n${w.lines.join('\n')}`;
    // A crash between confirming the order and saving that step, with the cancel already
    // asked for, turns the saga round before `confirm` is logged: the same end, one line less.
    const shorter = scenario.expect.filter((step) => step !== 'confirm done');
    if (scenario.cancel && steps(end)?.length === shorter.length) assert.deepEqual(steps(end), shorter, why);
    else assert.deepEqual(steps(end), scenario.expect, why);
    // each step ran once as far as the saga's log says, and each effect happened once
    const logged = end?.log.map((e) => e.step) ?? [];
    assert.equal(new Set(logged).size, logged.length, why);
    assert.ok(w.inventory.taken <= scenario.quantity, `stock taken twice: ${why}`);
    assert.ok((w.payments.cardCharges.get(saga.id) ?? 0) <= 1, `card charged twice: ${why}`);
    const expectedStock = end?.status === 'confirmed' ? 10 - scenario.quantity : 10;
    assert.equal(w.inventory.stock.get('mug-blue'), expectedStock, why);
    assert.equal(w.payments.captured(saga.id), end?.status === 'confirmed' ? 1 : 0, why);
    assert.equal(w.orders.status.get(saga.id)?.status, end?.status, why);
    assert.equal(w.orders.events.filter((e) => e.status === end?.status).length, 1, `one event for the final status: ${why}`);
    return points;
  }
});
// #endregion crash-test

describe('the pause (the chapter\'s experiment)', () => {
  it('holds sagas after a step; a crash lifts it and the new runner carries them on', async () => {
    const w = world();
    const first = w.runner();
    first.pause('reserve');
    first.start();
    const saga = await place(w);
    first.wake();
    while ((await sagas.get(saga.id))?.log.length !== 1) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(first.pauseState(), { after: 'reserve', held: [saga.id] });
    assert.deepEqual((await sagas.get(saga.id))?.todo, ['charge', 'confirm'], 'held after reserve');
    assert.equal(w.inventory.stock.get('mug-blue'), 8);
    assert.deepEqual(w.payments.calls, []);
    // "crash": the first runner is abandoned as it is; the pause was in its memory only
    void first.stop();
    await finishOnly(w, [saga.id]);
    assert.equal((await sagas.get(saga.id))?.status, 'confirmed');
    assert.equal(w.payments.cardCharges.get(saga.id), 1);
    assert.deepEqual(w.inventory.calls, [`reserve saga-${saga.id}-reserve`], 'not reserved again');
  });

  it('resume() lets the held sagas go on', async () => {
    const w = world();
    const runner = w.runner();
    runner.pause('charge');
    runner.start();
    const saga = await place(w);
    runner.wake();
    while (runner.pauseState().held.length === 0) await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual((await sagas.get(saga.id))?.todo, ['confirm']);
    runner.resume();
    while ((await sagas.get(saga.id))?.status !== 'confirmed') await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(runner.pauseState(), { after: null, held: [] });
    await runner.stop();
  });
});
