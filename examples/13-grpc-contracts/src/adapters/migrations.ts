// Migrations: the SQL files in migrations/, applied in order at start, each exactly once,
// and remembered in a table. Then a check of what they built: every module keeps to its own
// schema, and no table points into another module's schema.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCHEMA_LOCK } from './database.ts';
import type { Database } from '../shared/ports.ts';

// The modules of the shop, each with a Postgres schema of its own.
export const MODULE_SCHEMAS = ['orders', 'payments', 'inventory', 'notifications'];

// #region migrate
// Applies every migrations/NNN-name.sql not applied yet, in name order. Each file runs in a
// transaction together with the row that records it, so a file that fails leaves no trace
// and is tried again on the next start. Returns the names of the files it applied.
// Since stage 12 every transaction here first takes the schema lock (see createOnce in
// database.ts): on a real PostgreSQL, services and their copies start at the same moment,
// and only one may migrate at a time; the others find the file applied once they get it.
export async function migrate(db: Database, dir: URL): Promise<string[]> {
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS public.schema_migrations (
        name       text PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
  });
  const done = await db.query<{ name: string }>('SELECT name FROM public.schema_migrations');
  const applied = new Set(done.rows.map((row) => row.name));

  const files = readdirSync(dir).sort();
  const misnamed = files.filter((name) => !/^\d{3}-[a-z0-9-]+\.sql$/.test(name));
  if (misnamed.length > 0) {
    throw new Error(`migrations/ holds ${misnamed.join(', ')}: migration files are named like 005-what-it-does.sql`);
  }
  const newlyApplied: string[] = [];
  for (const name of files) {
    if (applied.has(name)) continue;
    const sql = readFileSync(join(fileURLToPath(dir), name), 'utf8');
    let ran = false;
    try {
      ran = await db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
        const again = await tx.query('SELECT 1 FROM public.schema_migrations WHERE name = $1', [name]);
        if (again.rows.length > 0) return false; // applied by another process while we waited
        await tx.exec(sql);
        await tx.query('INSERT INTO public.schema_migrations (name) VALUES ($1)', [name]);
        return true;
      });
    } catch (error) {
      throw new Error(`migration ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (ran) newlyApplied.push(name);
  }
  return newlyApplied;
}
// #endregion migrate

// #region schema-boundaries
// Asks Postgres itself what the migrations built, so no SQL has to be parsed here: a
// foreign key, or a view, that reaches from one module's schema into another's is a
// violation, and so is a table outside the module schemas. Returns one line per problem.
// (It only reads, so it also runs inside a transaction: pass the transaction as `db`.)
export async function checkSchemaBoundaries(db: Pick<Database, 'query'>): Promise<string[]> {
  const problems: string[] = [];

  const foreignKeys = await db.query<{ name: string; from: string; to: string }>(`
    SELECT c.conname AS name,
           fs.nspname || '.' || f.relname AS from,
           ts.nspname || '.' || t.relname AS to
    FROM pg_constraint c
    JOIN pg_class f ON f.oid = c.conrelid JOIN pg_namespace fs ON fs.oid = f.relnamespace
    JOIN pg_class t ON t.oid = c.confrelid JOIN pg_namespace ts ON ts.oid = t.relnamespace
    WHERE c.contype = 'f' AND fs.nspname <> ts.nspname
    ORDER BY 1`);
  for (const fk of foreignKeys.rows) {
    problems.push(
      `foreign key ${fk.name} reaches from ${fk.from} into ${fk.to}: ` +
        'a module refers to another module\'s rows by id only, never by a foreign key into its schema',
    );
  }

  const views = await db.query<{ view: string; uses: string }>(`
    SELECT DISTINCT vs.nspname || '.' || v.relname AS view, ts.nspname || '.' || t.relname AS uses
    FROM pg_depend d
    JOIN pg_rewrite r ON r.oid = d.objid
    JOIN pg_class v ON v.oid = r.ev_class JOIN pg_namespace vs ON vs.oid = v.relnamespace
    JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace ts ON ts.oid = t.relnamespace
    WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
      AND v.oid <> t.oid AND vs.nspname <> ts.nspname AND ts.nspname NOT IN ('pg_catalog', 'information_schema')
    ORDER BY 1, 2`);
  for (const view of views.rows) {
    problems.push(`view ${view.view} reads ${view.uses}, which belongs to another module`);
  }

  const strays = await db.query<{ name: string }>(
    `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
     WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND NOT table_schema = ANY($1)
       AND NOT (table_schema = 'public' AND table_name IN ('schema_migrations', 'committed_transactions'))
     ORDER BY 1`,
    [MODULE_SCHEMAS],
  );
  for (const table of strays.rows) {
    problems.push(`table ${table.name} is in no module's schema (${MODULE_SCHEMAS.join(', ')})`);
  }
  return problems;
}
// #endregion schema-boundaries
