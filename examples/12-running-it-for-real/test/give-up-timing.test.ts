// When does the saga give a charge up while payments is down? Not after giveUpAfterMs alone:
// the count starts at the first failed command, and a command to a service that refuses
// connections fails only after its two attempts have each waited WAIT_MS for it to come back.
// The runner here has the orchestrator's own settings (sagaRetry) and its real HTTP client,
// pointed at a port nobody listens on. It prints the time it measured; chapter 09 quotes it.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { closedPort } from '../../contract/src/launch.ts';
import type { Database } from '../src/shared/ports.ts';
import { HttpSagaPayments, sagaRetry, WAIT_MS } from '../src/adapters/saga-services.ts';
import { startSaga } from '../src/modules/orders/saga/model.ts';
import { PostgresSagas } from '../src/modules/orders/saga/repository.ts';
import { SagaRunner } from '../src/modules/orders/saga/runner.ts';
import { addOrderRow, Crasher, Failures, FakeInventory, FakeOrders, openSagaDatabase } from './saga-fakes.ts';

let db: Database;
before(async () => {
  db = await openSagaDatabase();
});
after(() => db.close());

describe('the saga gives a charge up while payments is down', () => {
  it('after 2 x WAIT_MS + giveUpAfterMs, give or take one more try; the order is to be rejected payment_unavailable', async () => {
    const sagas = new PostgresSagas(db);
    const failures = new Failures();
    const inventory = new FakeInventory(new Crasher(), failures);
    inventory.stock.set('mug-blue', 10);
    const orders = new FakeOrders(new Crasher(), failures);
    orders.place('ord_down');
    await addOrderRow(db, 'ord_down');
    const clock = { now: () => new Date().toISOString() };
    await sagas.add(startSaga({ id: 'ord_down', customerId: 'ada', lines: [{ sku: 'mug-blue', quantity: 1 }], totalCents: 1200 }, clock.now()));
    const payments = new HttpSagaPayments(`http://127.0.0.1:${await closedPort()}`);
    const runner = new SagaRunner({ sagas, inventory, payments, orders, clock, pollMs: 20, log: () => {}, ...sagaRetry });
    const started = Date.now();
    runner.start();
    let gaveUpAt: number | undefined;
    while (Date.now() - started < 30_000) {
      const saga = await sagas.get('ord_down');
      if (saga?.log.some((e) => e.step === 'charge' && e.outcome === 'gave_up')) {
        gaveUpAt = Date.now();
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await runner.stop();
    assert.ok(gaveUpAt, 'the charge was given up');
    const elapsed = gaveUpAt - started;
    console.log(`charge given up ${(elapsed / 1000).toFixed(1)} s after the saga began (WAIT_MS ${WAIT_MS}, giveUpAfterMs ${sagaRetry.giveUpAfterMs})`);
    // The order is not final yet: the refund that closes the charge's key needs payments
    // back (a compensation is never given up), so it waits, and so does the stock's release.
    const saga = await sagas.get('ord_down');
    assert.deepEqual({ status: saga?.status, todo: saga?.todo, reason: saga?.reason }, { status: 'compensating', todo: ['refund', 'release', 'reject'], reason: 'payment_unavailable' });
    // the first command alone takes its two waits; the count of giveUpAfterMs starts after it
    const earliest = 2 * WAIT_MS + sagaRetry.giveUpAfterMs;
    assert.ok(elapsed >= earliest, `given up after ${elapsed} ms, before ${earliest} ms`);
    // at most one more command (two waits, and the backoff's 1 s cap) after the count runs out
    assert.ok(elapsed <= earliest + 2 * WAIT_MS + 1_000 + 500, `given up after ${elapsed} ms`);
  });
});
