// The saga's state in Postgres (PGlite in this process): saved transitions, a compare-and-set
// on the version, the log, the runner's question "which sagas have work?", and the schema rule.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../src/adapters/database.ts';
import { checkSchemaBoundaries } from '../src/adapters/migrations.ts';
import { afterStep, startSaga } from '../src/modules/orders/saga/model.ts';
import { PostgresSagas } from '../src/modules/orders/saga/repository.ts';
import { addOrderRow, openSagaDatabase } from './saga-fakes.ts';

const T1 = '2026-11-29T18:00:00.000Z';
const T2 = '2026-11-29T18:00:01.000Z';
let db: Database;
let sagas: PostgresSagas;
before(async () => {
  db = await openSagaDatabase();
  sagas = new PostgresSagas(db);
});
after(() => db.close());

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
    assert.equal(await sagas.save(saga, next), true);
    const stored = await sagas.get('ord_r2');
    assert.deepEqual(stored, { ...next, version: 1 });
    assert.deepEqual(stored?.log, [{ step: 'reserve', outcome: 'reserved', at: T2 }]);
  });

  it('a transition from a stale copy is refused and changes nothing (compare-and-set on the version)', async () => {
    const saga = await newSaga('ord_r3');
    const first = afterStep(saga, 'reserve', 'reserved', T2);
    assert.equal(await sagas.save(saga, first), true);
    assert.equal(await sagas.save(saga, afterStep(saga, 'reserve', 'out_of_stock', T2)), false);
    assert.deepEqual((await sagas.get('ord_r3'))?.todo, ['charge', 'confirm']);
    assert.equal((await sagas.get('ord_r3'))?.log.length, 1);
  });

  it('lists the sagas with work, oldest first: unfinished ones, and confirmed ones asked to cancel', async () => {
    let done = await newSaga('ord_r4');
    for (const [step, outcome] of [['reserve', 'reserved'], ['charge', 'captured'], ['confirm', 'done']] as const) {
      const next = afterStep(done, step, outcome, T2);
      assert.ok(await sagas.save(done, next));
      done = { ...next, version: done.version + 1 };
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
    assert.equal(await sagas.save(saga, afterStep(saga, 'reserve', 'reserved', T2)), true);
    assert.equal((await sagas.get('ord_r5'))?.cancelRequested, true);
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
