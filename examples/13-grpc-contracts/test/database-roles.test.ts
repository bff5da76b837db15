// `npm start` against a real PostgreSQL with a role per service, as compose.yaml and k8s/ run
// it: told ORDERS_/PAYMENTS_/INVENTORY_/NOTIFICATIONS_DATABASE_URL (src/database-urls.ts),
// every service connects as its own role, migrates its own schema, and an order still goes
// through; no service connects as DATABASE_URL's role. Without the variables every service
// shares DATABASE_URL, as before. The rules of the variables are checked without a server.
//   eval "$(scripts/ci/real-infra.sh)"; node --test test/database-roles.test.ts

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { request, startStage } from '../../contract/src/launch.ts';
import type { Stage } from '../../contract/src/launch.ts';
import { databaseUrls } from '../src/database-urls.ts';
import { settle } from './support.ts';

describe('which database URL each service gets', () => {
  const shared = 'postgres://shop:pw@db:5432/shop';
  it('without role URLs, every service shares DATABASE_URL (or the stage\'s own PGlite)', () => {
    assert.deepEqual(databaseUrls({ DATABASE_URL: shared }, shared), { orders: shared, payments: shared, inventory: shared, notifications: shared });
  });
  it('a role URL replaces DATABASE_URL for its services; the others fall back to it', () => {
    const payments = 'postgres://shop_payments:pw@db:5432/shop';
    assert.deepEqual(databaseUrls({ DATABASE_URL: shared, PAYMENTS_DATABASE_URL: payments }, shared), { orders: shared, payments, inventory: shared, notifications: shared });
  });
  it('a role URL without DATABASE_URL, or one that is not postgres://, is refused with its name', () => {
    assert.match((databaseUrls({ ORDERS_DATABASE_URL: shared }, 'postgres://postgres@127.0.0.1:3200/postgres') as { error: string }).error, /^ORDERS_DATABASE_URL is set without DATABASE_URL/);
    assert.match((databaseUrls({ DATABASE_URL: shared, INVENTORY_DATABASE_URL: 'mysql://x' }, shared) as { error: string }).error, /^INVENTORY_DATABASE_URL must be a postgres:\/\/ URL/);
  });
});

const databaseUrl = process.env.TEST_DATABASE_URL;
describe('npm start on a real PostgreSQL with a role per service', { skip: !databaseUrl && 'TEST_DATABASE_URL is not set (eval "$(scripts/ci/real-infra.sh)" sets it up)' }, () => {
  const name = `shop_test_${randomBytes(3).toString('hex')}_roles`;
  const dataDir = mkdtempSync(join(tmpdir(), 'shop-roles-'));
  const urlOf = (role?: string) => {
    const url = new URL(databaseUrl!);
    if (role) url.username = role; // real-infra.sh gives every service role the test role's password
    url.pathname = `/${name}`;
    return url.toString();
  };
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
  let stage: Stage | undefined;
  after(async () => {
    await stage?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await admin(new URL(databaseUrl!).pathname.slice(1), (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  });

  it('each service connects as its own role, and an order goes through', async () => {
    await admin(new URL(databaseUrl!).pathname.slice(1), (c) => c.query(`CREATE DATABASE ${name}`));
    await admin(name, (c) => c.query(readFileSync(new URL('../deploy/postgres/grants.sql', import.meta.url), 'utf8')));
    stage = await startStage(new URL('..', import.meta.url), {
      env: {
        DATABASE_URL: urlOf(),
        ORDERS_DATABASE_URL: urlOf('shop_orders'),
        PAYMENTS_DATABASE_URL: urlOf('shop_payments'),
        INVENTORY_DATABASE_URL: urlOf('shop_inventory'),
        NOTIFICATIONS_DATABASE_URL: urlOf('shop_notifications'),
        DATA_DIR: dataDir,
      },
      timeoutMs: 120_000,
    });
    const placed = await request<{ id: string }>(stage.url, 'POST', '/orders', { customerId: 'ada', items: [{ sku: 'mug-blue', quantity: 1 }] });
    assert.equal(placed.status, 202, placed.text);
    assert.equal((await settle(stage.url, placed.json.id, 30_000)).status, 'confirmed', stage.output());
    // the ready line says so, as chapter 12 quotes it
    assert.match(stage.output(), /; using database postgres:\/\/[^ ]+ \(as shop_orders, shop_payments, shop_inventory, shop_notifications\)/);
    // who is connected to the stage's database, other than this query
    const roles = await admin(name, async (c) =>
      (await c.query<{ usename: string }>('SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() ORDER BY usename')).rows.map((r) => r.usename),
    );
    assert.deepEqual(roles, ['shop_inventory', 'shop_notifications', 'shop_orders', 'shop_payments'], stage.output());
    // each schema belongs to the role that migrated it
    const owners = await admin(name, async (c) =>
      (await c.query<{ nspname: string; owner: string }>(`SELECT nspname, pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname IN ('orders', 'payments', 'inventory', 'notifications') ORDER BY nspname`)).rows,
    );
    assert.deepEqual(owners, [
      { nspname: 'inventory', owner: 'shop_inventory' },
      { nspname: 'notifications', owner: 'shop_notifications' },
      { nspname: 'orders', owner: 'shop_orders' },
      { nspname: 'payments', owner: 'shop_payments' },
    ]);
  });
});
