// The runner against inputs meant to break it: each answers a clear 4xx that names no folder of
// this machine, never a 500. And what a run may cost the machine: its disk, its data folder.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api, call, dataFoldersLeft, eventually, fakeStage, isStep, makeFakeProject, readEvents, startRun, startTestServer,
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

/** A 4xx with the runner's error shape, and not one absolute path of this machine in it. */
function expectCleanRefusal(res: { status: number; text: string; json: any }, status: number, code?: string) {
  expect(res.status, res.text).toBe(status);
  if (code) expect(res.json).toEqual({ error: { code, message: expect.any(String) } });
  for (const folder of [project.root, tmpdir(), homedir(), fileURLToPath(new URL('../..', import.meta.url))]) {
    expect(res.text).not.toContain(folder.replace(/\/$/, ''));
  }
}

async function readyRun(slot = 'main'): Promise<string> {
  const id = await startRun(server, { slot, stage: fakeStage, files: project.files() });
  await (await readEvents(server, id)).waitFor(isStep('ready'));
  return id;
}

describe('bad input gets a 400, never a 500', () => {
  it('a 300-character file name, on start and while running', async () => {
    const long = `src/${'a'.repeat(300)}.ts`;
    expectCleanRefusal(await api(server, 'POST', '/runs', { slot: 'main', stage: fakeStage, files: { ...project.files(), [long]: 'x' } }), 400, 'bad_path');
    const id = await readyRun();
    expectCleanRefusal(await api(server, 'POST', `/runs/${id}/files`, { path: long, contents: 'x' }), 400, 'bad_path');
    await api(server, 'DELETE', `/runs/${id}`);
  });

  it('a 300-character segment in a page address or a run id', async () => {
    const page = await call(server.port, { path: `/${'a'.repeat(300)}/` });
    expect(page.status).toBe(404);
    expectCleanRefusal(await api(server, 'GET', `/runs/${'a'.repeat(300)}/events`), 404, 'run_not_found');
  });

  it('a stage that does not exist names no folder', async () => {
    expectCleanRefusal(await api(server, 'POST', '/runs', { slot: 'main', stage: '99-missing', files: {} }), 404, 'unknown_stage');
  });

  it('a proxy path HTTP cannot carry as is, or a header value outside Latin-1', async () => {
    const id = await readyRun();
    const euro = await api(server, 'POST', `/runs/${id}/request`, { method: 'GET', path: '/€' });
    expectCleanRefusal(euro, 400, 'bad_request_path');
    expect(euro.json.error.message).toContain('%E2%82%AC');
    const header = await api(server, 'POST', `/runs/${id}/request`, { method: 'GET', path: '/products', headers: { 'x-city': 'Zürich €' } });
    expectCleanRefusal(header, 400, 'bad_request');
    // Latin-1 itself is fine, as HTTP allows it.
    const latin = await api(server, 'POST', `/runs/${id}/request`, { method: 'GET', path: '/products?q=%C3%BC', headers: { 'x-city': 'Zürich' } });
    expect(latin.json.status).toBe(201);
    await api(server, 'DELETE', `/runs/${id}`);
  });

  it('a malformed percent-escape in a run address', async () => {
    expectCleanRefusal(await api(server, 'GET', '/runs/%E0%A4%A/events'), 400, 'bad_run_id');
    expectCleanRefusal(await api(server, 'DELETE', '/runs/%'), 400, 'bad_run_id');
  });

  it('an address that reads as another host', async () => {
    for (const path of ['//evil.example:99999/', '//evil.example/', '///evil.example/x']) {
      const res = await call(server.port, { path });
      expect([400, 404], `${path}: ${res.status}`).toContain(res.status);
      expect(res.headers.location).toBeUndefined();
    }
    for (const path of ['/%00', '/%', '/%E0%A4%A/', `/${'a'.repeat(5000)}`, '/..%2f..%2fetc/passwd', '/?token=', '/?token=%', '/\\evil.example:99999/', '/chapters%2F..%2F..%2F']) {
      const res = await call(server.port, { path, headers: { cookie: server.cookie } });
      expect(res.status, `${path}: ${res.status}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${path}: ${res.status}`).toBeLessThan(500);
      expect(res.headers.location).toBeUndefined();
    }
    // A real folder after a doubled slash: the added slash stays on this site.
    const folder = await call(server.port, { path: '//chapters/one' });
    if (folder.headers.location) expect(folder.headers.location).toMatch(/^\/(?!\/)/);
  });
});

