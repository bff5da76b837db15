// Optional: the queue under a REAL PostgreSQL, where transactions do overlap. PGlite runs one
// transaction at a time, so on it SKIP LOCKED never has a locked row to skip; here it does.
// The test starts a throwaway server from the machine's PostgreSQL (Debian's
// /usr/lib/postgresql/N/bin) and reports itself SKIPPED, never passed, when it cannot.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { connectDatabase } from '../src/adapters/database.ts';
import type { Database } from '../src/shared/ports.ts';
import { listenForJobs } from '../src/adapters/job-wake-up.ts';
import { JobQueue } from '../src/shared/job-queue.ts';
import type { Job } from '../src/shared/job-queue.ts';
import { JobWorker } from '../src/shared/job-worker.ts';
import { eventually, freePort, migrateNotifications, sleep } from './support.ts';

let server: ChildProcess | undefined;
let dir: string | undefined;
let port = 0;
let cannot = '';

// Postgres refuses to run as root: then it runs as the postgres user, in a folder it owns.
async function startPostgres(): Promise<void> {
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort() : [];
  const bin = versions.map((v) => `/usr/lib/postgresql/${v}/bin`).findLast((b) => existsSync(`${b}/initdb`));
  if (!bin) throw new Error('no PostgreSQL in /usr/lib/postgresql');
  dir = mkdtempSync(join(tmpdir(), 'stage-10-postgres-'));
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => (asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]) as [string, string[]];
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
  }
  execFileSync(...run(`${bin}/initdb`, ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']), { stdio: 'pipe' });
  port = await freePort();
  server = spawn(...run(`${bin}/postgres`, ['-D', join(dir, 'data'), '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off']), { stdio: 'ignore' });
  const deadline = Date.now() + 20_000;
  for (;;) {
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => {});
      if (Date.now() > deadline || server.exitCode !== null) throw new Error(`postgres did not start: ${(error as Error).message}`);
      await sleep(200);
    }
  }
}

const open: Database[] = [];
const connect = (name: string) => {
  const db = connectDatabase({ url: `postgres://postgres@127.0.0.1:${port}/postgres`, name, waitMs: 5_000, log: () => {} });
  open.push(db);
  return db;
};

before(async () => {
  try {
    await startPostgres();
  } catch (error) {
    cannot = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  }
});
after(async () => {
  await Promise.all(open.map((db) => db.close()));
  server?.kill('SIGTERM');
  if (server && server.exitCode === null) await new Promise((resolve) => server!.once('exit', resolve));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the job queue under a real PostgreSQL', () => {
  it('SKIP LOCKED: a claim passes over a job another transaction is taking, instead of waiting for it', async (t) => {
    if (cannot) return t.skip(`no PostgreSQL could be started (${cannot})`);
    const setup = connect('setup');
    await migrateNotifications(setup);
    const queue = new JobQueue(connect('worker-b'), { table: 'notifications.jobs' });
    await setup.transaction(async (tx) => {
      await queue.enqueue(tx, { kind: 'test', key: 'first', payload: {} });
      await queue.enqueue(tx, { kind: 'test', key: 'second', payload: {} });
    });
    // Another claimer, mid-transaction, holding the oldest job's row lock.
    const holder = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query("SELECT id FROM notifications.jobs WHERE key = 'first' FOR UPDATE");
      const claimed = await Promise.race([queue.claim('w-b'), sleep(3_000).then(() => 'blocked' as const)]);
      assert.notEqual(claimed, 'blocked', 'the claim waited for the locked row instead of skipping it');
      assert.equal((claimed as Job | undefined)?.key, 'second');
      await holder.query('ROLLBACK');
      assert.equal((await queue.claim('w-b'))?.key, 'first');
    } finally {
      await holder.end();
    }
  });

  it('five connections claiming at once: each of 40 jobs is done exactly once', async (t) => {
    if (cannot) return t.skip(`no PostgreSQL could be started (${cannot})`);
    const setup = connect('setup-2');
    await migrateNotifications(setup);
    await setup.exec('CREATE TABLE notifications.race_effects (job_id text NOT NULL, worker text NOT NULL); DELETE FROM notifications.jobs');
    const queue = new JobQueue(setup, { table: 'notifications.jobs' });
    await setup.transaction(async (tx) => {
      for (let i = 0; i < 40; i++) await queue.enqueue(tx, { kind: 'test', key: `race-${i}`, payload: { i } });
    });
    const workers = Array.from({ length: 5 }, (_, i) => ({ id: `w-${i + 1}`, queue: new JobQueue(connect(`w-${i + 1}`), { table: 'notifications.jobs' }), done: 0 }));
    await Promise.all(
      workers.map(async (w) => {
        for (let job = await w.queue.claim(w.id); job; job = await w.queue.claim(w.id)) {
          const mine = job;
          await sleep(5);
          const ok = await w.queue.complete(mine, async (tx) => {
            await tx.query('INSERT INTO notifications.race_effects (job_id, worker) VALUES ($1, $2)', [mine.id, w.id]);
          });
          if (ok) w.done++;
        }
      }),
    );
    const effects = await setup.transaction(async (tx) => (await tx.query<{ job_id: string }>('SELECT job_id FROM notifications.race_effects')).rows);
    assert.equal(effects.length, 40);
    assert.equal(new Set(effects.map((e) => e.job_id)).size, 40, 'a job was done twice');
    assert.equal(workers.reduce((sum, w) => sum + w.done, 0), 40);
    assert.ok(workers.filter((w) => w.done > 0).length >= 2, `one connection did everything: ${workers.map((w) => w.done)}`);
  });

  it('wake-up: an idle worker that listens claims a new job at once, not at its next poll 10 s later', async (t) => {
    if (cannot) return t.skip(`no PostgreSQL could be started (${cannot})`);
    const setup = connect('setup-3');
    await migrateNotifications(setup);
    await setup.exec('DELETE FROM notifications.jobs');
    const queue = new JobQueue(connect('w-listen'), { table: 'notifications.jobs' });
    const done: string[] = [];
    const worker = new JobWorker({ id: 'w-listen', queue, handlers: { test: async () => undefined }, pollMs: 10_000, log: () => {}, onDone: (job) => done.push(job.key) });
    const listening = listenForJobs({ url: `postgres://postgres@127.0.0.1:${port}/postgres`, channel: queue.channel, name: 'w-listen', onWake: () => worker.wake(), log: () => {} });
    try {
      worker.start();
      await sleep(500); // its first claim found nothing: it waits 10 s now, unless woken
      const enqueued = Date.now();
      await setup.transaction((tx) => queue.enqueue(tx, { kind: 'test', key: 'wake-me', payload: {} }));
      await eventually(() => done.includes('wake-me'), 3_000, 'the worker to be woken and do the job');
      assert.ok(Date.now() - enqueued < 3_000);
    } finally {
      await worker.stop(1_000);
      await listening.close();
    }
  });
});
