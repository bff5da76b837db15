// Private to the orders module: the place-order saga as a state machine. Pure functions, no
// I/O: what the saga is, which step comes next, and what a step's outcome does to the plan.
// The runner (runner.ts) performs the steps and saves every transition (repository.ts).

import type { RejectReason } from '../model.ts';

// #region saga-steps
// Three steps forward: reserve the stock, charge the card, confirm the order. Each step that
// changes another service has a compensation that undoes it: release undoes reserve, refund
// undoes charge. There is no distributed transaction: when a step fails, the saga runs the
// compensations of the steps that took effect, newest first, and ends the order rejected.
export type ForwardStep = 'reserve' | 'charge' | 'confirm';
export type Compensation = 'release' | 'refund';
// the last step of every saga: the order's final status, written in the orders schema
export type FinalStep = 'confirm' | 'reject' | 'cancel';
export type Step = ForwardStep | Compensation | FinalStep;

export const FORWARD: readonly ForwardStep[] = ['reserve', 'charge', 'confirm'];
export const COMPENSATION: Record<'reserve' | 'charge', Compensation> = { reserve: 'release', charge: 'refund' };

// What a step can come back with. `gave_up`: the step kept failing without an answer (the
// service down, timeouts) for too long. Its effect is then unknown, so it is compensated as
// if it had happened; the compensation is keyed to the step, so it also cancels a late one.
export type Outcome = 'reserved' | 'out_of_stock' | 'unknown_sku' | 'captured' | 'declined' | 'done' | 'gave_up';
// #endregion saga-steps

export type SagaStatus = 'running' | 'compensating' | 'confirmed' | 'rejected' | 'cancelled';
export type StockLine = { sku: string; quantity: number };
export type SagaLogEntry = { step: Step; outcome: Outcome; at: string };

// #region saga-state
// Everything the saga needs to carry on after a crash, saved after every step: the order's
// facts, the steps still to do and the log of the steps done.
export type Saga = {
  id: string; // the order's id: one saga per order
  customerId: string;
  lines: StockLine[];
  totalCents: number;
  status: SagaStatus;
  todo: Step[]; // the steps still to run, in order; empty once finished
  log: SagaLogEntry[]; // the steps that ran, in order, with their outcomes
  reason?: RejectReason;
  // set by POST /orders/:id/cancel; the runner acts on it between two steps
  cancelRequested: boolean;
  version: number; // +1 on every saved transition: two writers cannot both advance it
  createdAt: string;
  updatedAt: string;
  // stage 11: the trace context of the POST /orders that started it (W3C traceparent, baggage)
  trace?: Record<string, string>;
  // stage 13: when the forward steps must be done by (ISO time): the POST /orders's deadline
  deadline?: string;
};
// #endregion saga-state

export const FINAL: readonly SagaStatus[] = ['confirmed', 'rejected', 'cancelled'];
export const isFinished = (saga: Saga) => saga.todo.length === 0;

// The key that names one step of one saga. The services remember the keys they have seen, so
// a step that is run again after a crash is applied once. A compensation carries the key of
// the step it undoes: release names the reservation, refund names the charge.
export function stepKey(saga: Pick<Saga, 'id'>, step: Step): string {
  const target = step === 'release' ? 'reserve' : step === 'refund' ? 'charge' : step;
  return `saga-${saga.id}-${target}`;
}

// #region order-deadline
// Stage 13: the deadline of the request that placed the order, kept with its saga. The saga
// outlives that request (the answer is 202, pending), but what it promised stands: by the
// deadline the order is settled or being undone. Every forward step's RPC gets the time left
// as its deadline (at most its own 2 s), and a step still failing at the deadline is given up
// at once. Undoing (release, refund) has no deadline: it must happen, however late.
export const ORDER_BUDGET_MS = 30_000;

