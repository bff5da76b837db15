// Shared by the tests: an in-memory Postgres (PGlite in this process) with every schema of
// the stage, the shop's and the payments service's, as the two services would leave it.
import { openDatabase } from '../src/adapters/database.ts';
import type { Database } from '../src/adapters/database.ts';
import { migrate } from '../src/adapters/migrations.ts';

export const SHOP_MIGRATIONS = new URL('../migrations/shop/', import.meta.url);
export const PAYMENTS_MIGRATIONS = new URL('../migrations/payments/', import.meta.url);

export async function openTestDatabase(): Promise<Database> {
  const { db } = await openDatabase();
  await migrate(db, SHOP_MIGRATIONS);
  await migrate(db, PAYMENTS_MIGRATIONS);
  return db;
}
