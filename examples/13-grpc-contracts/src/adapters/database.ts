// The shop's Postgres, two ways behind one type.
//
// - openDatabase(): PGlite, the real Postgres compiled to WebAssembly, inside this process.
//   The database process (src/database-main.ts) opens it and serves it over the Postgres
//   wire protocol; tests open an in-memory one.
// - connectDatabase(): ONE connection over that wire protocol, with the `pg` client. The shop
//   and the payments service each hold one. It looks like PGlite to the modules (query,
//   exec, transaction), so no module changed. Since stage 12 it connects to a URL
//   (DATABASE_URL): the database process's PGlite, or a real PostgreSQL server.
//
// A brand-new PGlite has to run initdb first, which takes seconds. So the first start saves
// the freshly initialised data directory as a tarball in the OS temp folder, and a new
// database is made from that instead, which is several times quicker.

import { PGlite } from '@electric-sql/pglite';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Database, Results, Transaction } from '../shared/ports.ts';
import { redacted } from './redact.ts';

// #region open-database
const pgliteVersion: string = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.resolve('@electric-sql/pglite')), 'utf8'),
).version;
const cacheFile = join(tmpdir(), 'shop-pglite', `fresh-${pgliteVersion}.tar.gz`);

// Postgres keeps a 128 MB buffer pool by default, and PGlite touches all of it as it starts.
// The shop's few hundred rows and Postgres's catalogue fit in 16 MB: a database opens a
// quarter quicker (1.9 -> 1.5 s of CPU, measured on a two-core machine) and takes about
// 60 MB less memory, in the reader's browser as well.
const smallBufferPool = { startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'] };

export async function openDatabase(dataDir?: string): Promise<{ db: PGlite; from: 'disk' | 'cache' | 'initdb' }> {
  // A data directory from an earlier run: just open it (after a crash, Postgres recovers
  // what was committed from its write-ahead log).
  if (dataDir && existsSync(join(dataDir, 'PG_VERSION'))) {
    const db = new PGlite({ ...smallBufferPool, dataDir });
    await db.waitReady;
    return { db, from: 'disk' };
  }

  let tarball: Buffer | undefined;
  try {
    tarball = readFileSync(cacheFile);
  } catch {
    // not made yet
  }
  if (tarball) {
    try {
      const db = new PGlite({ ...smallBufferPool, ...(dataDir ? { dataDir } : {}), loadDataDir: new Blob([new Uint8Array(tarball)]) });
      await db.waitReady;
      return { db, from: 'cache' };
    } catch {
      rmSync(cacheFile, { force: true }); // damaged: make it again below
    }
  }

  const db = new PGlite({ ...smallBufferPool, ...(dataDir ? { dataDir } : {}) });
  await db.waitReady;
  try {
    const fresh = Buffer.from(await (await db.dumpDataDir('gzip')).arrayBuffer());
    mkdirSync(join(cacheFile, '..'), { recursive: true });
    // Write beside it, then rename: a second shop starting at the same moment never
    // reads half a file.
    const partial = `${cacheFile}.${process.pid}`;
    writeFileSync(partial, fresh);
    renameSync(partial, cacheFile);
  } catch {
    // A read-only temp folder only means the next new database is slow to make too.
  }
  return { db, from: 'initdb' };
}
// #endregion open-database

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
// An error Postgres answered with (a broken rule, a bad query) has a SQLSTATE code; anything
// else means the connection itself is gone. So do two classes of codes that only a real
// server sends (stage 12): 08, connection exceptions, and 57P, the server shutting down or
// an administrator ending this session (pg_terminate_backend, a failover).
const connectionLost = (error: unknown) => !(error instanceof pg.DatabaseError) || /^(08|57P)/.test(error.code ?? '');
const READ_ONLY = /^\s*(SELECT|WITH)\b(?![\s\S]*\bFOR\s+UPDATE\b)/i;


// #region create-once
// Stage 12: on a real PostgreSQL the services' transactions really run side by side, and
// "CREATE TABLE IF NOT EXISTS" is not safe from two sessions at once: both see no table,
// both create it, and the second fails on a unique index of the catalogue. (PGlite ran one
// transaction at a time, so it never happened there.) A transaction-scoped advisory lock
// makes the services take turns; it is let go at COMMIT.
export const SCHEMA_LOCK = 1_202_312;
export async function createOnce(client: Pick<pg.Client, 'query'>, sql: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    await client.query(sql);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
// #endregion create-once

// #region connect-database
// One connection to the database process, shared by the whole service. Like PGlite, it runs
// one thing at a time: a transaction holds every other query of this service back until it
// commits, so a transaction here never sees another's statements.
//
// The database is now across a network, and its process can die and be restarted. So:
// - no connection (yet, or any more): wait for one, up to `waitMs`, then fail;
// - a read whose connection broke is simply asked again;
// - a write runs in a transaction that also records a random tag. If the connection breaks
//   before COMMIT was sent, nothing was saved and the transaction runs again. If it breaks
//   while COMMIT is on its way, the tag says afterwards whether it was saved: every write
//   happens exactly once, whatever the network does.
export function connectDatabase(options: { url: string; name: string; waitMs?: number; log?: (line: string) => void }): Database {
  const waitMs = options.waitMs ?? 15_000;
  const log = options.log ?? ((line: string) => console.log(line));
  let client: pg.Client | undefined;
  let closed = false;
  let lost = false;
  let commits = 0;
  let tail: Promise<unknown> = Promise.resolve();

  // one at a time, in the order asked
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = tail.then(fn, fn);
    tail = run.catch(() => {});
    return run;
  }

  function drop(broken: pg.Client): void {
    if (client === broken) client = undefined;
    lost = true;
    broken.end().catch(() => {});
  }

  async function connection(): Promise<pg.Client> {
    const deadline = Date.now() + waitMs;
    while (!client) {
      if (closed) throw new Error('the database connection is closed');
      const fresh = new pg.Client({ connectionString: options.url, application_name: options.name });
      fresh.on('error', () => drop(fresh));
      try {
        await fresh.connect();
        await createOnce(
          fresh,
          'CREATE TABLE IF NOT EXISTS public.committed_transactions (tag uuid PRIMARY KEY, committed_at timestamptz NOT NULL DEFAULT now())',
        );
        client = fresh;
        if (lost) log(`database connection is back (${options.name})`);
        lost = false;
      } catch (error) {
        fresh.end().catch(() => {});
        if (Date.now() > deadline) {
          throw new Error(`no database at ${redacted(options.url)} for ${waitMs / 1000} s: ${error instanceof Error ? error.message : String(error)}`);
        }
        await sleep(100);
      }
    }
    return client;
  }

  const results = <T>(r: pg.QueryResult): Results<T> => ({ rows: r.rows as T[], affectedRows: r.rowCount ?? 0 });

  // #region read-in-transaction
  // Stage 8 found this out with six services at once: the database process runs the
  // connections' messages one after another, but keeps a connection's messages together
  // only inside a transaction. A query with parameters is several messages (parse, bind,
  // execute), and two connections' could interleave and mix up their statements. So reads,
  // too, run in a (read-only) transaction of their own.
  async function read<T>(sql: string, params?: unknown[]): Promise<Results<T>> {
    for (let attempt = 1; ; attempt++) {
      const c = await connection();
      try {
        await c.query('BEGIN READ ONLY');
        try {
          return results<T>(await c.query(sql, params));
        } finally {
          await c.query('COMMIT'); // after an error this ends the transaction too
        }
      } catch (error) {
        if (!connectionLost(error) || attempt >= 5) throw error;
        drop(c);
      }
    }
  }
  // #endregion read-in-transaction

  async function write<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const c = await connection();
      const tag = randomUUID();
      let commitSent = false;
      let outcome: { value: T } | undefined;
      try {
        await c.query('BEGIN');
        let rolledBack = false;
        const tx: Transaction = {
          query: async <R>(sql: string, params?: unknown[]) => results<R>(await c.query(sql, params)),
          exec: (sql) => c.query(sql),
          rollback: async () => {
            await c.query('ROLLBACK');
            rolledBack = true;
          },
        };
        outcome = { value: await fn(tx) };
        if (rolledBack) return outcome.value;
        await c.query('INSERT INTO public.committed_transactions (tag) VALUES ($1)', [tag]);
        commitSent = true;
        await c.query('COMMIT');
        if (++commits % 500 === 0) {
          await c.query("DELETE FROM public.committed_transactions WHERE committed_at < now() - interval '10 minutes'");
        }
        return outcome.value;
      } catch (error) {
        if (!connectionLost(error)) {
          await c.query('ROLLBACK').catch(() => {});
          throw error;
        }
        drop(c);
        if (commitSent && outcome) {
          const saved = await read('SELECT 1 FROM public.committed_transactions WHERE tag = $1', [tag]);
          if (saved.rows.length === 1) return outcome.value;
        }
        if (attempt >= 5) throw error;
        log(`database connection lost during a transaction; it was not committed, running it again (${options.name})`);
      }
    }
  }

  return {
    query: <T>(sql: string, params?: unknown[]) =>
      exclusive(() => (READ_ONLY.test(sql) ? read<T>(sql, params) : write((tx) => tx.query<T>(sql, params)))),
    exec: (sql) => exclusive(() => write((tx) => tx.exec(sql))),
    transaction: (fn) => exclusive(() => write(fn)),
    async close() {
      closed = true;
      await exclusive(async () => {
        await client?.end().catch(() => {});
        client = undefined;
      });
    },
  };
}
// #endregion connect-database
