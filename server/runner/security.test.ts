// Every refusal of the runner, each on its own, against a real server.
import { existsSync, readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSiteServer } from '../main.ts';
import { createRunner } from './api.ts';
import { checkFilePath, checkHost, checkOrigin } from './security.ts';
import {
  api, call, eventually, fakeStage, isStep, makeFakeProject, readEvents, startRun, startTestServer, workspacesLeft,
  type FakeProject, type TestServer,
} from './testing.ts';

let project: FakeProject;
let server: TestServer;
beforeAll(async () => {
  project = makeFakeProject();
  server = await startTestServer(project);
});
afterAll(async () => {
  await server.close();
  project.remove();
});
afterEach(async () => {
  expect(await eventually(() => workspacesLeft(project).length === 0)).toBe(true);
});

/** A refusal: the status, and the JSON error shape with a message a reader can use. */
function expectRefusal(res: { status: number; json: any }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.json).toEqual({ error: { code, message: expect.any(String) } });
  expect(res.json.error.message.length).toBeGreaterThan(20);
}

describe('who may call', () => {
  it('listens on loopback only, and offers no runner when asked to listen elsewhere', async () => {
    const own = await startSiteServer({ port: 0, root: project.dist, runner: { examplesRoot: project.examplesRoot } });
    try {
      expect((own.address() as AddressInfo).address).toBe('127.0.0.1');
    } finally {
      await new Promise((resolve) => own.close(resolve));
    }
    const open = await startSiteServer({ port: 0, host: '0.0.0.0', root: project.dist, runner: { examplesRoot: project.examplesRoot } });
    try {
      const port = (open.address() as AddressInfo).port;
      const page = await call(port, { path: '/' });
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('local-runner');
      const runs = await call(port, { method: 'POST', path: '/__runner/runs', body: {} });
      expect(runs.status).toBe(404);
    } finally {
      await new Promise((resolve) => open.close(resolve));
    }
  });

  it('puts the token into every page of a browser that came with it, and only into pages', async () => {
    expect(server.token).toMatch(/^[0-9a-f]{64}$/);
    for (const path of ['/', '/chapters/one/', '/no-such-page']) {
      const page = await call(server.port, { path, headers: { cookie: server.cookie } });
      expect(page.text).toContain(`<meta name="local-runner" content="${server.token}">`);
      expect(page.text.indexOf('local-runner')).toBeLessThan(page.text.indexOf('<title>'));
    }
    const script = await call(server.port, { path: '/app.js', headers: { cookie: server.cookie } });
    expect(script.text).toBe('console.log("<head>")');
  });

  it('makes a fresh random token per server unless given one', async () => {
    const made = createRunner({ examplesRoot: project.examplesRoot });
    expect(made.token).toMatch(/^[0-9a-f]{64}$/);
    expect(createRunner({ examplesRoot: project.examplesRoot }).token).not.toBe(made.token);
    expect(createRunner({ examplesRoot: project.examplesRoot, token: 'k'.repeat(40) }).token).toBe('k'.repeat(40));
    expect(() => createRunner({ examplesRoot: project.examplesRoot, token: 'short' })).toThrow(/RUNNER_TOKEN/);
  });

  it('requires the token on every runner call', async () => {
    const body = { slot: 'main', stage: fakeStage, files: project.files() };
    expectRefusal(await call(server.port, { method: 'POST', path: '/__runner/runs', body }), 401, 'missing_token');
    expectRefusal(await api(server, 'POST', '/runs', body, { 'x-local-runner-token': 'f'.repeat(64) }), 403, 'bad_token');
    expectRefusal(await api(server, 'POST', '/runs', body, { 'x-local-runner-token': 'short' }), 403, 'bad_token');
    expectRefusal(await call(server.port, { path: '/__runner/runs/whatever/events' }), 401, 'missing_token');
    expectRefusal(await call(server.port, { method: 'DELETE', path: '/__runner/runs/whatever' }), 401, 'missing_token');
  });

  it('refuses a foreign Origin', async () => {
    const body = { slot: 'main', stage: fakeStage, files: project.files() };
    expectRefusal(await api(server, 'POST', '/runs', body, { origin: 'https://evil.example' }), 403, 'forbidden_origin');
    expectRefusal(await api(server, 'POST', '/runs', body, { origin: `http://localhost:${server.port + 1}` }), 403, 'forbidden_origin');
    expectRefusal(await api(server, 'POST', '/runs', body, { origin: 'null' }), 403, 'forbidden_origin');
    expect(() => checkOrigin(`http://localhost:${server.port}`, server.port)).not.toThrow();
    expect(() => checkOrigin(`http://127.0.0.1:${server.port}`, server.port)).not.toThrow();
    expect(() => checkOrigin(undefined, server.port)).not.toThrow();
  });

  it('refuses a Host other than localhost with its port (DNS rebinding), for pages too', async () => {
    const body = { slot: 'main', stage: fakeStage, files: project.files() };
    expectRefusal(await api(server, 'POST', '/runs', body, { host: `evil.example:${server.port}` }), 403, 'forbidden_host');
    expectRefusal(await api(server, 'POST', '/runs', body, { host: `localhost:${server.port + 1}` }), 403, 'forbidden_host');
    const page = await call(server.port, { path: '/', headers: { host: `rebind.evil.example:${server.port}`, cookie: server.cookie } });
    expectRefusal(page, 403, 'forbidden_host');
    expect(page.text).not.toContain(server.token);
    for (const host of [`localhost:${server.port}`, `127.0.0.1:${server.port}`, `[::1]:${server.port}`]) {
      expect(() => checkHost(host, server.port)).not.toThrow();
      expect((await call(server.port, { path: '/', headers: { host } })).status).toBe(200);
    }
  });
});

