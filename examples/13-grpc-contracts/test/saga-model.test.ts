// The saga's state machine on its own: which step comes next after each outcome, and which
// compensations a failure or a cancel leaves to do. No I/O.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { afterStep, applyCancel, giveUp, needsWork, startSaga, stepKey } from '../src/modules/orders/saga/model.ts';
import type { Outcome, Saga, Step } from '../src/modules/orders/saga/model.ts';

const T = '2026-11-29T18:00:00.000Z';
const fresh = () => startSaga({ id: 'ord_1', customerId: 'ada', lines: [{ sku: 'mug-blue', quantity: 2 }], totalCents: 2400 }, T);
const run = (saga: Saga, ...steps: [Step, Outcome][]) => steps.reduce((s, [step, outcome]) => afterStep(s, step, outcome, T), saga);
const plan = (saga: Saga) => ({ status: saga.status, todo: saga.todo, reason: saga.reason });

describe('the place-order saga', () => {
  it('starts with reserve, charge, confirm to do', () => {
    assert.deepEqual(plan(fresh()), { status: 'running', todo: ['reserve', 'charge', 'confirm'], reason: undefined });
    assert.equal(needsWork(fresh()), true);
  });

  it('goes forward step by step and ends confirmed, with a log of every step', () => {
    const saga = run(fresh(), ['reserve', 'reserved'], ['charge', 'captured'], ['confirm', 'done']);
    assert.deepEqual(plan(saga), { status: 'confirmed', todo: [], reason: undefined });
    assert.deepEqual(saga.log.map((e) => `${e.step} ${e.outcome}`), ['reserve reserved', 'charge captured', 'confirm done']);
    assert.equal(needsWork(saga), false);
  });

  it('out of stock: nothing to undo, the order is rejected out_of_stock', () => {
    assert.deepEqual(plan(run(fresh(), ['reserve', 'out_of_stock'])), { status: 'compensating', todo: ['reject'], reason: 'out_of_stock' });
    assert.deepEqual(plan(run(fresh(), ['reserve', 'unknown_sku'])), { status: 'compensating', todo: ['reject'], reason: 'unknown_sku' });
  });

  it('a declined card: the stock is released, then the order rejected payment_declined', () => {
    const saga = run(fresh(), ['reserve', 'reserved'], ['charge', 'declined']);
    assert.deepEqual(plan(saga), { status: 'compensating', todo: ['release', 'reject'], reason: 'payment_declined' });
    const done = run(saga, ['release', 'done'], ['reject', 'done']);
    assert.deepEqual(plan(done), { status: 'rejected', todo: [], reason: 'payment_declined' });
  });

  it('a charge given up (no answer for too long) is refunded too, newest first: refund, release, reject', () => {
    const saga = giveUp(run(fresh(), ['reserve', 'reserved']), T);
    assert.deepEqual(plan(saga), { status: 'compensating', todo: ['refund', 'release', 'reject'], reason: 'payment_unavailable' });
    assert.deepEqual(saga.log.at(-1), { step: 'charge', outcome: 'gave_up', at: T });
  });

  it('a reserve given up is released (its key stays released, should it arrive late)', () => {
    assert.deepEqual(plan(giveUp(fresh(), T)), { status: 'compensating', todo: ['release', 'reject'], reason: 'out_of_stock' });
  });

  it('only reserve and charge can be given up, and only the step due can be done', () => {
    assert.throws(() => giveUp(run(fresh(), ['reserve', 'reserved'], ['charge', 'captured']), T), /only reserve and charge/);
    assert.throws(() => afterStep(fresh(), 'charge', 'captured', T), /charge is not the step due \(reserve\)/);
  });

  it('a cancel between two steps undoes what was done, in reverse, and ends cancelled', () => {
    const afterReserve = { ...run(fresh(), ['reserve', 'reserved']), cancelRequested: true };
    assert.deepEqual(plan(applyCancel(afterReserve, T)), { status: 'compensating', todo: ['release', 'cancel'], reason: undefined });
    const beforeConfirm = { ...run(fresh(), ['reserve', 'reserved'], ['charge', 'captured']), cancelRequested: true };
    assert.deepEqual(applyCancel(beforeConfirm, T).todo, ['refund', 'release', 'cancel']);
    const cancelled = run(applyCancel(beforeConfirm, T), ['refund', 'done'], ['release', 'done'], ['cancel', 'done']);
    assert.deepEqual(plan(cancelled), { status: 'cancelled', todo: [], reason: undefined });
  });

  it('a confirmed order asked to cancel has work again: refund, release, cancel', () => {
    const confirmed = { ...run(fresh(), ['reserve', 'reserved'], ['charge', 'captured'], ['confirm', 'done']), cancelRequested: true };
    assert.equal(needsWork(confirmed), true);
    assert.deepEqual(plan(applyCancel(confirmed, T)), { status: 'compensating', todo: ['refund', 'release', 'cancel'], reason: undefined });
  });

  it('a cancel changes nothing while compensating, after a rejection, or when not asked', () => {
    const declined = { ...run(fresh(), ['reserve', 'reserved'], ['charge', 'declined']), cancelRequested: true };
    assert.equal(applyCancel(declined, T), declined);
    const rejected = { ...run(declined, ['release', 'done'], ['reject', 'done']), cancelRequested: true };
    assert.equal(applyCancel(rejected, T), rejected);
    assert.equal(needsWork(rejected), false);
    const notAsked = run(fresh(), ['reserve', 'reserved']);
    assert.equal(applyCancel(notAsked, T), notAsked);
  });

  it('every step has its key; a compensation carries the key of the step it undoes', () => {
    const saga = fresh();
    assert.equal(stepKey(saga, 'reserve'), 'saga-ord_1-reserve');
    assert.equal(stepKey(saga, 'release'), 'saga-ord_1-reserve');
    assert.equal(stepKey(saga, 'charge'), 'saga-ord_1-charge');
    assert.equal(stepKey(saga, 'refund'), 'saga-ord_1-charge');
    assert.notEqual(stepKey(saga, 'reserve'), stepKey({ id: 'ord_2' }, 'reserve'));
  });
});
