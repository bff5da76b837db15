// The schema boundary check: green for the migrations as they are, red for the chapter's
// experiment (a foreign key from payments into orders), and the shop refuses to start on it.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/adapters/database.ts';
import type { Database } from '../src/shared/ports.ts';
import { checkSchemaBoundaries } from '../src/adapters/migrations.ts';

const stageDir = fileURLToPath(new URL('..', import.meta.url));
const migrationsDir = join(stageDir, 'migrations');
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

const shipped = () => new Map(readdirSync(migrationsDir).map((name) => [name, readFileSync(join(migrationsDir, name), 'utf8')]));

describe('schema boundaries', () => {
  it('the migrations as they are keep every module to its own schema', async () => {
    assert.deepEqual(await problemsWith(shipped()), []);
  });

  it('the experiment: a foreign key from payments into orders fails the check', async () => {
    const text = readFileSync(join(migrationsDir, '003-payments.sql'), 'utf8');
    assert.ok(text.includes(`${KEPT}\n`), 'migrations/003-payments.sql still has the line the chapter changes');
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

  it('the shop refuses to start when a migration breaks the boundaries, and says why', async () => {
    // A copy of the stage laid out like the repository, with the dependencies beside it.
    const root = mkdtempSync(join(tmp, 'repo-'));
    const copy = join(root, 'examples', basename(stageDir));
    cpSync(stageDir, copy, { recursive: true, filter: (source) => basename(source) !== 'node_modules' });
    symlinkSync(fileURLToPath(new URL('../../../node_modules', import.meta.url)), join(root, 'node_modules'), 'dir');
    const file = join(copy, 'migrations', '003-payments.sql');
    writeFileSync(file, readFileSync(file, 'utf8').replace(KEPT, PLANTED));

    const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
      execFile(process.execPath, ['src/main.ts'], { cwd: copy, env: { ...process.env, PORT: '0' }, timeout: 60_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, output: stdout + stderr }),
      );
    });
    assert.equal(result.code, 1, result.output);
    assert.match(result.output, /shop could not start: the migrations break the schema boundaries/);
    assert.match(result.output, /foreign key payments_order_id_fkey reaches from payments\.payments into orders\.orders/);
    assert.doesNotMatch(result.output, /\bready\b/);
  });
});

// Not a boundary, but this file opens the one in-process database of the suite: the buffer
// pool stays small (src/adapters/database.ts), so every database of the stage starts quicker.
it('the database opens with a 16 MB buffer pool', async () => {
  const { rows } = await db.query<{ shared_buffers: string }>('SHOW shared_buffers');
  assert.equal(rows[0]?.shared_buffers, '16MB');
});
