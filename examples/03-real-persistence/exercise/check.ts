// Checks the chapter's exercise, the stock movements:
//   stock keepers want an audit trail of every change to a product's stock. Add a migration
//   migrations/005-<what-it-does>.sql that creates a table stock_movements, with columns
//   sku (text) and change (integer: -3 when an order takes 3 units, +3 when they go back),
//   in the schema of the module that owns stock. Then record a movement in
//   PostgresProducts.reserve and .release (src/adapters/postgres.ts), in the same
//   transaction as the stock change, so a reservation that is refused records nothing.
//
// Run it with `npm run check:exercise`. It opens a database of its own with this stage's
// code, applies the migrations, runs the schema boundary check, then reserves and releases
// stock through the repository and reads the table.

import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/adapters/database.ts';
import type { Database } from '../src/adapters/database.ts';
import { checkSchemaBoundaries, migrate } from '../src/adapters/migrations.ts';
import { PostgresProducts } from '../src/adapters/postgres.ts';

const migrationsDir = new URL('../migrations/', import.meta.url);
const STARTING_MIGRATIONS = ['001-inventory.sql', '002-orders.sql', '003-payments.sql', '004-notifications.sql'];
const problems: string[] = [];

async function check(db: Database): Promise<void> {
  const added = readdirSync(fileURLToPath(migrationsDir)).filter((name) => !STARTING_MIGRATIONS.includes(name));
  if (added.length === 0) {
    problems.push('there is no new migration yet: add migrations/005-<what-it-does>.sql');
    return;
  }

  let applied: string[];
  try {
    applied = await migrate(db, migrationsDir);
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
    return;
  }
  for (const name of added) {
    if (!applied.includes(name)) problems.push(`migration ${name} was not applied`);
  }

  const boundaries = await checkSchemaBoundaries(db);
  for (const problem of boundaries) problems.push(`schema boundary check: ${problem}`);

  const tables = await db.query<{ table_schema: string }>(
    "SELECT table_schema FROM information_schema.tables WHERE table_name = 'stock_movements'",
  );
  const schema = tables.rows[0]?.table_schema;
  if (!schema) {
    problems.push('the migrations create no table named stock_movements');
    return;
  }
  if (schema !== 'inventory') {
    problems.push(`stock_movements is in the ${schema} schema: stock belongs to the inventory module, so its table goes in the inventory schema`);
    return;
  }
  const columns = await db.query<{ column_name: string; data_type: string }>(
    "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'inventory' AND table_name = 'stock_movements'",
  );
  const types = new Map(columns.rows.map((c) => [c.column_name, c.data_type]));
  if (types.get('sku') !== 'text') problems.push('inventory.stock_movements needs a column sku of type text');
  if (types.get('change') !== 'integer') problems.push('inventory.stock_movements needs a column change of type integer');
  if (problems.length > 0) return;

  // The behaviour, through the repository the shop itself uses.
  const products = new PostgresProducts(db);
  await products.add({ sku: 'audit-kettle', name: 'Kettle', priceCents: 100, stock: 5 });
  await products.add({ sku: 'audit-mug', name: 'Mug', priceCents: 100, stock: 1 });
  const movements = async (sku: string) =>
    (await db.query<{ change: number }>('SELECT change FROM inventory.stock_movements WHERE sku = $1 ORDER BY 1 DESC', [sku])).rows
      .map((row) => row.change)
      .sort((a, b) => a - b);

  await products.reserve([{ sku: 'audit-kettle', quantity: 3, unitPriceCents: 100 }]);
  await products.release([{ sku: 'audit-kettle', quantity: 1, unitPriceCents: 100 }]);
  const refused = await products.reserve([
    { sku: 'audit-kettle', quantity: 1, unitPriceCents: 100 },
    { sku: 'audit-mug', quantity: 2, unitPriceCents: 100 },
  ]);
  if (refused) problems.push('a reservation of 2 mugs with only 1 in stock went through');

  const kettle = await movements('audit-kettle');
  if (kettle.join() !== '-3,1') {
    problems.push(
      `after reserving 3 kettles, releasing 1 and a refused order, the kettle's movements are [${kettle.join(', ')}], ` +
        'expected [-3, 1]: record -quantity in reserve and +quantity in release, and nothing when a reservation is refused',
    );
  }
  const mug = await movements('audit-mug');
  if (mug.length > 0) problems.push(`a refused reservation recorded movements for the mug: [${mug.join(', ')}]`);
}

let db: Database | undefined;
try {
  db = (await openDatabase()).db;
  await check(db);
} catch (error) {
  problems.push(`the check could not run: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await db?.close();
}

if (problems.length === 0) {
  console.log('✔ exercise solved: every stock change is recorded in inventory.stock_movements, in the same transaction');
  process.exit(0);
} else {
  console.log('✘ exercise not solved yet:');
  for (const problem of problems) console.log(`  - ${problem}`);
  process.exit(1);
}
