// deploy/nginx.conf run by a real nginx, when there is one on this machine (CI installs
// Debian's nginx-light), in front of the running stage: the file compose.yaml mounts, with
// only the compose service name `gateway:3000` and `listen 80` swapped for local addresses.
// Without nginx the test reports itself skipped, never passed.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import type { ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort, request, startStage } from '../../contract/src/launch.ts';
import type { Stage } from '../../contract/src/launch.ts';
import { DEV_TOKEN } from '../src/adapters/ops-auth.ts';
import { eventually } from './support.ts';

const nginx = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/opt/homebrew/bin/nginx'].find(existsSync) ?? (spawnSync('nginx', ['-v']).status === 0 ? 'nginx' : undefined);
const conf = readFileSync(new URL('../deploy/nginx.conf', import.meta.url), 'utf8');

describe('deploy/nginx.conf in front of the stage', { skip: !nginx && 'no nginx on this machine (apt-get install nginx-light)' }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'shop-nginx-'));
  let stage: Stage;
  let proxy: ChildProcess | undefined;
  let front = '';

  before(async () => {
    // nginx runs on this machine, so the proxy the gateway trusts is 127.0.0.1 (compose.yaml
    // and k8s/configmap.yaml name the networks their proxies are on)
    stage = await startStage(new URL('..', import.meta.url), { env: { DATA_DIR: join(tmp, 'data'), TRUSTED_PROXIES: '127.0.0.1' }, timeoutMs: 90_000 });
    const port = await freePort();
    assert.match(conf, /server gateway:3000 /);
    assert.match(conf, /listen 80;/);
    const local = conf.replace('server gateway:3000 ', `server 127.0.0.1:${stage.port} `).replace('listen 80;', `listen 127.0.0.1:${port};`);
    writeFileSync(join(tmp, 'nginx.conf'), local);
    // -p: nginx keeps its pid file and request-body buffers under the test's folder
    // Its output goes to a file: the config logs to /dev/stdout, which cannot be opened when
    // stdout is a socket, as Node's pipes are (in a container it is a pipe).
    const log = join(tmp, 'nginx.log');
    const out = openSync(log, 'w');
    proxy = spawn(nginx!, ['-p', `${tmp}/`, '-c', join(tmp, 'nginx.conf'), '-e', 'stderr', '-g', `daemon off; pid ${join(tmp, 'nginx.pid')};`], { stdio: ['ignore', out, out] });
    closeSync(out);
    front = `http://127.0.0.1:${port}`;
    await eventually(async () => (await fetch(`${front}/nginx-health`).catch(() => undefined))?.status === 200, 10_000, 'nginx to answer').catch((error: Error) => {
      throw new Error(`${error.message}; nginx said:\n${readFileSync(log, 'utf8')}`);
    });
  });

  after(async () => {
    proxy?.kill('SIGQUIT');
    await stage?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('answers its own health check, and passes the shop\'s answers through unchanged', async () => {
    const health = await fetch(`${front}/nginx-health`);
    assert.equal(await health.text(), 'ok\n');
    const products = await request<{ sku: string }[]>(front, 'GET', '/products');
    assert.equal(products.status, 200);
    assert.deepEqual(products.json, (await request(stage.url, 'GET', '/products')).json);
    const order = await request<{ id: string; status: string }>(front, 'POST', '/orders', { customerId: 'through-nginx', items: [{ sku: products.json[0]!.sku, quantity: 1 }] });
    assert.ok([201, 202].includes(order.status), order.text);
    assert.equal((await request<{ id: string }>(front, 'GET', `/orders/${order.json.id}`)).json.id, order.json.id);
  });

  it('lets the shop answer errors in its JSON: 404, and 413 for a body over 1 MiB (not nginx\'s HTML)', async () => {
    const missing = await request<{ error: { code: string } }>(front, 'GET', '/no-such-route');
    assert.deepEqual([missing.status, missing.json?.error.code], [404, 'not_found']);
    const big = await request<{ error: { code: string } }>(front, 'POST', '/orders', JSON.stringify({ customerId: 'c', items: [], padding: 'x'.repeat(1024 * 1024 + 100) }));
    assert.equal(big.status, 413);
    assert.match(big.headers.get('content-type') ?? '', /application\/json/);
    assert.ok(big.json?.error.code, big.text);
  });

  it('hands each request to the gateway, which logs it with its correlation id', async () => {
    const res = await request(front, 'GET', '/products');
    const requestId = res.headers.get('x-request-id');
    assert.ok(requestId, 'the gateway gives every answer an X-Request-Id');
    await eventually(() => stage.output().split('\n').some((line) => line.startsWith('gateway') && line.includes(requestId)), 5_000, 'the gateway\'s log line for that request');
  });

  // #region per-client-limit
  it('limits each client behind nginx on its own: the gateway believes X-Forwarded-For from nginx only', async () => {
    // a client is a source address: Linux routes all of 127.0.0.0/8 to the loopback, so a
    // request can come from 127.0.0.2 or 127.0.0.3 as from two machines
    const from = (address: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve, reject) => {
        const req = http.get(`${front}/products`, { localAddress: address, headers, agent: false }, (res) => {
          res.resume();
          res.once('end', () => resolve(res.statusCode ?? 0));
        });
        req.once('error', reject);
      });
    const limits = (body: object) => request(stage.url, 'PUT', '/ops/rate-limit', body, { authorization: `Bearer ${DEV_TOKEN}` });
    assert.equal((await limits({ burst: 3, perSecond: 0.01 })).status, 200);
    let failure: unknown;
    try {
      const first = [];
      for (let i = 0; i < 4; i++) first.push(await from('127.0.0.2'));
      assert.deepEqual(first, [200, 200, 200, 429], 'one client, its own bucket of 3');
      assert.equal(await from('127.0.0.3'), 200, 'another client behind the same nginx is not limited by the first');
      // the limited client names someone else in the header: nginx puts the address it saw
      // in its place, so the client stays in its own (empty) bucket
      assert.equal(await from('127.0.0.2', { 'x-forwarded-for': '203.0.113.7' }), 429);
    } catch (error) {
      failure = error;
    }
    // the limits back as they were (this request comes from 127.0.0.1, a bucket of its own)
    const restored = await limits({ burst: 200, perSecond: 100 });
    if (failure) throw failure;
    assert.equal(restored.status, 200);
  });
  // #endregion per-client-limit
});
