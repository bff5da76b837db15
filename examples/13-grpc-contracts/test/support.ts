// Shared by the tests: an in-memory Postgres (PGlite in this process) with every schema of
// the stage, as the four services would leave it.
import { readdirSync, readFileSync } from 'node:fs';
import { FakeCardProcessor } from '../src/adapters/card-processor.ts';
import { RandomIds } from '../src/adapters/clock-and-ids.ts';
import { openDatabase } from '../src/adapters/database.ts';
import type { Database } from '../src/shared/ports.ts';
import { migrate } from '../src/adapters/migrations.ts';
import { createPayments } from '../src/modules/payments/index.ts';
import type { Payments } from '../src/modules/payments/index.ts';
import type { OrderNews } from '../src/modules/notifications/index.ts';
export { freePort } from '../../contract/src/launch.ts';

export const MIGRATIONS = ['inventory', 'shop', 'notifications', 'payments'].map((name) => new URL(`../migrations/${name}/`, import.meta.url));

// Only the notifications schema (with the job queue's table): what a worker process needs.
export async function migrateNotifications(db: Database): Promise<void> {
  await migrate(db, new URL('../migrations/notifications/', import.meta.url));
}

// What the notifications module hears of an order: the payload of a notification job.
export function news(orderId: string, customerId = 'ada'): OrderNews {
  return { orderId, customerId, kind: 'order_confirmed', items: [{ sku: 'mug-blue', quantity: 2 }], totalCents: 2400 };
}

export async function openTestDatabase(): Promise<Database> {
  const { db } = await openDatabase();
  for (const dir of MIGRATIONS) await migrate(db, dir);
  return db;
}

// The pid of a service of a running stage, found in /proc (Linux): the process running
// `script` (e.g. 'payments-main.ts') with PORT=port in its environment.
export function pidOf(script: string, port: number): number | undefined {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (!cmdline.some((arg) => !arg.includes(' ') && arg.endsWith(`/${script}`))) continue;
      const environ = readFileSync(`/proc/${name}/environ`, 'utf8').split('\0');
      if (environ.includes(`PORT=${port}`)) return Number(name);
    } catch {
      // gone, or not ours
    }
  }
  return undefined;
}

// Is the process still there?
export const alive = (pid: number | undefined) => {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// Waits until `check` holds, up to `ms`.
export async function eventually(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`waited ${ms} ms for: ${what}`);
    await sleep(50);
  }
}

// The in-process payments module, handed to createApp by the tests that run the shop in one
// process (so they keep working once src/app.ts builds only the HTTP client: the exercise).
export function inProcessPayments(db: Database): Payments {
  return createPayments({ db, cards: new FakeCardProcessor(), ids: new RandomIds() });
}

// Polls GET /orders/:id until the order is final (or `until`), up to `ms`.
type SettledOrder = { id: string; status: string; reason?: string; totalCents: number; customerId: string };
export async function settle(url: string, orderId: string, ms = 10_000, until?: string): Promise<SettledOrder> {
  let order: SettledOrder = { id: orderId, status: 'pending', totalCents: 0, customerId: '' };
  await eventually(async () => {
    const res = await fetch(`${url}/orders/${orderId}`, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
    if (res?.status === 200) order = (await res.json()) as SettledOrder;
    return until ? order.status === until : order.status !== 'pending';
  }, ms, `order ${orderId} to be ${until ?? 'final'}`);
  return order;
}
