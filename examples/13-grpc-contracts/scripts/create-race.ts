// Why migrations take a lock on a real PostgreSQL (createOnce in src/adapters/database.ts):
//
//   DATABASE_URL=postgres://shop:shop@127.0.0.1:5432/shop node scripts/create-race.ts
//
// Four sessions run the same CREATE TABLE IF NOT EXISTS at the same moment, as four services
// starting together do, 20 times without the lock and 20 times with it, and it counts the
// rounds in which a session failed. It creates and drops a table of its own (race_check).
// On PGlite the race cannot happen: it runs one transaction at a time.
import pg from 'pg';
import { createOnce } from '../src/adapters/database.ts';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('create-race.ts needs DATABASE_URL (a real PostgreSQL)');
  process.exit(1);
}
const SQL = 'CREATE TABLE IF NOT EXISTS public.race_check (tag uuid PRIMARY KEY)';

async function rounds(locked: boolean): Promise<{ failed: number; example?: string }> {
  let failed = 0;
  let example: string | undefined;
  for (let round = 0; round < 20; round++) {
    const sessions = await Promise.all([1, 2, 3, 4].map(async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      return client;
    }));
    await sessions[0]!.query('DROP TABLE IF EXISTS public.race_check');
    const results = await Promise.allSettled(sessions.map((c) => (locked ? createOnce(c, SQL) : c.query(SQL))));
    const errors = results.filter((r) => r.status === 'rejected');
    if (errors.length > 0) {
      failed += 1;
      example ??= String((errors[0] as PromiseRejectedResult).reason?.message);
    }
    await sessions[0]!.query('DROP TABLE IF EXISTS public.race_check');
    await Promise.all(sessions.map((c) => c.end()));
  }
  return { failed, ...(example ? { example } : {}) };
}

const without = await rounds(false);
console.log(`without the lock: ${without.failed} of 20 rounds had a session fail${without.example ? ` (${without.example})` : ''}`);
const withLock = await rounds(true);
console.log(`with createOnce:  ${withLock.failed} of 20 rounds had a session fail${withLock.example ? ` (${withLock.example})` : ''}`);
