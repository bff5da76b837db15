// The parallel run: while payments moves out of the shop, both implementations stay
// plugged in behind the same Payments interface. A flag says what share of orders the
// service handles; with `shadow` on, every call is also asked of the other implementation's
// shadow instance (which changes nothing) and the two answers are compared and logged.
// Both can be changed while the shop runs: PUT /ops/flags.

import type { Payment, Payments } from '../modules/payments/index.ts';
import { invalid } from '../shared/errors.ts';
import { isIntegerBetween, isObject } from '../shared/validate.ts';

export type Side = 'in-process' | 'service';
export type Flags = { paymentsService: number; shadow: boolean };

// #region validate-flags
// PUT /ops/flags takes any of the two flags; anything else is refused, naming the field.
export function validateFlags(body: unknown): Partial<Flags> {
  if (!isObject(body)) throw invalid('body must be a JSON object such as {"paymentsService": 50, "shadow": true}');
  const flags: Partial<Flags> = {};
  for (const [name, value] of Object.entries(body)) {
    if (name === 'paymentsService') {
      if (!isIntegerBetween(value, 0, 100)) throw invalid('paymentsService must be an integer from 0 to 100 (a percentage)');
      flags.paymentsService = value;
    } else if (name === 'shadow') {
      if (typeof value !== 'boolean') throw invalid('shadow must be true or false');
      flags.shadow = value;
    } else {
      throw invalid(`${name} is not a flag: the flags are paymentsService and shadow`);
    }
  }
  return flags;
}
// #endregion validate-flags

export type ShadowEntry = {
  at: string;
  call: 'charge' | 'refund' | 'listForOrder';
  orderId: string;
  // who answered the caller, and whose shadow instance was asked alongside
  primary: Side;
  same: boolean;
  answers: Record<Side, unknown>;
  ms: Record<Side, number>;
};

// An order always lands on the same side for a given percentage: the bucket is worked out
// from its id, so its charge and its refund go the same way.
export function bucketOf(orderId: string): number {
  let hash = 2166136261;
  for (let i = 0; i < orderId.length; i++) hash = Math.imul(hash ^ orderId.charCodeAt(i), 16777619);
  return (hash >>> 0) % 100;
}

// What is compared: what a caller could act on, not the ids a shadow makes up.
const payment = (p: Payment) => ({ orderId: p.orderId, amountCents: p.amountCents, status: p.status });
const describe = (answer: unknown) =>
  isObject(answer) && 'error' in answer ? `error: ${String(answer.error)}` : isObject(answer) && 'status' in answer ? `${String(answer.status)} ${String(answer.amountCents)}` : JSON.stringify(answer);

// #region parallel-run
export class PaymentsSwitch implements Payments {
  flags: Flags;
  log: ShadowEntry[] = [];
  served: Record<Side, number> = { 'in-process': 0, service: 0 };
  private impl: Record<Side, Payments>;
  private shadows: Record<Side, Payments>;
  private print: (line: string) => void;

  constructor(options: {
    inProcess: Payments;
    service: Payments;
    // the same two, built to answer without changing anything
    shadows: { inProcess: Payments; service: Payments };
    flags: Flags;
    print?: (line: string) => void;
  }) {
    this.impl = { 'in-process': options.inProcess, service: options.service };
    this.shadows = { 'in-process': options.shadows.inProcess, service: options.shadows.service };
    this.flags = { ...options.flags };
    this.print = options.print ?? ((line) => console.log(line));
  }

  // PUT /ops/flags: takes effect from the next call on.
  setFlags(change: Partial<Flags>): Flags {
    const before = { ...this.flags };
    Object.assign(this.flags, change);
    const onOff = (on: boolean) => (on ? 'on' : 'off');
    const changed = [
      ...(before.paymentsService !== this.flags.paymentsService ? [`paymentsService ${before.paymentsService} -> ${this.flags.paymentsService} %`] : []),
      ...(before.shadow !== this.flags.shadow ? [`parallel run ${onOff(before.shadow)} -> ${onOff(this.flags.shadow)}`] : []),
    ];
    this.print(
      `flags: ${changed.join(', ') || 'unchanged'} (now ${this.flags.paymentsService} % of orders to the payments service, ` +
        `parallel run ${onOff(this.flags.shadow)})`,
    );
    return { ...this.flags };
  }

  charge(orderId: string, amountCents: number): Promise<Payment> {
    return this.route('charge', orderId, (p) => p.charge(orderId, amountCents), payment);
  }

  refund(orderId: string): Promise<void> {
    return this.route('refund', orderId, (p) => p.refund(orderId), () => 'refunded');
  }

  listForOrder(orderId: string): Promise<Payment[]> {
    return this.route('listForOrder', orderId, (p) => p.listForOrder(orderId), (list) => list.map(payment));
  }

  // The caller gets the primary's answer as soon as it has it; the shadow's answer is
  // compared afterwards and never delays, changes or breaks what the caller gets.
  private route<T>(call: ShadowEntry['call'], orderId: string, ask: (p: Payments) => Promise<T>, view: (answer: T) => unknown): Promise<T> {
    const primary: Side = bucketOf(orderId) < this.flags.paymentsService ? 'service' : 'in-process';
    const other: Side = primary === 'service' ? 'in-process' : 'service';
    this.served[primary] += 1;
    const real = timed(() => ask(this.impl[primary]), view);
    if (this.flags.shadow) {
      const shadow = timed(() => ask(this.shadows[other]), view);
      void Promise.all([real, shadow]).then(([a, b]) => this.record({ call, orderId, primary, other, a, b }));
    }
    return real.then((r) => r.promise as Promise<T>);
  }
  // #endregion parallel-run

  private record(r: { call: ShadowEntry['call']; orderId: string; primary: Side; other: Side; a: Timed; b: Timed }): void {
    const same = JSON.stringify(r.a.view) === JSON.stringify(r.b.view);
    const entry: ShadowEntry = {
      at: new Date().toISOString(),
      call: r.call,
      orderId: r.orderId,
      primary: r.primary,
      same,
      answers: { [r.primary]: r.a.view, [r.other]: r.b.view } as Record<Side, unknown>,
      ms: { [r.primary]: r.a.ms, [r.other]: r.b.ms } as Record<Side, number>,
    };
    this.log.unshift(entry);
    this.log.length = Math.min(this.log.length, 100);
    const side = (s: Side) => `${s} ${describe(entry.answers[s])} (${entry.ms[s].toFixed(1)} ms)`;
    this.print(
      `parallel run: ${same ? 'same' : 'DIFFERENT'} ${r.call} ${r.orderId}: ${side('in-process')} | ${side('service')}; ${r.primary} answered`,
    );
  }

  // GET /ops/shadow-log
  report() {
    const compared = this.log.length;
    const different = this.log.filter((e) => !e.same).length;
    return { flags: this.flags, served: this.served, compared, same: compared - different, different, entries: this.log };
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;
type Timed = { promise: Promise<unknown>; view: unknown; ms: number };

// Runs one implementation's call, timing it, and keeps both its answer (for the caller)
// and a comparable view of it (an error becomes {error}).
async function timed<T>(run: () => Promise<T>, view: (answer: T) => unknown): Promise<Timed> {
  const started = performance.now();
  try {
    const answer = await run();
    return { promise: Promise.resolve(answer), view: view(answer), ms: round(performance.now() - started) };
  } catch (error) {
    const failed = Promise.reject(error);
    failed.catch(() => {});
    return { promise: failed, view: { error: error instanceof Error ? error.message : String(error) }, ms: round(performance.now() - started) };
  }
}
