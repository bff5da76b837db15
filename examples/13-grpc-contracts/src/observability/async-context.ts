// What carries the active span across `await` when AsyncLocalStorage cannot. In Node it
// can. In the browser's WebContainer (the workbench's in-browser runtime) AsyncLocalStorage
// is reported to lose its store across await (stackblitz/webcontainer-core#1169): there a
// child span would start a trace of its own and the trace view would show the request in
// pieces. So each process checks once, at start, and falls back to the context manager
// below where the check fails; the supervisor prints FALLBACK_NOTICE so the reader knows.
//
// No runtime imports: the supervisor runs the check without loading OpenTelemetry.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context, ContextManager } from '@opentelemetry/api';

// The tiny self-test: a value stored before two awaits (a promise and a timer) must still be
// there after them.
export async function asyncLocalStorageKeepsContext(): Promise<boolean> {
  try {
    const storage = new AsyncLocalStorage<string>();
    return await storage.run('kept', async () => {
      await Promise.resolve();
      await new Promise((resolve) => setTimeout(resolve, 1));
      return storage.getStore() === 'kept';
    });
  } catch {
    return false;
  }
}

export const FALLBACK_NOTICE =
  'tracing: AsyncLocalStorage loses context here; spans are linked by the innermost span still open in this process ' +
  '(exact while one request runs at a time; requests that overlap may be linked to each other).';

// #region open-spans
// The fallback: the active context is the one of the innermost `context.with()` whose work
// has not finished yet, promise included. A span's work stays "open" across its awaits, so a
// span started after an await still finds its parent. What it cannot tell apart is two
// pieces of work open at once in one process: the later one wins until it finishes.
export class OpenSpansContextManager implements ContextManager {
  private readonly root: Context;
  private open: { context: Context }[] = [];

  constructor(root: Context) {
    this.root = root;
  }

  active(): Context {
    return this.open.at(-1)?.context ?? this.root;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(context: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    const entry = { context };
    this.open.push(entry);
    const close = () => {
      this.open = this.open.filter((other) => other !== entry);
    };
    let result: ReturnType<F>;
    try {
      result = fn.call(thisArg, ...args);
    } catch (error) {
      close();
      throw error;
    }
    const pending = result as { then?: unknown } | undefined;
    if (pending && typeof pending.then === 'function') (result as PromiseLike<unknown>).then(close, close);
    else close();
    return result;
  }

  bind<T>(context: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const run = target as (...args: unknown[]) => unknown;
    const manager = this;
    return function (this: unknown, ...args: unknown[]) {
      return manager.with(context, () => run.apply(this, args));
    } as T;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.open = [];
    return this;
  }
}
// #endregion open-spans
