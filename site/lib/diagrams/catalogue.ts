// Every diagram the chapters draw, by id. Where the code has the data (the breaker's states,
// the order's statuses and the moves between them, the saga's steps), it is read from the
// stage at build time, so a changed state changes the picture; the rest are sequences the
// chapters describe, with the names the code uses checked against the code.
import { readConstant } from '../source-figures.ts';
import { afterStep, applyCancel, startSaga, type Outcome, type Saga, type Step } from '../../../examples/09-saga/src/modules/orders/saga/model.ts';
import type { Chart, Message, SequenceChart, StateChart } from './model.ts';
import { readList, readStageFile, readUnion } from './stage-source.ts';

// #region breaker
const breakerStage = '07-surviving-the-network';

/** The breaker's states as stage 07 names them, and the moves its policy makes between them. */
export function breakerStates(): StateChart {
  const states = readUnion(breakerStage, 'src/adapters/resilience.ts', 'BreakerState');
  const threshold = readConstant(breakerStage, 'src/adapters/http-payments.ts', 'breakerThreshold');
  const cooldownMs = readConstant(breakerStage, 'src/adapters/http-payments.ts', 'breakerCooldownMs');
  const transitions = [
    { from: 'closed', to: 'open', label: `${threshold} failures in a row` },
    { from: 'open', to: 'half-open', label: `${cooldownMs / 1000} s later` },
    { from: 'half-open', to: 'closed', label: 'the trial call succeeds' },
    { from: 'half-open', to: 'open', label: 'the trial call fails' },
  ];
  // cockatiel's manual hold: the wrapper never isolates, so the chart leaves it out. Any other
  // state the code gains must be drawn, or the build says so.
  const notDrawn = new Set(['isolated']);
  const drawn = states.filter((s) => !notDrawn.has(s));
  const moved = new Set(transitions.flatMap((t) => [t.from, t.to]));
  const undrawn = drawn.filter((s) => !moved.has(s));
  if (undrawn.length > 0) throw new Error(`stage ${breakerStage}'s BreakerState has ${undrawn.join(', ')}, which the breaker chart has no move for`);
  return {
    kind: 'states',
    id: 'breaker-states',
    title: "The circuit breaker's states",
    summary: `Closed: calls go through. After ${threshold} failures in a row it opens, and calls fail at once. ${cooldownMs / 1000} s later it is half-open: one trial call goes through, and its result closes or opens it again.`,
    states: drawn.map((id) => ({ id })),
    initial: 'closed',
    transitions,
  };
}
// #endregion breaker

// #region order-lifecycle
/** The stage whose code the order lifecycle is read from: the first one that cancels a confirmed order through a saga. */
export const lifecycleStage = '09-saga';
const moveLabels: Record<string, string> = {
  'pending->confirmed': 'stock reserved and card charged',
  'pending->rejected': 'out of stock, card declined or payments unreachable',
  'pending->cancelled': 'cancel asked before it settled',
  'confirmed->cancelled': 'cancel asked: card refunded, stock put back',
};

/** Read from `settle`: which statuses each final status may be reached from. */
export function orderMoves(source: string): { from: string; to: string }[] {
  const signature = /settle\(id: string, status: ((?:\s*\|?\s*'\w+')+)/.exec(source);
  const rule = /const from = status === '(\w+)' \? \[([^\]]*)\] : \[([^\]]*)\]/.exec(source);
  if (!signature || !rule) throw new Error(`examples/${lifecycleStage}/src/modules/orders/orders.ts: settle() no longer reads as the order lifecycle expects`);
  const names = (list: string) => [...list.matchAll(/'(\w+)'/g)].map((m) => m[1]!);
  return names(signature[1]!).flatMap((to) => names(to === rule[1] ? rule[2]! : rule[3]!).map((from) => ({ from, to })));
}

