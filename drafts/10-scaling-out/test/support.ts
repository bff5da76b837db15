// Shared by the draft's tests: an in-memory Postgres (PGlite in this process) with stage 08's
// notifications schema and the job queue's migration, as the notifications service leaves it.

import { openDatabase } from '../src/adapters/database.ts';
import type { Database } from '../src/adapters/database.ts';
import { migrate } from '../src/adapters/migrations.ts';
import type { OrderNews } from '../src/modules/notifications/index.ts';

export const STAGE_08_MIGRATIONS = new URL('../../../examples/08-message-broker/migrations/notifications/', import.meta.url);
export const JOB_MIGRATIONS = new URL('../migrations/notifications/', import.meta.url);

export async function migrateAll(db: Database): Promise<void> {
  await migrate(db, STAGE_08_MIGRATIONS);
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

// Stage 08's test helpers, and the contract package's free port.
export { eventually, sleep } from '../../../examples/08-message-broker/test/support.ts';
export { freePort } from '../../../examples/contract/src/launch.ts';
