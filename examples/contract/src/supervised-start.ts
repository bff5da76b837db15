// Shared by stages 06-13 (test/supervised-start.test.ts in each): a service whose supervisor
// ends while the service is still starting must stop too.
// WebContainer's kill() ends the supervisor only and sends nobody a signal; the services
// notice through their input (src/supervisor.ts, exitWithSupervisor). A service restarted a
// moment before Stop, still connecting to its database, used to miss that: it watched its
// input only once it was listening, and the database it waited for was gone, so it lived on
// for 15 s (found in the container double, tests/container/stage.test.ts). Here each service
// starts with its input already closed and nothing to connect to: it must leave at once, with
// code 0, not after a wait for its database ends in an error.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { closedPort } from './launch.ts';

/** The test of every service script in a stage's src/ that calls exitWithSupervisor(). */
export function supervisedStartSuite(srcUrl: URL): void {
  const src = fileURLToPath(srcUrl);
  const services = readdirSync(src).filter((name) => /(^|-)main\.ts$/.test(name) && readFileSync(join(src, name), 'utf8').includes('exitWithSupervisor();'));
  const tmp = mkdtempSync(join(tmpdir(), 'shop-supervised-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  describe('a service whose supervisor is gone before it is up', () => {
    it('finds the services', () => assert.ok(services.length >= 3, services.join(', ')));

    for (const script of services) {
      it(`${script} ends with code 0 when its input closes while it is starting, not after a wait for its database`, { timeout: 120_000 }, async () => {
        const [port, nobody] = await Promise.all([closedPort(), closedPort()]);
        const away = `http://127.0.0.1:${nobody}`;
        const env = {
          ...process.env,
          SUPERVISED: '1',
          PORT: String(port),
          DATA_DIR: join(tmp, script),
          DATABASE_PORT: String(nobody),
          DATABASE_URL: `postgres://postgres@127.0.0.1:${nobody}/postgres`,
          BROKER_URL: `mqtt://127.0.0.1:${nobody}`,
          PAYMENTS_URL: away,
          INVENTORY_URL: away,
          NOTIFICATIONS_URL: away,
          ORCHESTRATOR_URL: away,
          SHOP_URL: away,
          COLLECTOR_URL: away,
          WORKER_URLS: `worker-1=${away}`,
          REPLICAS: `shop-1=${away}`,
          WORKER_ID: 'worker-1',
        };
        const started = performance.now();
        const child = spawn(process.execPath, [...process.execArgv, join(src, script)], { env, stdio: ['pipe', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (chunk) => (output += chunk));
        child.stderr.on('data', (chunk) => (output += chunk));
        child.stdin.end(); // the supervisor is gone
        // (not a budget: only so that nothing is left behind; the old code waited 15 s for the
        // database, then failed with code 1, which the assertion catches however busy the machine)
        const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
        const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
        clearTimeout(timer);
        assert.deepEqual({ code, signal }, { code: 0, signal: null }, `${script} after ${Math.round(performance.now() - started)} ms:\n${output}`);
      });
    }
  });
}