export function orderLifecycle(): StateChart {
  const states = readUnion(lifecycleStage, 'src/modules/orders/model.ts', 'OrderStatus');
  const moves = orderMoves(readStageFile(lifecycleStage, 'src/modules/orders/orders.ts'));
  const initial = /status: '(\w+)', createdAt/.exec(readStageFile(lifecycleStage, 'src/modules/orders/service.ts'))?.[1];
  if (!initial) throw new Error(`examples/${lifecycleStage}/src/modules/orders/service.ts: no new order's status found`);
  const transitions = moves.map(({ from, to }) => {
    const label = moveLabels[`${from}->${to}`];
    if (!label) throw new Error(`the order lifecycle has no words for ${from} → ${to}, a move stage ${lifecycleStage}'s settle() makes`);
    return { from, to, label };
  });
  return {
    kind: 'states',
    id: 'order-lifecycle',
    title: "An order's lifecycle",
    summary: `An order starts ${initial}. Its moves: ${transitions.map((t) => `${t.from} to ${t.to}: ${t.label}.`).join(' ')}`,
    states: states.map((id) => ({ id, final: !moves.some((m) => m.from === id) })),
    initial,
    transitions,
  };
}
// #endregion order-lifecycle

// #region saga
// Who does each step. The final steps write the order's status in the orders schema.
const stepOwner: Record<Step, string> = { reserve: 'inventory', release: 'inventory', charge: 'payments', refund: 'payments', confirm: 'orders', reject: 'orders', cancel: 'orders' };
const succeeded: Record<Step, Outcome> = { reserve: 'reserved', charge: 'captured', confirm: 'done', release: 'done', refund: 'done', reject: 'done', cancel: 'done' };

/** The steps one saga takes when the steps in `outcomes` come back so, the others succeeding: stage 09's own afterStep decides. */
export function sagaRun(outcomes: Partial<Record<Step, Outcome>>, { cancelOnceConfirmed = false } = {}): Saga['log'] {
  const now = '2026-01-01T00:00:00.000Z';
  const finish = (saga: Saga) => {
    while (saga.todo.length > 0) {
      const step = saga.todo[0]!;
      saga = afterStep(saga, step, outcomes[step] ?? succeeded[step], now);
    }
    return saga;
  };
  let saga = finish(startSaga({ id: 'o1', customerId: 'ada', lines: [], totalCents: 0 }, now));
  if (cancelOnceConfirmed) saga = finish(applyCancel({ ...saga, cancelRequested: true }, now));
  return saga.log;
}

const sagaPaths = {
  'saga-happy-path': { title: "The saga's happy path", outcomes: {}, when: 'every step succeeds' },
  'saga-out-of-stock': { title: 'Compensation: out of stock', outcomes: { reserve: 'out_of_stock' }, when: 'inventory has too little stock' },
  'saga-declined': { title: 'Compensation: the card is declined', outcomes: { charge: 'declined' }, when: 'the card is declined' },
  'saga-gave-up': { title: 'Compensation: payments never answers', outcomes: { charge: 'gave_up' }, when: 'the charge is given up' },
  'saga-cancelled': { title: 'Compensation: a confirmed order is cancelled', outcomes: {}, when: 'a confirmed order is cancelled', cancel: true },
} satisfies Record<string, { title: string; outcomes: Partial<Record<Step, Outcome>>; when: string; cancel?: boolean }>;
export type SagaPath = keyof typeof sagaPaths;

export function sagaPath(id: SagaPath): SequenceChart {
  const path: { title: string; outcomes: Partial<Record<Step, Outcome>>; when: string; cancel?: boolean } = sagaPaths[id];
  const log = sagaRun(path.outcomes, { cancelOnceConfirmed: path.cancel ?? false });
  const steps: Message[] = [];
  log.forEach((entry, i) => {
    if (path.cancel && log[i - 1]?.step === 'confirm') steps.push({ from: 'orders', to: 'orchestrator', label: 'POST /orders/:id/cancel sets the flag' });
    steps.push({ from: 'orchestrator', to: stepOwner[entry.step], label: entry.step });
    steps.push({ from: stepOwner[entry.step], to: 'orchestrator', label: entry.outcome, reply: true });
  });
  return {
    kind: 'sequence',
    id,
    title: path.title,
    summary: `When ${path.when}, the orchestrator runs ${log.map((e) => `${e.step} (${e.outcome})`).join(', then ')}.`,
    actors: ['orchestrator', 'inventory', 'payments', 'orders'],
    steps,
  };
}
// #endregion saga

