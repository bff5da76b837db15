// Shared by the tests: an in-memory Postgres (PGlite in this process) with every schema of
// the stage, the shop's and the payments service's, as the two services would leave it.
import { readdirSync, readFileSync } from 'node:fs';
import { FakeCardProcessor } from '../src/adapters/card-processor.ts';
import { RandomIds } from '../src/adapters/clock-and-ids.ts';
import { openDatabase } from '../src/adapters/database.ts';
import type { Database } from '../src/shared/ports.ts';
import { migrate } from '../src/adapters/migrations.ts';
import { createPayments } from '../src/modules/payments/index.ts';
import type { Payments } from '../src/modules/payments/index.ts';

export const SHOP_MIGRATIONS = new URL('../migrations/shop/', import.meta.url);
export const PAYMENTS_MIGRATIONS = new URL('../migrations/payments/', import.meta.url);

export async function openTestDatabase(): Promise<Database> {
  const { db } = await openDatabase();
  await migrate(db, SHOP_MIGRATIONS);
  await migrate(db, PAYMENTS_MIGRATIONS);
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
