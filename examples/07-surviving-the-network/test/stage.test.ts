// The stage as `npm start` runs it: the supervisor and its three processes, the flags and
// the parallel run over HTTP. (Linux: the processes are found in /proc.)

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { request, startStage } from '../../contract/src/launch.ts';
import type { Stage } from '../../contract/src/launch.ts';
import { eventually, pidOf, sleep } from './support.ts';

const stageDir = new URL('..', import.meta.url);
const tmp = mkdtempSync(join(tmpdir(), 'shop-stage-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const alive = (pid: number | undefined) => {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const order = (customerId: string, sku = 'mug-blue') => ({ customerId, items: [{ sku, quantity: 1 }] });

describe('the supervisor', { skip: process.platform !== 'linux' }, () => {
  let stage: Stage;
  before(async () => {
    stage = await startStage(stageDir, { env: { DATA_DIR: join(tmp, 'supervisor'), PAYMENTS_SERVICE: '100' } });
  });
  after(() => stage.stop());

  it('prints one ready line, after the three services', () => {
    const lines = stage.output().split('\n');
    const ready = lines.filter((line) => /\bready\b/.test(line));
    assert.equal(ready.length, 1, stage.output());
    assert.match(ready[0] ?? '', new RegExp(`^shop ready on http://127\\.0\\.0\\.1:${stage.port} \\(3 processes`));
    for (const name of ['database', 'payments', 'shop']) {
      assert.ok(lines.findIndex((l) => l.startsWith(`${name.padEnd(8)} | `)) < lines.indexOf(ready[0] ?? ''), `${name} printed before ready`);
    }
    assert.ok(pidOf('database-main.ts', stage.port + 200) && pidOf('payments-main.ts', stage.port + 100) && pidOf('main.ts', stage.port));
  });

  it('restarts a killed service, with a delay, and says so; orders go on', async () => {
    const before = pidOf('payments-main.ts', stage.port + 100);
    process.kill(before ?? 0, 'SIGKILL');
    await eventually(() => /supervisor: payments is back, healthy after \d+ ms/.test(stage.output()), 20_000, 'payments back');
    assert.match(stage.output(), /supervisor: payments exited \(signal SIGKILL\); restarting it in 250 ms \(restart 1\)/);
    const after = pidOf('payments-main.ts', stage.port + 100);
    assert.ok(after && after !== before, 'a new process');
    const res = await request<{ status: string }>(stage.url, 'POST', '/orders', order('restart'));
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.status, 'confirmed');
  });

  it('a service that keeps dying is restarted later each time', async () => {
    const delays = () => [...stage.output().matchAll(/supervisor: payments exited \(signal SIGKILL\); restarting it in (\d+) ms/g)].map((m) => Number(m[1]));
    const before = delays().length; // the test above killed it once already
    for (let i = 1; i <= 3; i++) {
      process.kill(pidOf('payments-main.ts', stage.port + 100) ?? 0, 'SIGKILL');
      await eventually(() => delays().length === before + i, 10_000, `restart ${i} announced`);
      await eventually(() => pidOf('payments-main.ts', stage.port + 100) !== undefined, 10_000, 'payments restarted');
      await eventually(async () => (await fetch(`http://127.0.0.1:${stage.port + 100}/health`).catch(() => undefined))?.status === 200, 10_000, 'healthy');
    }
    // 250 ms after a stable run or a first quick crash, then doubling while it keeps dying;
    // whether the first of these counts as "kept dying" depends on how long ago the test
    // above killed it, which a busy machine stretches.
    const [first = 0, second = 0, third = 0] = delays().slice(before);
    assert.ok(first >= 250 && (second === first || second === first * 2) && third === second * 2, `delays ${delays().join(', ')}`);
  });

  it('SIGTERM stops all three processes and the supervisor, leaving nothing behind', async () => {
    const pids = [pidOf('database-main.ts', stage.port + 200), pidOf('payments-main.ts', stage.port + 100), pidOf('main.ts', stage.port)];
    const result = await stage.stop();
    assert.ok(result.exitedInTime, `took ${result.ms} ms`);
    assert.deepEqual(pids.map(alive), [false, false, false]);
  });
});

describe('killing the supervisor itself (SIGKILL) leaves no orphans', { skip: process.platform !== 'linux' }, () => {
  it('its services notice and stop within a few seconds', async () => {
    const stage = await startStage(stageDir, { env: { DATA_DIR: join(tmp, 'orphans') } });
    try {
      const pids = [pidOf('database-main.ts', stage.port + 200), pidOf('payments-main.ts', stage.port + 100), pidOf('main.ts', stage.port)];
      const supervisor = pidOf('start.ts', stage.port);
      assert.ok(supervisor, 'the supervisor runs with PORT set');
      process.kill(supervisor, 'SIGKILL');
      await eventually(() => pids.every((pid) => !alive(pid)), 15_000, 'the services to stop'); // a loaded machine can take seconds to tell them their input closed
    } finally {
      await stage.stop();
    }
  });
});

describe('flags and the parallel run over HTTP', () => {
  let stage: Stage;
  before(async () => {
    stage = await startStage(stageDir, { env: { DATA_DIR: join(tmp, 'flags') } });
  });
  after(() => stage.stop());

  it('start at 100 % (stage 6 moved the traffic) with the parallel run off', async () => {
    const res = await request(stage.url, 'GET', '/ops/flags');
    assert.deepEqual([res.status, res.json], [200, { paymentsService: 100, shadow: false }]);
  });

  it('PUT /ops/flags changes them at run time and answers with all of them', async () => {
    let res = await request(stage.url, 'PUT', '/ops/flags', { shadow: true });
    assert.deepEqual([res.status, res.json], [200, { paymentsService: 100, shadow: true }]);
    res = await request(stage.url, 'PUT', '/ops/flags', { paymentsService: 50 });
    assert.deepEqual(res.json, { paymentsService: 50, shadow: true });
    assert.deepEqual((await request(stage.url, 'GET', '/ops/flags')).json, { paymentsService: 50, shadow: true });
    await eventually(() => /flags: paymentsService 100 -> 50 %/.test(stage.output()), 5_000, 'the flags line');
    assert.match(stage.output(), /shop {5}\| flags: paymentsService 100 -> 50 % \(now 50 % of orders to the payments service, parallel run on\)/);
  });

  it('bad flag values are refused with JSON errors, and change nothing', async () => {
    const cases: [unknown, number, string, RegExp][] = [
      [{ paymentsService: 101 }, 400, 'invalid_request', /paymentsService/],
      [{ paymentsService: '50' }, 400, 'invalid_request', /paymentsService/],
      [{ shadow: 'on' }, 400, 'invalid_request', /shadow/],
      [{ percent: 5 }, 400, 'invalid_request', /percent is not a flag/],
      ['{"shadow": tru', 400, 'invalid_json', /JSON/],
      ['x'.repeat(1024 * 1024 + 1), 413, 'payload_too_large', /1 MiB/],
    ];
    for (const [body, status, code, message] of cases) {
      const res = await request<{ error: { code: string; message: string } }>(stage.url, 'PUT', '/ops/flags', body);
      assert.equal(res.status, status, res.text);
      assert.equal(res.json.error.code, code);
      assert.match(res.json.error.message, message);
    }
    assert.deepEqual((await request(stage.url, 'GET', '/ops/flags')).json, { paymentsService: 50, shadow: true });
    assert.equal((await request(stage.url, 'DELETE', '/ops/flags')).status, 404);
  });

  it('at 50 % with the parallel run on: orders go both ways, each is compared, nothing differs, one payment each', async () => {
    const orders: { id: string; status: string }[] = [];
    for (let i = 0; i < 12; i++) orders.push((await request<{ id: string; status: string }>(stage.url, 'POST', '/orders', order('half'))).json);
    orders.push((await request<{ id: string; status: string }>(stage.url, 'POST', '/orders', order('half', 'espresso-machine'))).json);
    await sleep(300);
    const log = (await request<any>(stage.url, 'GET', '/ops/shadow-log')).json;
    const charges = log.entries.filter((e: any) => e.call === 'charge');
    assert.equal(charges.length, 13);
    assert.equal(log.different, 0, JSON.stringify(log.entries.filter((e: any) => !e.same)));
    assert.ok(log.served['in-process'] > 0 && log.served.service > 0, JSON.stringify(log.served));
    assert.deepEqual(new Set(charges.map((e: any) => e.primary)), new Set(['in-process', 'service']));
    const declined = charges.find((e: any) => e.orderId === orders[12]?.id);
    assert.deepEqual(declined?.answers.service.status, 'declined');
    assert.match(stage.output(), /parallel run: same charge ord_\w+: in-process captured 1200 \([\d.]+ ms\) \| service captured 1200 \([\d.]+ ms\); (in-process|service) answered/);
    for (const o of orders) {
      const payments = (await request<{ status: string }[]>(stage.url, 'GET', `/payments?orderId=${o.id}`)).json;
      assert.equal(payments.length, 1, `${o.id}: ${JSON.stringify(payments)}`);
    }
  });
});
