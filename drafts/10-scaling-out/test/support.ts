// Shared by the draft's tests: an in-memory Postgres (PGlite in this process) with stage 07's
// shop schemas and the job queue's migration, as the notifications service would leave it.

import { openDatabase } from '../src/adapters/database.ts';
import type { Database } from '../src/adapters/database.ts';
import { migrate } from '../src/adapters/migrations.ts';
import type { OrderNews } from '../src/modules/notifications/index.ts';

export const STAGE_07_MIGRATIONS = new URL('../../../examples/07-surviving-the-network/migrations/shop/', import.meta.url);
export const JOB_MIGRATIONS = new URL('../migrations/notifications/', import.meta.url);

export async function migrateAll(db: Database): Promise<void> {
  await migrate(db, STAGE_07_MIGRATIONS);
  await migrate(db, JOB_MIGRATIONS);
}

export async function openTestDatabase(): Promise<Database> {
  const { db } = await openDatabase();
  await migrateAll(db);
  return db;
}

export function news(orderId: string, customerId = 'ada'): OrderNews {
  return { orderId, customerId, kind: 'order_confirmed', items: [{ sku: 'mug-blue', quantity: 2 }], totalCents: 2400 };
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
