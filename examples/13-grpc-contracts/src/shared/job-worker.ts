// One competing worker: claims a job, runs it, completes it, and asks for the next. Stage 10
// runs several, each in its own process (src/worker-main.ts), all claiming from the same
// table; none knows the others exist. The queue (job-queue.ts) makes sure that each job is
// done by exactly one of them.

import type { Effect, Job, JobQueue } from './job-queue.ts';

// #region handler-type
// A handler does the slow part of a job (rendering, calling a provider...) outside any
// transaction, and returns what to write when it is done: the queue commits that together
// with the done mark. `signal` aborts when the worker is asked to stop and cannot wait.
export type JobHandler = (job: Job, signal: AbortSignal) => Promise<Effect | undefined>;
// #endregion handler-type

export type WorkerSnapshot = {
  worker: string;
  state: 'idle' | 'working' | 'stopping' | 'stopped';
  current?: { jobId: string; kind: string; key: string; attempt: number; forMs: number };
  done: number;
  failed: number;
  leaseLost: number;
  // the latest jobs this worker finished, newest first
  history: { jobId: string; key: string; attempt: number; outcome: 'done' | 'retry' | 'dead' | 'lease-lost' | 'released'; ms: number }[];
};

const HISTORY = 20;

export class JobWorker {
  readonly id: string;
  private queue: JobQueue;
  private handlers: Record<string, JobHandler>;
  private pollMs: number;
  private log: (line: string) => void;
  private onDone: (job: Job) => void;
  private onStart: (job: Job) => void;
  private around: (job: Job, turn: () => Promise<void>) => Promise<void>;
  private stopping = false;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private wokenEarly = false;
  private current: { job: Job; since: number; abort: AbortController } | undefined;
  private counts = { done: 0, failed: 0, leaseLost: 0 };
  private history: WorkerSnapshot['history'] = [];

  constructor(options: {
    id: string;
    queue: JobQueue;
    handlers: Record<string, JobHandler>;
    // how long to wait before asking again when the queue was empty
    pollMs?: number;
    log?: (line: string) => void;
    // after a job's done mark committed (the place for "email sent" in the log)
    onDone?: (job: Job) => void;
    // when a claimed job starts (src/worker-main.ts uses it for POST /ops/crash)
    onStart?: (job: Job) => void;
    // stage 11: runs one job's whole turn (handler, completion, log lines), e.g. in a span
    // of the trace that enqueued it (src/worker-main.ts)
    around?: (job: Job, turn: () => Promise<void>) => Promise<void>;
  }) {
    this.id = options.id;
    this.queue = options.queue;
    this.handlers = options.handlers;
    this.pollMs = options.pollMs ?? 250;
    this.log = options.log ?? ((line) => console.log(line));
    this.onDone = options.onDone ?? (() => {});
    this.onStart = options.onStart ?? (() => {});
    this.around = options.around ?? ((_job, turn) => turn());
  }

  start(): void {
    this.loop ??= this.run();
  }

  // #region wake-up
  // Asks for work now instead of at the end of the poll interval. Polling alone is correct
  // (a job waits at most pollMs); a wake-up only makes it quicker. Over pglite-socket, one
  // connection's NOTIFY never reaches another's LISTEN, so stages 10-11 poll; under a real
  // PostgreSQL, src/adapters/job-wake-up.ts calls this on every NOTIFY. A wake-up that comes
  // while the worker is busy (or mid-claim) is kept, so the next wait ends at once.
  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.wokenEarly = true;
  }
  // #endregion wake-up

  // #region worker-loop
  private async run(): Promise<void> {
    while (!this.stopping) {
      let job: Job | undefined;
      try {
        job = await this.queue.claim(this.id);
      } catch (error) {
        this.log(`${this.id}: could not claim a job (${(error as Error).message}); trying again`);
      }
      if (!job) {
        await this.idle();
        continue;
      }
      // Straight on to the next claim when this one is done: a busy queue is never polled.
      await this.around(job, () => this.work(job));
    }
  }

  private async work(job: Job): Promise<void> {
    const abort = new AbortController();
    const since = Date.now();
    this.current = { job, since, abort };
    this.onStart(job);
    let outcome: WorkerSnapshot['history'][number]['outcome'];
    try {
      const handler = this.handlers[job.kind];
      if (!handler) throw new Error(`no handler for jobs of kind ${job.kind}`);
      const effect = await handler(job, abort.signal);
      if (this.current?.job !== job) return; // released by stop() meanwhile
      outcome = (await this.queue.complete(job, effect)) ? 'done' : 'lease-lost';
    } catch (error) {
      if (this.current?.job !== job) return;
      const message = error instanceof Error ? error.message : String(error);
      outcome = await this.queue.fail(job, message).catch(() => 'lease-lost' as const);
      this.log(`${this.id}: ${job.kind} ${job.key} failed on attempt ${job.attempts} (${message}); ${outcome === 'dead' ? 'dead, gave up' : outcome}`);
    }
    this.current = undefined;
    this.record(job, outcome, Date.now() - since);
  }
  // #endregion worker-loop

  private record(job: Job, outcome: WorkerSnapshot['history'][number]['outcome'], ms: number): void {
    if (outcome === 'done') this.counts.done++;
    else if (outcome === 'lease-lost') this.counts.leaseLost++;
    else if (outcome !== 'released') this.counts.failed++;
    this.history.unshift({ jobId: job.id, key: job.key, attempt: job.attempts, outcome, ms });
    this.history.length = Math.min(this.history.length, HISTORY);
    if (outcome === 'done') {
      this.onDone(job);
      this.log(`${this.id}: did ${job.kind} ${job.key} (job ${job.id}, attempt ${job.attempts}, ${ms} ms)`);
    }
    if (outcome === 'lease-lost') this.log(`${this.id}: lost the lease on ${job.key} (job ${job.id}); another worker has it, nothing written`);
  }

  private idle(): Promise<void> {
    if (this.wokenEarly) {
      this.wokenEarly = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.pollMs);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wakeUp = undefined;
        resolve();
      }
      this.wakeUp = done;
    });
  }

  // #region graceful-stop
  // SIGTERM: claim nothing more, and give the job in hand `graceMs` to finish. If it does
  // not, hand it back (release) so another worker takes it at once instead of waiting for
  // the lease to run out; its late result then finds the claim gone and writes nothing.
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.wake();
    if (!this.loop) return;
    const finished = await Promise.race([this.loop.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), graceMs))]);
    const left = this.current;
    if (!finished && left) {
      this.current = undefined;
      left.abort.abort();
      const released = await this.queue.release(left.job).catch(() => false);
      this.record(left.job, released ? 'released' : 'lease-lost', Date.now() - left.since);
      this.log(`${this.id}: stopping; ${left.job.key} ${released ? 'handed back to the queue' : 'was not ours any more'}`);
    }
    this.stopped = true;
  }
  // #endregion graceful-stop

  snapshot(): WorkerSnapshot {
    const current = this.current;
    return {
      worker: this.id,
      state: this.stopped ? 'stopped' : this.stopping ? 'stopping' : current ? 'working' : 'idle',
      ...(current
        ? { current: { jobId: current.job.id, kind: current.job.kind, key: current.job.key, attempt: current.job.attempts, forMs: Date.now() - current.since } }
        : {}),
      ...this.counts,
      history: [...this.history],
    };
  }
}