describe('which stage', () => {
  it.each([
    ['contract', 400, 'bad_stage'],
    ['../01-fake', 400, 'bad_stage'],
    ['01-fake/..', 400, 'bad_stage'],
    ['not-a-stage', 400, 'bad_stage'],
    ['01-FAKE', 400, 'bad_stage'],
    ['99-missing', 404, 'unknown_stage'],
    ['02-linked', 404, 'unknown_stage'],
  ])('refuses %s', async (stage, status, code) => {
    expectRefusal(await api(server, 'POST', '/runs', { slot: 'main', stage, files: {} }), status, code);
  });

  it('refuses a malformed body or slot', async () => {
    expectRefusal(await api(server, 'POST', '/runs', '{not json'), 400, 'bad_json');
    expectRefusal(await api(server, 'POST', '/runs', { slot: '../x', stage: fakeStage, files: {} }), 400, 'bad_slot');
    expectRefusal(await api(server, 'POST', '/runs', { slot: 'main', stage: fakeStage, files: ['a'] }), 400, 'bad_files');
    expectRefusal(await api(server, 'POST', '/runs', { slot: 'main', stage: fakeStage, files: { 'a.ts': 1 } }), 400, 'bad_files');
    expectRefusal(await api(server, 'GET', '/runs'), 405, 'method_not_allowed');
    expectRefusal(await api(server, 'GET', '/elsewhere'), 404, 'not_found');
    expectRefusal(await api(server, 'DELETE', '/runs/no-such-run'), 404, 'run_not_found');
  });
});

