// Each service's data is its own on a real PostgreSQL: a role per service (deploy/postgres/
// roles.sql, made by scripts/ci/real-infra.sh), the rights of grants.sql, and each service's
// migrations run under its own role. Then every service role tries to read every other
// service's tables, and must be refused; its own it reads. A fresh database per run.
//   eval "$(scripts/ci/real-infra.sh)"; node --test test/data-isolation.test.ts

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { connectDatabase } from '../src/adapters/database.ts';
import type { Database } from '../src/shared/ports.ts';
import { checkSchemaBoundaries, migrate } from '../src/adapters/migrations.ts';

const databaseUrl = process.env.TEST_DATABASE_URL;
const grants = readFileSync(new URL('../deploy/postgres/grants.sql', import.meta.url), 'utf8');

// role, the migrations its services run, and one of its tables
const SERVICES = [
  { role: 'shop_orders', migrations: 'shop', table: 'orders.orders' },
  { role: 'shop_payments', migrations: 'payments', table: 'payments.payments' },
  { role: 'shop_inventory', migrations: 'inventory', table: 'inventory.products' },
  { role: 'shop_notifications', migrations: 'notifications', table: 'notifications.notifications' },
];

describe('a role per service on a real PostgreSQL', { skip: !databaseUrl && 'TEST_DATABASE_URL is not set (eval "$(scripts/ci/real-infra.sh)" sets it up)' }, () => {
  const name = `shop_test_${randomBytes(3).toString('hex')}_isolation`;
  const admin = async <T>(database: string, fn: (client: pg.Client) => Promise<T>): Promise<T> => {
    const url = new URL(databaseUrl!);
    url.pathname = `/${database}`;
    const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 5_000 });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  // the service role's URL: real-infra.sh gives every role the test role's password
  const as = (role: string) => {
    const url = new URL(databaseUrl!);
    url.username = role;
    url.pathname = `/${name}`;
    return url.toString();
  };
  const dbs = new Map<string, Database>();
  after(async () => {
    await Promise.all([...dbs.values()].map((db) => db.close()));
    await admin(new URL(databaseUrl!).pathname.slice(1), (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  });

  it('each service migrates its own schema under its own role, and cannot read the others\' tables', async () => {
    await admin(new URL(databaseUrl!).pathname.slice(1), (c) => c.query(`CREATE DATABASE ${name}`));
    await admin(name, (c) => c.query(grants));
    for (const service of SERVICES) {
      const db = connectDatabase({ url: as(service.role), name: service.role, waitMs: 5_000, log: () => {} });
      dbs.set(service.role, db);
      await migrate(db, new URL(`../migrations/${service.migrations}/`, import.meta.url));
      assert.deepEqual(await checkSchemaBoundaries(db), [], `${service.role}: the boundaries hold`);
    }
    const refused: string[] = [];
    for (const reader of SERVICES) {
      const db = dbs.get(reader.role)!;
      for (const owner of SERVICES) {
        const read = db.query(`SELECT count(*) FROM ${owner.table}`);
        if (owner === reader) {
          await read; // its own table: readable
          continue;
        }
        await assert.rejects(read, (error: Error & { code?: string }) => {
          assert.equal(error.code, '42501', `${reader.role} reading ${owner.table}: ${error.message}`);
          return true;
        }, `${reader.role} must not read ${owner.table}`);
        refused.push(`${reader.role} x ${owner.table}`);
      }
    }
    assert.equal(refused.length, SERVICES.length * (SERVICES.length - 1));
  });
});
