// The schema boundary check: green for the migrations as they are, red for the chapter's
// experiment (a foreign key from payments into orders), and the shop refuses to start on it.

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/adapters/database.ts';
import type { Database } from '../src/shared/ports.ts';
import { checkSchemaBoundaries } from '../src/adapters/migrations.ts';
import { startStage } from '../../contract/src/launch.ts';

const stageDir = fileURLToPath(new URL('..', import.meta.url));
// Each service has its own migrations; together they build the one database.
const migrationDirs = [join(stageDir, 'migrations', 'shop'), join(stageDir, 'migrations', 'payments')];
const paymentsMigration = join(stageDir, 'migrations', 'payments', '003-payments.sql');
const tmp = mkdtempSync(join(tmpdir(), 'shop-schemas-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// The line the chapter's experiment changes, before and after.
const KEPT = '  order_id     text NOT NULL,';
const PLANTED = '  order_id     text NOT NULL REFERENCES orders.orders (id),';

// Runs a set of migration files on the one database of this file, checks what they built,
// and rolls it all back (DDL is transactional in Postgres), ready for the next test.
let db: Database;
before(async () => {
  db = (await openDatabase()).db;
});
after(() => db.close());

async function problemsWith(files: Map<string, string>): Promise<string[]> {
  return db.transaction(async (tx) => {
    for (const name of [...files.keys()].sort()) await tx.exec(files.get(name) ?? '');
    const problems = await checkSchemaBoundaries(tx);
    await tx.rollback();
    return problems;
  });
}

const shipped = () =>
  new Map(migrationDirs.flatMap((dir) => readdirSync(dir).map((name): [string, string] => [name, readFileSync(join(dir, name), 'utf8')])));

describe('schema boundaries', () => {
  it('the migrations as they are keep every module to its own schema', async () => {
    assert.deepEqual(await problemsWith(shipped()), []);
  });

  it('the experiment: a foreign key from payments into orders fails the check', async () => {
    const text = readFileSync(paymentsMigration, 'utf8');
    assert.ok(text.includes(`${KEPT}\n`), 'migrations/payments/003-payments.sql still has the line the chapter changes');
    const files = shipped().set('003-payments.sql', text.replace(KEPT, PLANTED));
    const problems = await problemsWith(files);
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0] ?? '', /^foreign key payments_order_id_fkey reaches from payments\.payments into orders\.orders/);
  });

  it('also catches a cross-schema view and a table outside the module schemas', async () => {
    const files = shipped().set(
      '005-shortcuts.sql',
      `CREATE VIEW orders.paid AS SELECT o.id FROM orders.orders o JOIN payments.payments p ON p.order_id = o.id;
       CREATE TABLE public.scratch (id int);`,
    );
    const problems = await problemsWith(files);
    assert.deepEqual(problems, [
      'view orders.paid reads payments.payments, which belongs to another module',
      'table public.scratch is in no module\'s schema (orders, payments, inventory, notifications)',
    ]);
  });

  it('the stage refuses to start when a migration breaks the boundaries, and says why', async () => {
    // A copy of the stage laid out like the repository, with the dependencies beside it.
    const root = mkdtempSync(join(tmp, 'repo-'));
    const copy = join(root, 'examples', basename(stageDir));
    cpSync(stageDir, copy, { recursive: true, filter: (source) => !['node_modules', '.data'].includes(basename(source)) });
    symlinkSync(fileURLToPath(new URL('../../../node_modules', import.meta.url)), join(root, 'node_modules'), 'dir');
    const file = join(copy, 'migrations', 'payments', '003-payments.sql');
    writeFileSync(file, readFileSync(file, 'utf8').replace(KEPT, PLANTED));

    // Payments applies its migration, and the check (or the migration itself, if the
    // orders schema is not there yet) stops it; the supervisor then stops everything.
    const error: Error = await startStage(copy, { env: { DATA_DIR: join(root, 'data') }, timeoutMs: 90_000 }).then(
      async (stage) => {
        await stage.stop();
        return new Error('the stage started');
      },
      (e: Error) => e,
    );
    assert.match(error.message, /the stage exited \(code 1\) before it was ready/);
    assert.match(error.message, /payments_order_id_fkey reaches from payments\.payments into orders\.orders|migration 003-payments\.sql failed/);
    // Every service that migrates runs the boundary check; whichever refuses first stops the stage.
    assert.match(error.message, /supervisor: [a-z0-9-]+ exited \(code 1\) before the stage was ready; stopping everything/);
  });
});

// Not a boundary, but this file opens the one in-process database of the suite: the buffer
// pool stays small (src/adapters/database.ts), so every database of the stage starts quicker.
it('the database opens with a 16 MB buffer pool', async () => {
  const { rows } = await db.query<{ shared_buffers: string }>('SHOW shared_buffers');
  assert.equal(rows[0]?.shared_buffers, '16MB');
});
