// Private to the orders module: work on an order that is waiting for an answer from the
// payments service, asked again every `everyMs` until the answer comes. A task returns true
// once it is done, false when payments still gives no answer; an error is logged and the
// task is tried again on the next round.
//
// This list lives in the shop's memory. If the shop process dies, the orders in it stay
// pending: chapter 9 keeps this state in the database, so a new process carries it on.

export type Task = () => Promise<boolean>;

export class AskAgain {
  private tasks = new Map<string, { run: Task; cancelNote?: string }>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private stopped = false;
  private everyMs: number;
  private print: (line: string) => void;

  constructor(options: { everyMs?: number; print?: (line: string) => void } = {}) {
    this.everyMs = options.everyMs ?? 1_000;
    this.print = options.print ?? ((line) => console.log(line));
  }

  // `what` names the call that went unanswered, for the log.
  add(orderId: string, what: string, run: Task): void {
    if (this.stopped) return;
    this.print(`orders: payments gave no answer for ${orderId}; ${what} is asked again every ${this.everyMs / 1000} s`);
    this.tasks.set(orderId, { run });
    this.arm();
  }

  has(orderId: string): boolean {
    return this.tasks.has(orderId);
  }

  // A customer cancelled an order that is waiting for its charge's answer. The task reads
  // this once the answer comes: only the task changes the order, so nothing races it.
  askCancel(orderId: string, note: string): boolean {
    const task = this.tasks.get(orderId);
    if (task) task.cancelNote = note;
    return task !== undefined;
  }

  // The note of the cancellation asked for, if one was.
  cancelAsked(orderId: string): string | undefined {
    return this.tasks.get(orderId)?.cancelNote;
  }

  waiting(): string[] {
    return [...this.tasks.keys()];
  }

  // One round: every task at once, so one slow answer does not hold up the others.
  async round(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await Promise.all(
        [...this.tasks].map(async ([orderId, task]) => {
          try {
            if (!(await task.run())) return;
            this.tasks.delete(orderId);
            this.print(`orders: payments answered for ${orderId}; it is settled`);
          } catch (error) {
            this.print(`orders: ${orderId} is still pending: ${(error as Error).message}; asking again in ${this.everyMs} ms`);
          }
        }),
      );
    } finally {
      this.running = false;
    }
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    if (this.timer || this.stopped || this.tasks.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.round();
    }, this.everyMs);
  }
}
