// Opens the shop's Postgres: PGlite, the real Postgres compiled to WebAssembly, running
// inside this process. Given a data directory it keeps its data there, on disk, and a
// restart finds everything as it was; without one, the data lives in memory (tests).
//
// A brand-new PGlite has to run initdb first, which takes seconds. So the first start saves
// the freshly initialised data directory as a tarball in the OS temp folder, and a new
// database is made from that instead, which is several times quicker. No network, no build
// step: the cache makes itself, and deleting it only costs one slow start.

import { PGlite } from '@electric-sql/pglite';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../shared/ports.ts';

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

export async function openDatabase(dataDir?: string): Promise<{ db: Database; from: 'disk' | 'cache' | 'initdb' }> {
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
