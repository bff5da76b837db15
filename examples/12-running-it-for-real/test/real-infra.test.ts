// The stage on a REAL PostgreSQL and a REAL MQTT broker (Mosquitto in CI), when there are
// any: TEST_DATABASE_URL (a role that may create databases) and TEST_BROKER_URL, which
// scripts/ci/real-infra.sh sets up and prints. Without them every test here is reported
// SKIPPED, never passed. With them but unreachable, the file fails: CI said they are there.
//
// Each run gets fresh databases of its own (dropped at the end), and the fixed MQTT client
// ids of the stage start with clean sessions, so runs never see each other's data.
// Then: the migrations from several services at once, the shared contract suite with
// DATABASE_URL and BROKER_URL set (eleven processes, no database or broker process), what a
// real server does to the services (every connection dropped, a process killed), and a
// Mosquitto of the test's own restarted under the stage, cleanly and with kill -9.
//
// With TEST_NATS_URL too (nats-server with JetStream is installed), the contract suite once
// more with BROKER_URL=nats://... on a nats-server of the test's own, and on the same running
// stage what an event log promises: a consumer killed mid-burst loses nothing and applies
// nothing twice, each order's events are handled in order, a stopped consumer carries on from
// its last ack, nats-server itself killed mid-burst and started again on its store loses and
// repeats nothing (and /ready says degraded meanwhile), and the log read again from the start
// rebuilds the orders' statuses. With TEST_NATS_MQTT_URL, the stage's MQTT adapter on
// the MQTT listener of that nats-server.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import pg from 'pg';
import { connect as natsConnect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { freePort, request, startStage } from '../../contract/src/launch.ts';
import type { Stage } from '../../contract/src/launch.ts';
import { contractSuite } from '../../contract/src/suite.ts';
import { connectDatabase } from '../src/adapters/database.ts';
import { DEV_TOKEN } from '../src/adapters/ops-auth.ts';
import { migrate } from '../src/adapters/migrations.ts';
import { readStream, RETENTION_DAYS, STREAM } from '../src/adapters/jetstream.ts';
import { MqttConsumer, MqttPublisher } from '../src/adapters/mqtt.ts';
import type { ConsumerStats } from '../src/adapters/broker.ts';
import type { Envelope } from '../src/shared/events.ts';
import { alive, eventually, MIGRATIONS, pidOf, settle, sleep } from './support.ts';

// The fuzz and the hostile targets try the gateway's parsing and the shop's rules, which are the
// same whichever database and broker sit behind them: they run in full against the stage on its
// own database and broker (contract.test.ts); a few runs here show the real servers change
// nothing of it (fuzz 5.0 -> 1.2 s and hostile 1.3 -> 0.7 s a run, each contract run here).
process.env.CONTRACT_FUZZ_RUNS ??= '8';
process.env.CONTRACT_HOSTILE_RUNS ??= '8';

const databaseUrl = process.env.TEST_DATABASE_URL;
const brokerUrl = process.env.TEST_BROKER_URL;
const natsUrl = process.env.TEST_NATS_URL;
const stageDir = new URL('..', import.meta.url);
const TITLE = 'the stage on a real PostgreSQL and a real MQTT broker';
// the gateway wants a token for /ops/ (stage 11); this one is valid with the development secret
const auth = { authorization: `Bearer ${DEV_TOKEN}` };

// #region skip-without
if (!databaseUrl || !brokerUrl) {
  const reason = 'TEST_DATABASE_URL and TEST_BROKER_URL are not set (eval "$(scripts/ci/real-infra.sh)" sets them up)';
  describe(TITLE, () => {
    it('the migrations from four services at once', { skip: reason }, () => {});
    it('the shared contract suite', { skip: reason }, () => {});
    it('every database connection dropped, a service killed mid-saga', { skip: reason }, () => {});
    it('Mosquitto keeps the sessions across a restart', { skip: reason }, () => {});
    it('the shared contract suite on NATS JetStream, and what an event log promises', { skip: reason }, () => {});
    it("the stage's MQTT adapter on NATS's MQTT listener", { skip: reason }, () => {});
  });
}
// #endregion skip-without
else {
  const run = randomBytes(3).toString('hex');
  const made: string[] = [];
  const folders: string[] = [];
  const admin = async <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  // A database of its own for each part, on the same server, with the same role.
  const freshDatabase = async (part: string): Promise<string> => {
    const name = `shop_test_${run}_${part}`;
    await admin((c) => c.query(`CREATE DATABASE ${name}`));
    made.push(name);
    const url = new URL(databaseUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
  // The stage's MQTT clients have fixed ids and persistent sessions; connecting once with a
  // clean session throws away whatever an earlier run left queued for them.
  const cleanSessions = async () => {
    for (const clientId of ['shop-publisher', 'notifications-consumer']) {
      const client = await mqtt.connectAsync(brokerUrl, { clientId, clean: true, protocolVersion: 4, connectTimeout: 5_000, reconnectPeriod: 0 });
      await client.endAsync();
    }
  };

  const dataDir = mkdtempSync(join(tmpdir(), 'shop-real-infra-'));
  after(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
    for (const name of made) await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(() => {});
  });

  describe(`${TITLE}: migrations`, () => {
    it('four services migrating one empty database at once: each file applied once, nobody fails', async () => {
      const url = await freshDatabase('migrate');
      const services = ['inventory', 'shop', 'notifications', 'payments'].map((name) => connectDatabase({ url, name, log: () => {} }));
      try {
        // every service migrates every folder, at the same moment: the worst case
        const applied = await Promise.all(services.map((db) => Promise.all(MIGRATIONS.map((dir) => migrate(db, dir)))));
        const names = applied.flat(2).sort();
        assert.equal(new Set(names).size, names.length, `applied twice: ${names.join(', ')}`);
        const files = MIGRATIONS.flatMap((dir) => readdirSync(dir)).length;
        assert.equal(names.length, files, names.join(', '));
        const rows = await services[0]!.query<{ n: number }>('SELECT count(*)::int AS n FROM public.schema_migrations');
        assert.equal(rows.rows[0]?.n, files);
      } finally {
        await Promise.all(services.map((db) => db.close()));
      }
    });
  });

  const contractEnv: Record<string, string> = { BROKER_URL: brokerUrl, DATA_DIR: dataDir };
  contractEnv.DATABASE_URL = await freshDatabase('contract');
  await cleanSessions();
  // What a real server does to the services runs on the contract suite's stage, after the
  // contract: one start of eleven processes serves both.
  contractSuite(stageDir, { env: contractEnv, runElsewhere: ['database', 'broker'], more: (current) => realServerChecks(current, contractEnv.DATABASE_URL!) });

  function realServerChecks(current: () => Stage, url: string) {
    describe(`${TITLE}: what a real server does to the services`, () => {
      let stage: Stage;
      before(async () => {
        stage = current();
        const res = await request(stage.url, 'POST', '/products', { sku: 'real-mug', name: 'real-mug', priceCents: 900, stock: 50 });
        assert.equal(res.status, 201, res.text);
      });

      const place = async (customerId: string, quantity = 1) => {
        const res = await request<{ id: string }>(stage.url, 'POST', '/orders', { customerId, items: [{ sku: 'real-mug', quantity }] });
        assert.equal(res.status, 202, res.text);
        return res.json.id;
      };

      it('runs eleven processes, and no database or broker of its own', () => {
        const ready = stage.output().split('\n').filter((line) => /\bready\b/.test(line));
        assert.equal(ready.length, 1, stage.output());
        assert.match(
          ready[0] ?? '',
          /\(11 processes: gateway :\d+ with the span collector :\d+, payments :\d+, inventory :\d+, notifications :\d+, shop-1 :\d+, orchestrator :\d+, shop-2 :\d+, worker-1 :\d+, worker-2 :\d+, worker-3 :\d+, balancer :\d+\); using database postgres:\/\/[^ ]+ and broker mqtt:\/\//,
        );
        assert.equal(pidOf('database-main.ts', stage.port + 200), undefined);
        assert.equal(pidOf('broker-main.ts', stage.port + 300), undefined);
        const password = new URL(url).password; // the role's, as in TEST_DATABASE_URL
        if (password) assert.ok(!stage.output().includes(`:${password}@`), 'the password is never printed');
        assert.match(stage.output(), /using database postgres:\/\/[^:]+:\*\*\*@/);
      });

      // #region drop-connections
      it('the server drops every connection (as a restart or a failover would): the services reconnect, orders settle', async () => {
        const before = await place('before-drop');
        assert.equal((await settle(stage.url, before)).status, 'confirmed');
        const dropped = await admin((c) =>
          c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [new URL(url).pathname.slice(1)]),
        );
        assert.ok((dropped.rowCount ?? 0) >= 5, `dropped ${dropped.rowCount} connections`);
        const orders = [];
        for (let i = 0; i < 5; i++) orders.push(await place(`after-drop-${i}`));
        for (const id of orders) assert.equal((await settle(stage.url, id, 20_000)).status, 'confirmed');
        assert.match(stage.output(), /database connection is back \((shop|orchestrator|inventory|payments|notifications)\)/);
        for (let i = 0; i < 5; i++) {
          await eventually(async () => (await request<unknown[]>(stage.url, 'GET', `/notifications?customerId=after-drop-${i}`)).json.length === 1, 15_000, `after-drop-${i} told`);
        }
      });
      // #endregion drop-connections

      it('the orchestrator killed mid-saga on the real server: restarted, it carries the saga on, charging once', async () => {
        const pause = await request(stage.url, 'PUT', '/ops/saga-pause', { after: 'reserve' }, auth);
        assert.equal(pause.status, 200, pause.text);
        const id = await place('real-crash', 2);
        await eventually(async () => (await request<{ held: string[] }>(stage.url, 'GET', '/ops/saga-pause', undefined, auth)).json.held.includes(id), 10_000, 'the saga held');
        const crash = await request<{ pid: number }>(stage.url, 'POST', '/ops/orchestrator/crash', undefined, auth);
        assert.equal(crash.status, 202, crash.text);
        assert.equal((await settle(stage.url, id, 20_000)).status, 'confirmed');
        const payments = await request<{ status: string; amountCents: number }[]>(stage.url, 'GET', `/payments?orderId=${id}`);
        assert.deepEqual(payments.json.map((p) => [p.status, p.amountCents]), [['captured', 1800]]);
        assert.deepEqual((await request<{ doubleCharged: string[] }>(stage.url, 'GET', '/ops/charges', undefined, auth)).json.doubleCharged, []);
      });

      it('every service answers GET /ready with the real database behind it', async () => {
        // the gateway, payments, inventory, notifications, the orchestrator, the shop's copies, the workers
        for (const offset of [0, 100, 400, 500, 600, 1000, 1100, 2000, 2100, 2200]) {
          const res = await request<{ status: string }>(`http://127.0.0.1:${stage.port + offset}`, 'GET', '/ready');
          assert.deepEqual([res.status, res.json.status], [200, 'ready'], `port +${offset}`);
        }
      });
    });
  }

  // #region mosquitto-restart
  // A Mosquitto of the test's own (the one at TEST_BROKER_URL is not ours to restart), with
  // the persistence of deploy/mosquitto.conf, on a port and in a folder of its own.
  const mosquittoBin = ['/usr/sbin/mosquitto', '/usr/local/sbin/mosquitto'].find((path) => existsSync(path));
  describe(`${TITLE}: Mosquitto keeps the sessions across a restart`, { skip: mosquittoBin ? false : 'no mosquitto binary on this machine' }, () => {
    let stage: Stage;
    let broker: ChildProcess | undefined;
    let conf = '';
    const startBroker = async (port: number) => {
      broker = spawn(mosquittoBin!, ['-c', conf], { stdio: 'ignore' });
      await eventually(async () => (await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, connectTimeout: 1_000 }).then((c) => c.endAsync().then(() => true), () => false)), 10_000, 'mosquitto up');
    };
    const stopBroker = async (signal: NodeJS.Signals) => {
      const dying = broker!;
      if (dying.exitCode === null) {
        dying.kill(signal);
        await new Promise((resolve) => dying.once('exit', resolve));
      }
    };
    let port = 0;
    before(async () => {
      port = await freePort();
      const dir = mkdtempSync(join(tmpdir(), 'shop-mosquitto-'));
      folders.push(dir);
      // run as root, mosquitto drops to its own user: its data folder must be that user's
      if (process.getuid?.() === 0) execFileSync('chown', ['mosquitto:', dir]);
      conf = join(dir, 'mosquitto.conf');
      writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location ${dir}/\nautosave_interval 10\n`);
      await startBroker(port);
      stage = await startStage(stageDir, { env: { DATABASE_URL: await freshDatabase('mosquitto'), BROKER_URL: `mqtt://127.0.0.1:${port}`, DATA_DIR: dataDir }, timeoutMs: 90_000 });
    });
    after(async () => {
      await stage?.stop();
      if (broker) await stopBroker('SIGTERM');
    });

    const consumer = async (running: boolean) => assert.equal((await request(stage.url, 'POST', '/ops/consumers/notifications', { running }, auth)).status, 200);
    const placeAndSettle = async (prefix: string) => {
      for (let i = 0; i < 3; i++) {
        const res = await request<{ id: string }>(stage.url, 'POST', '/orders', { customerId: `${prefix}-${i}`, items: [{ sku: 'mug-blue', quantity: 1 }] });
        assert.equal(res.status, 202, res.text);
        assert.equal((await settle(stage.url, res.json.id)).status, 'confirmed');
      }
    };
    const allTold = async (prefix: string) => {
      for (let i = 0; i < 3; i++) {
        await eventually(async () => (await request<unknown[]>(stage.url, 'GET', `/notifications?customerId=${prefix}-${i}`)).json.length === 1, 20_000, `${prefix}-${i} told`);
      }
    };

    it('stopped cleanly and started again, it still has the sessions (on disk), and the stopped consumer gets what was queued', async () => {
      await consumer(false);
      await placeAndSettle('clean-restart');
      const mark = stage.output().length;
      await stopBroker('SIGTERM');
      await startBroker(port);
      await consumer(true);
      await allTold('clean-restart');
      assert.doesNotMatch(stage.output().slice(mark), /no session for (us|this publisher)/, 'the sessions were on disk');
    });

    it('killed outright, it may lose what it had not saved yet: the outbox replays it, and every customer is told once', async () => {
      await consumer(false);
      await placeAndSettle('hard-restart');
      await stopBroker('SIGKILL');
      await startBroker(port);
      await consumer(true);
      await allTold('hard-restart');
      assert.match(stage.output(), /relay: publishing the last \d+ events again \(connected to the broker again, which may have lost what it queued\)/);
    });
  });
  // #endregion mosquitto-restart

  // #region jetstream
  // The same stage with BROKER_URL=nats://...: the contract suite, then (on the suite's stage,
  // before its shutdown) the promises of an event log. TEST_NATS_URL says nats-server is there;
  // the stage runs on a nats-server of the test's own (JetStream on disk, in a folder of its
  // own, on a free port), so the log starts empty and the server can be killed and started
  // again without disturbing anyone else's.
  if (!natsUrl) {
    describe(`${TITLE}: NATS JetStream`, () => {
      it('the shared contract suite on NATS JetStream, and what an event log promises', { skip: 'TEST_NATS_URL is not set (eval "$(scripts/ci/real-infra.sh)" sets it up)' }, () => {});
    });
  } else {
    const natsPort = await freePort();
    const ownNatsUrl = `nats://127.0.0.1:${natsPort}`;
    const natsStore = mkdtempSync(join(tmpdir(), 'shop-nats-'));
    folders.push(natsStore);
    let natsServer: ChildProcess | undefined;
    const startNats = async () => {
      natsServer = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(natsPort), '-js', '-sd', natsStore], { stdio: 'ignore' });
      await eventually(async () => (await natsConnect({ servers: ownNatsUrl, timeout: 1_000, reconnect: false }).then((c) => c.close().then(() => true), () => false)), 10_000, `nats-server on port ${natsPort}`);
    };
    const killNats = async () => {
      const server = natsServer!;
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGKILL');
      await exited;
    };
    await startNats();
    // the test's own connection rides out the restart with the services'
    const nc = await natsConnect({ servers: ownNatsUrl, timeout: 5_000, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
    const jsm = await jetstreamManager(nc);
    after(async () => {
      await nc.close();
      natsServer?.kill('SIGKILL');
    });
    const natsEnv = { BROKER_URL: ownNatsUrl, DATA_DIR: dataDir, DATABASE_URL: await freshDatabase('jetstream') };
    contractSuite(stageDir, { env: natsEnv, runElsewhere: ['database', 'broker'], more: (stage) => eventLogChecks(stage, ownNatsUrl) });

    function eventLogChecks(current: () => Stage, nats: string) {
      describe('on NATS JetStream', () => {
        const call = <T>(method: string, path: string, body?: unknown) => request<T>(current().url, method, path, body, auth);
        const product = async (sku: string, stock: number) => assert.equal((await call('POST', '/products', { sku, name: sku, priceCents: 500, stock })).status, 201);
        const placed: string[] = []; // by these checks: the replay must find each of them
        const place = async (customerId: string, sku: string) => {
          const res = await call<{ id: string }>('POST', '/orders', { customerId, items: [{ sku, quantity: 1 }] });
          assert.equal(res.status, 202, res.text);
          placed.push(res.json.id);
          return res.json.id;
        };
        const told = async (customerId: string) => (await call<{ kind: string; orderId: string }[]>('GET', `/notifications?customerId=${customerId}`)).json;
        const consumerStats = async () => (await call<{ consumers: ConsumerStats[] }>('GET', '/ops/consumers')).json.consumers.find((c) => c.name === 'notifications')!;
        // what the server holds for the notifications service's durable consumer
        const durable = () => jsm.consumers.info(STREAM, 'notifications');

        it('runs on the JetStream server: the stream and the notifications service\'s durable consumer are there', async () => {
          assert.match(current().output(), /using database postgres:\/\/[^ ]+ and broker nats:\/\//);
          const info = await durable();
          assert.deepEqual([info.config.durable_name, info.config.ack_policy, info.config.max_ack_pending], ['notifications', 'explicit', 1]);
          const stream = (await jsm.streams.info(STREAM)).config;
          assert.deepEqual([stream.subjects, stream.retention, stream.storage, stream.max_age], [['shop.events.>'], 'limits', 'file', RETENTION_DAYS * 24 * 3600 * 1e9]);
        });

        // #region jetstream-kill
        it('the consumer killed with kill -9 mid-burst: every customer is told, and only once', async () => {
          const sku = `js-burst-${run}`;
          await product(sku, 100);
          const pid = pidOf('notifications-main.ts', current().port + 500);
          assert.ok(pid, 'the notifications service is running');
          const customers = Array.from({ length: 16 }, (_, i) => `js-burst-${run}-${i}`);
          for (const [i, customer] of customers.entries()) {
            await place(customer, sku);
            if (i === 4) process.kill(pid, 'SIGKILL'); // the rest are published while it is dead or starting
          }
          await eventually(() => !alive(pid), 5_000, 'the consumer dead');
          for (const customer of customers) await eventually(async () => (await told(customer)).length > 0, 30_000, `${customer} told`);
          // nothing left for it on the server, nothing handed out and not acked
          await eventually(async () => ((info) => info.num_pending === 0 && info.num_ack_pending === 0)(await durable()), 10_000, 'the durable consumer caught up');
          for (const customer of customers) assert.deepEqual((await told(customer)).map((n) => n.kind), ['order_confirmed'], customer);
          assert.match(current().output(), /supervisor: notifications exited \(signal SIGKILL\)/);
        });
        // #endregion jetstream-kill

        it("each order's events are in the log in order, and handled in that order, with orders placed and cancelled at once", async () => {
          const sku = `js-order-${run}`;
          await product(sku, 100);
          // the consumer stopped meanwhile: the events of all the orders wait in the log, each
          // order's confirmation and cancellation among the others', and are handled at a go
          assert.equal((await call('POST', '/ops/consumers/notifications', { running: false })).status, 200);
          const customers = Array.from({ length: 8 }, (_, i) => `js-order-${run}-${i}`);
          const ids = await Promise.all(
            customers.map(async (customer) => {
              const id = await place(customer, sku);
              assert.equal((await settle(current().url, id, 20_000)).status, 'confirmed');
              const cancel = await call('POST', `/orders/${id}/cancel`, { reason: 'ordering test' });
              assert.ok(cancel.status === 200 || cancel.status === 202, cancel.text);
              assert.equal((await settle(current().url, id, 20_000, 'cancelled')).status, 'cancelled');
              return id;
            }),
          );
          assert.equal((await call('POST', '/ops/consumers/notifications', { running: true })).status, 200);
          for (const customer of customers) await eventually(async () => (await told(customer)).length === 2, 20_000, `${customer} told twice`);
          for (const customer of customers) assert.deepEqual((await told(customer)).map((n) => n.kind), ['order_confirmed', 'order_cancelled'], customer);
          // in the log: each order's events on subjects of its own, confirmed before cancelled
          const seen = new Map<string, string[]>();
          await readStream(nats, (event, seq) => {
            if (!ids.includes(event.data.orderId)) return;
            seen.set(event.data.orderId, [...(seen.get(event.data.orderId) ?? []), `${seq} ${event.type}`]);
          });
          for (const id of ids) {
            const events = seen.get(id) ?? [];
            assert.deepEqual(events.map((line) => line.split(' ')[1]), ['OrderConfirmed', 'OrderCancelled'], id);
            // and on subjects of their type and order: a reader may ask for one order's events
            const { subjects } = (await jsm.streams.info(STREAM, { subjects_filter: `shop.events.*.${id}` })).state;
            assert.deepEqual(subjects, { [`shop.events.OrderConfirmed.${id}`]: 1, [`shop.events.OrderCancelled.${id}`]: 1 });
          }
        });

        it('a consumer stopped and started again carries on from its last ack: what was published meanwhile arrives, nothing again', async () => {
          const sku = `js-resume-${run}`;
          await product(sku, 100);
          assert.equal((await call('POST', '/ops/consumers/notifications', { running: false })).status, 200);
          const before = await consumerStats();
          const customers = Array.from({ length: 3 }, (_, i) => `js-resume-${run}-${i}`);
          for (const customer of customers) assert.equal((await settle(current().url, await place(customer, sku), 20_000)).status, 'confirmed');
          await eventually(async () => (await durable()).num_pending >= 3, 10_000, 'the events waiting in the log');
          assert.equal((await call('POST', '/ops/consumers/notifications', { running: true })).status, 200);
          for (const customer of customers) await eventually(async () => (await told(customer)).length === 1, 20_000, `${customer} told`);
          const after = await consumerStats();
          assert.equal(after.processed - before.processed, 3, 'the three events, each once');
          assert.equal(after.duplicatesIgnored, before.duplicatesIgnored, 'nothing from before the stop delivered again');
        });

        // #region jetstream-restart
        it('nats-server itself killed with kill -9 mid-burst and started again on its store: the services reconnect, /ready says degraded meanwhile, nothing is lost or handled twice', async () => {
          const sku = `js-restart-${run}`;
          await product(sku, 100);
          type Ready = { status: string; degraded?: Record<string, string> };
          const readyOf = async (offset: number) => (await request<Ready>(`http://127.0.0.1:${current().port + offset}`, 'GET', '/ready')).json;
          // the notifications service (PORT+500) and a shop replica (PORT+1000) each consume
          const consumers = [500, 1000];
          const customers = Array.from({ length: 12 }, (_, i) => `js-restart-${run}-${i}`);
          for (const [i, customer] of customers.entries()) {
            await place(customer, sku);
            if (i !== 4) continue;
            await killNats(); // the rest are placed while it is away
            for (const offset of consumers) {
              await eventually(async () => ((ready) => ready.status === 'ready' && /the broker is away/.test(ready.degraded?.broker ?? ''))(await readyOf(offset)), 10_000, `PORT+${offset} ready and degraded`);
            }
          }
          // every order is taken and settles while the log is away: the saga runs over HTTP, and
          // the events wait in the outboxes
          assert.equal((await settle(current().url, placed.at(-1)!, 20_000)).status, 'confirmed');
          await startNats();
          for (const customer of customers) await eventually(async () => (await told(customer)).length > 0, 30_000, `${customer} told`);
          await eventually(async () => ((info) => info.num_pending === 0 && info.num_ack_pending === 0)(await durable()), 15_000, 'the durable consumer caught up');
          for (const customer of customers) assert.deepEqual((await told(customer)).map((n) => n.kind), ['order_confirmed'], customer);
          for (const offset of consumers) await eventually(async () => (await readyOf(offset)).degraded === undefined, 10_000, `PORT+${offset} no longer degraded`);
          assert.equal((await consumerStats()).connected, true);
        });
        // #endregion jetstream-restart

        // #region jetstream-replay
        it("the log read again from its first event rebuilds every order's final status", async () => {
          const statusAfter: Record<Envelope['type'], string> = { OrderConfirmed: 'confirmed', OrderRejected: 'rejected', OrderCancelled: 'cancelled' };
          const model = new Map<string, string>();
          const read = await readStream(nats, (event, seq) => {
            assert.equal(typeof seq, 'number');
            model.set(event.data.orderId, statusAfter[event.type]);
          });
          const { messages } = (await jsm.streams.info(STREAM)).state;
          assert.equal(read, messages, 'every event in the log, read once');
          const missing = placed.filter((id) => !model.has(id));
          assert.deepEqual(missing, [], `${placed.length} orders placed here, ${model.size} in the log`);
          for (const [id, status] of model) {
            const order = await call<{ status: string }>('GET', `/orders/${id}`);
            assert.equal(order.json.status, status, `order ${id}: the shop says ${order.json.status}, the log ${status}`);
          }
        });
        // #endregion jetstream-replay
      });
    }
  }
  // #endregion jetstream

  // #region nats-mqtt
  // The curriculum's claim that NATS speaks MQTT: the stage's own MQTT adapter (the one the
  // services use with aedes and Mosquitto) against the MQTT listener of the same nats-server,
  // and what that listener does not do (the chapter's table says the same).
  const natsMqttUrl = process.env.TEST_NATS_MQTT_URL;
  describe(`${TITLE}: the stage's MQTT adapter on NATS's MQTT listener`, { skip: natsMqttUrl ? false : 'TEST_NATS_MQTT_URL is not set (eval "$(scripts/ci/real-infra.sh)" sets it up)' }, () => {
    const event = (n: number): Envelope => ({
      id: `evt_natsmqtt_${run}_${n}`,
      type: 'OrderConfirmed',
      occurredAt: new Date().toISOString(),
      data: { orderId: `ord_natsmqtt_${run}_${n}`, customerId: 'nats-mqtt', items: [], totalCents: 0 },
    });
    const name = `natsmqtt-${run}`;
    const heard: string[] = [];
    // Only this run's events count: another suite may be using the same listener meanwhile
    // (stage 8's test runs the whole stage on it), and its OrderConfirmed reach us too.
    const ours = (id: string) => id.startsWith(`evt_natsmqtt_${run}_`);
    const consumer = new MqttConsumer({ url: natsMqttUrl!, name, handlers: { OrderConfirmed: async (e) => (ours(e.id) && heard.push(e.id), 'processed') }, log: () => {} });
    const publisher = new MqttPublisher({ url: natsMqttUrl!, name, onReplay: () => {} });
    after(async () => {
      await consumer.stop();
      await publisher.close();
    });

    it('QoS 1 publish and delivery, and a persistent session that queues the events while the consumer is away', async () => {
      consumer.start();
      await eventually(() => consumer.stats.connected, 10_000, 'the consumer connected');
      await sleep(200); // its subscription made
      for (const n of [1, 2, 3]) await publisher.publish(event(n));
      await eventually(() => heard.length === 3, 10_000, 'three events heard');
      await consumer.stop();
      for (const n of [4, 5, 6]) await publisher.publish(event(n));
      consumer.start();
      await eventually(() => heard.length === 6, 10_000, 'the three published while it was away');
      assert.deepEqual(heard, [1, 2, 3, 4, 5, 6].map((n) => event(n).id));
    });

    it('what it does not do: MQTT 5 is refused, a QoS 2 subscription is granted QoS 1', async () => {
      const v5 = await mqtt.connectAsync(natsMqttUrl!, { protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 3_000 }).then(
        (client) => client.endAsync(true).then(() => 'accepted'),
        (error: Error) => error.message,
      );
      assert.match(v5, /protocol version/i);
      const client = await mqtt.connectAsync(natsMqttUrl!, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 3_000 });
      try {
        const granted = await client.subscribeAsync(`shop/probe/${run}`, { qos: 2 });
        assert.deepEqual(granted.map((g) => g.qos), [1]);
      } finally {
        await client.endAsync(true);
      }
    });
  });
  // #endregion nats-mqtt
}
