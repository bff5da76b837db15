// Private to the orders module: the orchestrator's engine. It finds every saga with work left
// (on start too, which is how a saga resumes after a crash), runs its next step against the
// other services, saves the transition, and goes on until the saga is finished.

import type { Clock } from '../../../shared/ports.ts';
import { afterStep, applyCancel, giveUp, needsWork, stepKey } from './model.ts';
import type { Outcome, Saga, Step } from './model.ts';
import type { SagaInventory, SagaOrders, SagaPayments } from './ports.ts';

// What the runner needs of the saga store (PostgresSagas; the tests may wrap it).
export interface SagaStore {
  get(id: string): Promise<Saga | undefined>;
  // the saga as saved, or undefined when another runner saved a transition first
  save(previous: Saga, next: Saga): Promise<Saga | undefined>;
  withWork(limit: number): Promise<string[]>;
}

export type RunnerOptions = {
  sagas: SagaStore;
  inventory: SagaInventory;
  payments: SagaPayments;
  orders: SagaOrders;
  clock: Clock;
  // how often to look for sagas with work when nobody wakes the runner
  pollMs?: number;
  // how long to wait before trying a failing step again (src/orchestrator-main.ts hands in
  // stage 7's backoff with full jitter) ...
  retryDelay?: (attempt: number) => number;
  // ... and a forward step that has failed for this long is given up and compensated
  giveUpAfterMs?: number;
  now?: () => number;
  log?: (line: string) => void;
  // stage 11: runs one step, e.g. in a span of the saga's trace (src/orchestrator-main.ts)
  traceStep?: (saga: Saga, step: Step, work: () => Promise<Outcome>) => Promise<Outcome>;
};

const BATCH = 100;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

// #region perform-step
// One step, as a command to the service that owns it, under the step's key.
function perform(options: RunnerOptions, saga: Saga, step: Step): Promise<Outcome> {
  const key = stepKey(saga, step);
  const done = (): Outcome => 'done';
  // stage 13: the forward steps carry the order's deadline; the compensations never do
  const deadline = saga.deadline === undefined ? undefined : Date.parse(saga.deadline);
  switch (step) {
    case 'reserve':
      return options.inventory.reserve(key, saga.lines, deadline);
    case 'charge':
      return options.payments.charge(key, saga.id, saga.totalCents, deadline);
    case 'release':
      return options.inventory.release(key).then(done);
    case 'refund':
      return options.payments.refund(key, saga.id, saga.totalCents).then(done);
    case 'confirm':
      return options.orders.settle(saga.id, 'confirmed').then(done);
    case 'reject':
      return options.orders.settle(saga.id, 'rejected', saga.reason).then(done);
    case 'cancel':
      return options.orders.settle(saga.id, 'cancelled').then(done);
  }
}
// #endregion perform-step

export class SagaRunner {
  private options: Required<RunnerOptions>;
  private active = new Map<string, Promise<void>>();
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  // the experiment's pause: sagas hold after this step until resume() (or a restart)
  private pauseAfter: Step | undefined;
  private held = new Set<string>();
  private release: (() => void) | undefined;
  private released = Promise.resolve();

  constructor(options: RunnerOptions) {
    this.options = {
      pollMs: 200,
      retryDelay: (attempt) => Math.min(1_000, 50 * 2 ** (attempt - 1)),
      giveUpAfterMs: 5_000,
      now: Date.now,
      log: (line) => console.log(line),
      traceStep: (_saga, _step, work) => work(),
      ...options,
    };
  }