// #region sequences
function lostAnswer(): SequenceChart {
  return {
    kind: 'sequence',
    id: 'lost-answer',
    title: 'A lost answer, and the retry that does not charge twice',
    summary: 'The shop asks payments to charge with an idempotency key. The card is charged, but the answer is lost. The shop times out and retries with the same key; payments finds the key and answers with the first charge instead of charging again.',
    actors: ['shop', 'payments', 'card processor'],
    steps: [
      { from: 'shop', to: 'payments', label: 'POST /payments, Idempotency-Key: k' },
      { from: 'payments', to: 'card processor', label: 'charge' },
      { from: 'card processor', to: 'payments', label: 'captured', reply: true },
      { from: 'payments', to: 'shop', label: '201 captured', reply: true, lost: true },
      { from: 'shop', to: 'shop', label: 'no answer in time: retry after a backoff' },
      { from: 'shop', to: 'payments', label: 'POST /payments, the same key k' },
      { from: 'payments', to: 'payments', label: 'k seen before: no second charge' },
      { from: 'payments', to: 'shop', label: '201, the first charge', reply: true },
    ],
  };
}

function publishAckCommit(): SequenceChart {
  const events = readList('08-message-broker', 'src/shared/events.ts', 'EVENT_TYPES');
  for (const name of ['OrderPlaced', 'StockReserved', 'OrderConfirmed']) {
    if (!events.includes(name)) throw new Error(`stage 08 has no event ${name}: the choreography diagram is out of date`);
  }
  return {
    kind: 'sequence',
    id: 'publish-ack-commit',
    title: 'Choreography, and when each side acknowledges',
    summary: 'The shop stores the order and its OrderPlaced event in one transaction, publishes it, and marks it published only after the broker\'s PUBACK. Inventory commits its effect, inbox row and answer event in one transaction before it sends its own PUBACK; a crash before that commit means the broker delivers the event again, and the inbox makes the second delivery change nothing.',
    actors: ['shop', 'broker', 'inventory'],
    steps: [
      { from: 'shop', to: 'shop', label: 'one transaction: the order (pending) and OrderPlaced in the outbox' },
      { from: 'shop', to: 'broker', label: 'PUBLISH OrderPlaced (QoS 1)' },
      { from: 'broker', to: 'shop', label: 'PUBACK', reply: true },
      { from: 'shop', to: 'shop', label: 'only now: the event marked published' },
      { from: 'broker', to: 'inventory', label: 'OrderPlaced' },
      { from: 'inventory', to: 'inventory', label: 'one transaction: inbox row, stock reserved, StockReserved in the outbox; commit' },
      { from: 'inventory', to: 'broker', label: 'PUBACK, after the commit', reply: true },
      { divider: 'A crash before that commit: no PUBACK, so the broker delivers OrderPlaced again, and the inbox row makes the second delivery change nothing.' },
      { from: 'inventory', to: 'broker', label: 'PUBLISH StockReserved' },
      { from: 'broker', to: 'shop', label: 'StockReserved' },
      { from: 'shop', to: 'shop', label: 'charges the card, then OrderConfirmed in the outbox' },
    ],
  };
}

function cancelBeforeOrder(): SequenceChart {
  // what the picture claims, checked against inventory's handlers in stage 08
  const products = readStageFile('08-message-broker', 'src/modules/inventory/products.ts');
  if (!/VALUES \(\$1, '\[\]', 'released'\)/.test(products) || !/if \(known\.rows\.length > 0\) return 'processed';/.test(products)) {
    throw new Error("examples/08-message-broker/src/modules/inventory/products.ts no longer records a cancellation it hears first, or no longer checks for it when the order comes: the cancel-before-order diagram is out of date");
  }
  return {
    kind: 'sequence',
    id: 'cancel-before-order',
    title: 'A cancellation that arrives before its order',
    summary: 'Inventory hears CancellationRequested for an order it has not heard of. It records the order as released, with no stock, and answers StockReleased. When OrderPlaced comes later, inventory finds that record and takes nothing.',
    actors: ['shop', 'broker', 'inventory'],
    steps: [
      { from: 'broker', to: 'inventory', label: 'CancellationRequested (order o1)' },
      { from: 'inventory', to: 'inventory', label: 'o1 unknown: a reservation row "released", no stock; StockReleased in the outbox' },
      { from: 'inventory', to: 'broker', label: 'PUBLISH StockReleased' },
      { from: 'broker', to: 'shop', label: 'StockReleased: the order is cancelled' },
      { divider: 'Later, on its own topic, OrderPlaced for o1 arrives.' },
      { from: 'broker', to: 'inventory', label: 'OrderPlaced (order o1)' },
      { from: 'inventory', to: 'inventory', label: 'o1 has a row already: takes nothing, answers nothing' },
    ],
  };
}