describe('which files', () => {
  it.each([
    ['../escape.txt', 'climbs out'],
    ['src/../../escape.txt', 'climbs out'],
    ['/tmp/escape.txt', 'absolute'],
    ['C:/escape.txt', 'absolute'],
    ['src\\..\\..\\escape.txt', 'backslash'],
    ['src/a\0.ts', 'NUL'],
    ['src//a.ts', 'empty'],
    ['./a.ts', 'empty or "."'],
  ])('refuses the path %j', async (path, why) => {
    const res = await api(server, 'POST', '/runs', { slot: 'main', stage: fakeStage, files: { ...project.files(), [path]: 'x' } });
    expectRefusal(res, 400, 'bad_path');
    expect(res.json.error.message).toContain(why);
    expect(() => checkFilePath(path)).toThrow(why);
  });

  it('refuses a path through a symlink, and writes nothing outside', async () => {
    const res = await api(server, 'POST', '/runs', { slot: 'main', stage: fakeStage, files: { ...project.files(), 'outside/escape.txt': 'x' } });
    expectRefusal(res, 400, 'bad_path');
    expect(res.json.error.message).toContain('symbolic link');
    const replaced = await api(server, 'POST', '/runs', { slot: 'main', stage: fakeStage, files: { ...project.files(), outside: 'x' } });
    expectRefusal(replaced, 400, 'bad_path');
    expect(readdirSync(project.outside)).toEqual([]);
  });

  it('refuses a file over 1 MB', async () => {
    const big = 'x'.repeat(1024 * 1024 + 1);
    expectRefusal(await api(server, 'POST', '/runs', { slot: 'main', stage: fakeStage, files: { 'big.txt': big } }), 413, 'file_too_large');
  });

  it('refuses more than 200 files', async () => {
    const files = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`f${i}.txt`, 'x']));
    expectRefusal(await api(server, 'POST', '/runs', { slot: 'main', stage: fakeStage, files }), 413, 'too_many_files');
  });

  it('refuses more than 5 MB in total', async () => {
    const files = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`f${i}.txt`, 'x'.repeat(1000 * 1000)]));
    expectRefusal(await api(server, 'POST', '/runs', { slot: 'main', stage: fakeStage, files }), 413, 'files_too_large');
  });

  it('refuses a body far too large to read', async () => {
    const res = await api(server, 'POST', '/runs', 'x'.repeat(9 * 1024 * 1024));
    expectRefusal(res, 413, 'body_too_large');
  });
});

describe('how much', () => {
  it('runs at most 3 stages at once (429), and a slot can still be replaced', async () => {
    const ids: string[] = [];
    try {
      for (const slot of ['a', 'b', 'c']) ids.push(await startRun(server, { slot, stage: fakeStage, files: project.files() }));
      const fourth = await api(server, 'POST', '/runs', { slot: 'd', stage: fakeStage, files: project.files() });
      expectRefusal(fourth, 429, 'too_many_runs');
      expect(fourth.json.error.message).toContain('Stop one');
      ids.push(await startRun(server, { slot: 'a', stage: fakeStage, files: project.files() }));
    } finally {
      for (const id of ids) await api(server, 'DELETE', `/runs/${id}`);
    }
  });

  it('caps output at 1 MB with one notice', async () => {
    const id = await startRun(server, { slot: 'main', stage: fakeStage, files: project.files({ flood: true }) });
    const events = await readEvents(server, id);
    await events.waitFor(isStep('ready'));
    const output = events.output();
    const notices = output.match(/output truncated/g) ?? [];
    expect(notices).toHaveLength(1);
    expect(Buffer.byteLength(output)).toBeLessThan(1024 * 1024 + 200);
    expect(Buffer.byteLength(output)).toBeGreaterThan(1024 * 1024);
    await api(server, 'DELETE', `/runs/${id}`);
  });

  it('proxies only paths on the stage itself', async () => {
    const id = await startRun(server, { slot: 'main', stage: fakeStage, files: project.files() });
    const events = await readEvents(server, id);
    await events.waitFor(isStep('ready'));
    for (const path of ['http://evil.example/', '//evil.example/x', 'products', '/a b', '/\\evil.example']) {
      expectRefusal(await api(server, 'POST', `/runs/${id}/request`, { method: 'GET', path }), 400, 'bad_request_path');
    }
    expectRefusal(await api(server, 'POST', `/runs/${id}/request`, { method: 'CONNECT', path: '/' }), 400, 'bad_request');
    const ok = await api(server, 'POST', `/runs/${id}/request`, { method: 'GET', path: '/products' });
    expect(ok.json.status).toBe(201);
    await api(server, 'DELETE', `/runs/${id}`);
    expect(existsSync(project.outside)).toBe(true);
  });
});