  // #region drive-saga
  // Runs one saga until it is finished (or held by the pause). Each round runs the step
  // due and commits the transition before the next round: no transaction is open while a
  // service is called, and a crash anywhere loses at most the step in flight, which the next
  // runner sends again under the same key. The saga is read from the database at the start,
  // after a pause and after a failed call; after a commit the saved saga is the one to go on
  // from (save answers it, with the shop's cancel flag as it is now).
  private async drive(id: string): Promise<void> {
    const { log, now, retryDelay, giveUpAfterMs } = this.options;
    let failingSince: number | undefined;
    let attempt = 0;
    let current = await this.options.sagas.get(id);
    while (!this.stopped) {
      const saga = current;
      if (!saga || !needsWork(saga)) return;
      const turned = applyCancel(saga, this.options.clock.now());
      if (turned !== saga) {
        current = await this.commit(saga, turned, 'cancel requested: undoing what was done');
        continue;
      }
      if (this.pauseAfter !== undefined && saga.log.at(-1)?.step === this.pauseAfter) {
        await this.hold(saga);
        current = await this.options.sagas.get(id);
        continue;
      }
      const step = saga.todo[0] as Step;
      let next: Saga;
      let what: string;
      try {
        const outcome = await this.options.traceStep(saga, step, () => perform(this.options, saga, step));
        next = afterStep(saga, step, outcome, this.options.clock.now());
        what = `${step} -> ${outcome}`;
        failingSince = undefined;
        attempt = 0;
      } catch (error) {
        failingSince ??= now();
        const forward = step === 'reserve' || step === 'charge';
        // stage 13: past the order's deadline, a forward step is given up at once
        const late = saga.deadline !== undefined && Date.parse(this.options.clock.now()) >= Date.parse(saga.deadline);
        if (!forward || (now() - failingSince < giveUpAfterMs && !late)) {
          const delay = retryDelay(++attempt);
          log(`saga ${id}: ${step} failed (${message(error)}); trying again in ${delay} ms`);
          await sleep(delay);
          current = await this.options.sagas.get(id);
          continue;
        }
        next = giveUp(saga, this.options.clock.now());
        what = late ? `${step} gave up: the order's deadline passed` : `${step} gave up after ${Math.round((now() - failingSince) / 1000)} s of failures`;
        failingSince = undefined;
        attempt = 0;
      }
      current = await this.commit(saga, next, what);
    }
  }
  // #endregion drive-saga

  // Saves a transition and answers the saga as saved (undefined: leave it, another runner has it).
  private async commit(saga: Saga, next: Saga, what: string): Promise<Saga | undefined> {
    const saved = await this.options.sagas.save(saga, next);
    if (!saved) {
      this.options.log(`saga ${saga.id}: moved on by another runner; leaving it`);
      return undefined;
    }
    const then = next.todo.length > 0 ? `next: ${next.todo.join(', ')}` : `finished: ${next.status}`;
    this.options.log(`saga ${saga.id}: ${what}; ${then}`);
    return saved;
  }

  private async hold(saga: Saga): Promise<void> {
    if (!this.held.has(saga.id)) this.options.log(`saga ${saga.id}: paused after ${this.pauseAfter} (next: ${saga.todo[0]})`);
    this.held.add(saga.id);
    await this.released;
    this.held.delete(saga.id);
  }

  // #region pause
  // The experiment's control: hold every saga once it has done `after`, until resume(). It
  // lives in this process's memory only, so a crash of the orchestrator lifts it: the
  // restarted runner finds the held sagas in the database and carries them on.
  pause(after: Step): void {
    this.pauseAfter = after;
    if (!this.release) this.released = new Promise<void>((resolve) => (this.release = resolve));
    this.options.log(`sagas pause after ${after} until resumed`);
  }

  resume(): void {
    this.pauseAfter = undefined;
    this.release?.();
    this.release = undefined;
    this.released = Promise.resolve();
    this.options.log('sagas resumed');
  }

  pauseState(): { after: Step | null; held: string[] } {
    return { after: this.pauseAfter ?? null, held: [...this.held].sort() };
  }
  // #endregion pause

  // One look for sagas with work: starts a driver for each one not driven yet. Resolves
  // once those drivers are started (runAll waits for them to finish).
  async runRound(): Promise<number> {
    const ids = await this.options.sagas.withWork(BATCH);
    let started = 0;
    for (const id of ids) {
      if (this.active.has(id)) continue;
      const driving = this.drive(id)
        .catch((error) => this.options.log(`saga ${id}: ${message(error)}; will resume it on the next round`))
        .finally(() => this.active.delete(id));
      this.active.set(id, driving);
      started++;
    }
    return started;
  }

  // Rounds until no saga has work left (tests; and a one-shot run).
  async runAll(): Promise<void> {
    for (;;) {
      await this.runRound();
      if (this.active.size === 0) return;
      await Promise.all(this.active.values());
    }
  }

  // #region resume-on-start
  // Looks for work every pollMs, or at once when woken. The first round runs at start: it
  // picks up every saga a crashed orchestrator left half done.
  start(): void {
    this.loop ??= (async () => {
      while (!this.stopped) {
        this.woken = false;
        try {
          await this.runRound();
        } catch (error) {
          this.options.log(`sagas: cannot look for work (${message(error)}); trying again`);
        }
        if (this.woken || this.stopped) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.pollMs);
          this.wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wakeUp = undefined;
      }
    })();
  }
  // #endregion resume-on-start

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  // Stops looking for work and lets the steps in flight finish (held sagas stay where they are).
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    this.release?.();
    await this.loop;
    await Promise.all(this.active.values());
  }
}