export function orderDeadline(placedAt: string, budgetMs: number | undefined): string {
  const budget = budgetMs === undefined ? ORDER_BUDGET_MS : Math.min(budgetMs, ORDER_BUDGET_MS);
  return new Date(Date.parse(placedAt) + budget).toISOString();
}
// #endregion order-deadline

export function startSaga(order: { id: string; customerId: string; lines: StockLine[]; totalCents: number }, now: string, deadline?: string): Saga {
  return {
    id: order.id,
    customerId: order.customerId,
    lines: order.lines.map(({ sku, quantity }) => ({ sku, quantity })),
    totalCents: order.totalCents,
    status: 'running',
    todo: [...FORWARD],
    log: [],
    cancelRequested: false,
    version: 0,
    createdAt: now,
    updatedAt: now,
    ...(deadline ? { deadline } : {}),
  };
}

// #region transitions
// The compensations still owed: one for every step that took effect (or may have: gave_up),
// newest first, then the final step.
function unwind(saga: Saga, log: SagaLogEntry[], end: 'reject' | 'cancel', reason: RejectReason | undefined, now: string): Saga {
  const undo = log
    .filter((entry) => (entry.step === 'reserve' || entry.step === 'charge') && ['reserved', 'captured', 'gave_up'].includes(entry.outcome))
    .map((entry) => COMPENSATION[entry.step as 'reserve' | 'charge'])
    .reverse();
  return { ...saga, log, status: 'compensating', todo: [...undo, end], ...(reason ? { reason } : {}), updatedAt: now };
}

// A step came back with `outcome`: the next state. The step must be the one due (todo[0]).
export function afterStep(saga: Saga, step: Step, outcome: Outcome, now: string): Saga {
  if (saga.todo[0] !== step) throw new Error(`saga ${saga.id}: ${step} is not the step due (${saga.todo[0] ?? 'none'})`);
  const log = [...saga.log, { step, outcome, at: now }];
  if (outcome === 'out_of_stock' || outcome === 'unknown_sku') return unwind(saga, log, 'reject', outcome, now);
  if (outcome === 'declined') return unwind(saga, log, 'reject', 'payment_declined', now);
  // A charge given up is not a declined card: payments did not answer, so the customer is
  // told the shop could not reach payments (payment_unavailable), and may simply try again.
  if (outcome === 'gave_up') return unwind(saga, log, 'reject', step === 'reserve' ? 'out_of_stock' : 'payment_unavailable', now);
  const todo = saga.todo.slice(1);
  if (todo.length > 0) return { ...saga, log, todo, updatedAt: now };
  const status: SagaStatus = step === 'confirm' ? 'confirmed' : step === 'cancel' ? 'cancelled' : 'rejected';
  return { ...saga, log, todo, status, updatedAt: now };
}

// A step that kept failing is given up: logged as such and compensated.
export function giveUp(saga: Saga, now: string): Saga {
  const step = saga.todo[0];
  if (step !== 'reserve' && step !== 'charge') throw new Error(`saga ${saga.id}: only reserve and charge can be given up, not ${step}`);
  return afterStep(saga, step, 'gave_up', now);
}

// A cancel asked for: taken into account between two steps. A saga still going forward, or
// one that confirmed its order, turns round and undoes what it did; one that is compensating
// or finished otherwise is left alone (its order is being, or was, rejected or cancelled).
export function applyCancel(saga: Saga, now: string): Saga {
  if (!saga.cancelRequested) return saga;
  const goingForward = saga.status === 'running' && FORWARD.includes(saga.todo[0] as ForwardStep);
  if (!goingForward && saga.status !== 'confirmed') return saga;
  return unwind(saga, saga.log, 'cancel', undefined, now);
}
// #endregion transitions

// Does the runner have work on this saga? (unfinished, or a confirmed one asked to cancel)
export function needsWork(saga: Saga): boolean {
  return !isFinished(saga) || (saga.cancelRequested && saga.status === 'confirmed');
}