describe('what the output shows', () => {
  it('names the run\'s folders relative to the workspace and the data folder, not where they are', async () => {
    const id = await startRun(server, { slot: 'main', stage: fakeStage, files: project.files() });
    const events = await readEvents(server, id);
    await events.waitFor(isStep('ready'));
    expect(events.output()).toContain(`cwd ./examples/${fakeStage} data $DATA_DIR`);
    expect(events.output()).not.toContain(project.root);
    await api(server, 'DELETE', `/runs/${id}`);
  });
});

describe('what a page may do', () => {
  it('cannot be framed by another site (clickjacking of Run and Stop)', async () => {
    for (const path of ['/', '/chapters/one/', '/no-such-page', '/__runner/runs']) {
      const res = await call(server.port, { path });
      expect(res.headers['content-security-policy'], path).toContain("frame-ancestors 'self'");
    }
  });

  it('carries the runner token only for a browser that came with it', async () => {
    const bare = await call(server.port, { path: '/' });
    expect(bare.status).toBe(200);
    expect(bare.text).not.toContain('local-runner');
    expect(bare.text).not.toContain(server.token);

    const entry = await call(server.port, { path: `/chapters/one/?token=${server.token}&runtime=local` });
    expect(entry.status).toBe(303);
    expect(entry.headers.location).toBe('/chapters/one/?runtime=local');
    const cookie = String(entry.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const pair = cookie.split(';')[0]!;

    const page = await call(server.port, { path: '/chapters/one/', headers: { cookie: pair } });
    expect(page.text).toContain(`<meta name="local-runner" content="${server.token}">`);

    const wrong = await call(server.port, { path: `/?token=${'f'.repeat(64)}` });
    expect(wrong.status).toBe(403);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect(wrong.text).not.toContain(server.token);
    const stale = await call(server.port, { path: '/', headers: { cookie: pair.replace(/=.*/, `=${'f'.repeat(64)}`) } });
    expect(stale.text).not.toContain('local-runner');

    const refused = await call(server.port, { method: 'POST', path: '/__runner/runs', headers: { cookie: pair }, body: {} });
    expectCleanRefusal(refused, 401, 'missing_token');
    expect(refused.json.error.message).toMatch(/token/);
  });
});

describe('what a run may cost', () => {
  it('a run that writes more than its disk allowance is stopped with a clear message', async () => {
    const small = await startTestServer(project, { diskBytes: 3 * 1024 * 1024, diskCheckMs: 100 });
    try {
      const id = await startRun(small, { slot: 'main', stage: fakeStage, files: project.files({ fillBytes: 50 * 1024 * 1024 }) });
      const events = await readEvents(small, id);
      const error = await events.waitFor(isStep('error'), 15_000);
      expect(error).toMatchObject({ message: expect.stringMatching(/wrote more than 3 MB/) });
      await events.waitFor(isStep('stopped'));
    } finally {
      await small.close();
    }
  });

  it('removes stale data folders of servers that are gone when it starts, and keeps those of live ones', async () => {
    const dead = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ['-e', '']);
      child.once('exit', () => resolve(child.pid!));
    });
    const stale = `${project.tempRoot}/m2d-data-${dead}-abc123`;
    const live = `${project.tempRoot}/m2d-data-${process.ppid}-def456`;
    mkdirSync(`${stale}/client/main/01-fake`, { recursive: true });
    mkdirSync(live);
    const other = await startTestServer(project);
    try {
      expect(existsSync(stale)).toBe(false);
      expect(existsSync(live)).toBe(true);
    } finally {
      await other.close();
    }
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('removes its data folder when stopped with %s', async (signal) => {
    const main = fileURLToPath(new URL('../main.ts', import.meta.url));
    const script = `
      const { startSiteServer, stopOnSignals } = await import(${JSON.stringify(main)});
      const server = await startSiteServer(JSON.parse(process.env.RUNNER_TEST_OPTIONS));
      stopOnSignals(server);
      console.log('port ' + server.address().port);
    `;
    const before = new Set(dataFoldersLeft(project));
    const token = 'a'.repeat(64);
    const options = { port: 0, root: project.dist, runner: { examplesRoot: project.examplesRoot, nodeModules: project.nodeModules, tempRoot: project.tempRoot, token } };
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, RUNNER_TEST_OPTIONS: JSON.stringify(options) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let text = '';
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (chunk: string) => {
          text += chunk;
          const match = /port (\d+)/.exec(text);
          if (match) resolve(Number(match[1]));
        });
        child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
      });
      const remote: TestServer = { port, base: `http://127.0.0.1:${port}`, token, cookie: '', close: async () => {} };
      const id = await startRun(remote, { slot: 'main', stage: fakeStage, files: project.files() });
      await (await readEvents(remote, id)).waitFor(isStep('ready'));
      const ours = () => dataFoldersLeft(project).filter((name) => !before.has(name));
      expect(ours()).toHaveLength(1);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exited;
      expect(ours()).toEqual([]);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