function leaseTimeline(): SequenceChart {
  // the fencing token is the attempt number: the claim raises it, and completing checks it
  const queue = readStageFile('10-scaling-out', 'src/shared/job-queue.ts');
  if (!/SET attempts = j\.attempts \+ 1/.test(queue) || !/locked_by = \$2 AND attempts = \$3/.test(queue)) {
    throw new Error("examples/10-scaling-out/src/shared/job-queue.ts no longer raises the attempt on a claim and checks it on completion: the lease diagram is out of date");
  }
  return {
    kind: 'sequence',
    id: 'lease-timeline',
    title: 'A lease that runs out, with the attempt number as fencing token',
    summary: 'Worker A claims a job as attempt 1 and stalls. Its lease runs out and worker B claims the job as attempt 2 and completes it. When A comes back and tries to complete attempt 1, the update matches no row, so A writes nothing.',
    actors: ['worker A', 'jobs table', 'worker B'],
    steps: [
      { from: 'worker A', to: 'jobs table', label: 'claim: attempts 0 → 1, lease to A' },
      { from: 'jobs table', to: 'worker A', label: 'the job, attempt 1', reply: true },
      { from: 'worker A', to: 'worker A', label: 'stalls mid-job' },
      { divider: 'The lease runs out: the job is free to claim again.' },
      { from: 'worker B', to: 'jobs table', label: 'claim: attempts 1 → 2, lease to B' },
      { from: 'jobs table', to: 'worker B', label: 'the job, attempt 2', reply: true },
      { from: 'worker B', to: 'jobs table', label: 'complete where B and attempt 2' },
      { from: 'jobs table', to: 'worker B', label: '1 row: effect and done mark committed', reply: true },
      { from: 'worker A', to: 'jobs table', label: 'complete where A and attempt 1' },
      { from: 'jobs table', to: 'worker A', label: '0 rows: nothing written', reply: true },
    ],
  };
}

function parallelRun(): SequenceChart {
  return {
    kind: 'sequence',
    id: 'parallel-run',
    title: 'One charge in the parallel run, with the flag at 0 %',
    summary: "The switch asks the payments module, the primary, and gives the caller its answer at once. It asks the payments service's shadow instance, which charges only the card sandbox, the same question; when both answers are in, it compares them and writes one entry to the diff log.",
    actors: ['switch', 'payments module', 'payments service'],
    steps: [
      { from: 'switch', to: 'payments module', label: 'charge (primary)' },
      { from: 'switch', to: 'payments service', label: 'the same charge, to its shadow (card sandbox)' },
      { from: 'payments module', to: 'switch', label: 'captured', reply: true },
      { from: 'switch', to: 'switch', label: "the caller gets the primary's answer" },
      { from: 'payments service', to: 'switch', label: 'captured (shadow)', reply: true },
      { from: 'switch', to: 'switch', label: 'compare: one entry in the diff log, same or DIFFERENT' },
    ],
  };
}
// #endregion sequences

const charts: Record<string, () => Chart> = {
  'breaker-states': breakerStates,
  'order-lifecycle': orderLifecycle,
  'lost-answer': lostAnswer,
  'publish-ack-commit': publishAckCommit,
  'cancel-before-order': cancelBeforeOrder,
  'lease-timeline': leaseTimeline,
  'parallel-run': parallelRun,
  ...Object.fromEntries(Object.keys(sagaPaths).map((id) => [id, () => sagaPath(id as SagaPath)])),
};

export const chartIds = Object.keys(charts);

export function chartOf(id: string): Chart {
  const make = charts[id];
  if (!make) throw new Error(`no diagram ${id}: the diagrams are ${chartIds.join(', ')}`);
  return make();
}
