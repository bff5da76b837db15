// The runner end to end: a real server, a fake stage run by real `npm start` processes.
import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { groupAlive } from './processes.ts';
import {
  alive, api, dataFoldersLeft, groupOf, eventually, fakeStage, isStep, makeFakeProject, printedPid, readEvents, startRun, startTestServer, workspacesLeft,
  type FakeProject, type TestServer,
} from './testing.ts';

let project: FakeProject;
beforeAll(() => {
  project = makeFakeProject();
});
afterAll(() => project.remove());

describe('a run', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(project, { killGraceMs: 500 });
  });
  afterAll(() => server.close());
  afterEach(async () => {
    // Every test leaves nothing behind: no workspace once its runs have stopped.
    expect(await eventually(() => workspacesLeft(project).length === 0)).toBe(true);
  });

  it('reaches ready and streams the stage output in order', async () => {
    const id = await startRun(server, { slot: 'main', stage: fakeStage, files: project.files() });
    const events = await readEvents(server, id);
    const ready = await events.waitFor(isStep('ready'));
    expect(ready).toMatchObject({ type: 'status', step: 'ready', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    const steps = events.events.flatMap((event) => (event.type === 'status' ? [event.step] : []));
    expect(steps).toEqual(['mounting', 'starting', 'ready']);
    // The contract (copied) and node_modules (symlinked) resolve exactly as in the repo.
    expect(events.output()).toContain('hello from contract; shared dependency');
    expect(events.output()).toMatch(/fake ready on http:\/\/127\.0\.0\.1:\d+/);
    expect((await api(server, 'DELETE', `/runs/${id}`)).status).toBe(200);
    await events.waitFor(isStep('stopped'));
  });

  it('proxies a request to the stage and measures it on the server', async () => {
    const id = await startRun(server, { slot: 'main', stage: fakeStage, files: project.files() });
    const events = await readEvents(server, id);
    await events.waitFor(isStep('ready'));
    const res = await api(server, 'POST', `/runs/${id}/request`, {
      method: 'POST',
      path: '/orders?customerId=ada',
      headers: { 'content-type': 'application/json', 'x-trace': 'abc', host: 'evil.example' },
      body: '{"sku":"mug-blue"}',
    });
    expect(res.status).toBe(200);
    expect(res.json.status).toBe(201);
    expect(res.json.headers['x-stage']).toBe('fake');
    expect(typeof res.json.ms).toBe('number');
    expect(res.json.ms).toBeGreaterThanOrEqual(0);
    const echoed = JSON.parse(res.json.body);
    expect(echoed).toMatchObject({ method: 'POST', url: '/orders?customerId=ada', body: '{"sku":"mug-blue"}' });
    expect(echoed.headers['x-trace']).toBe('abc');
    // The target is always the stage's own loopback port, whatever Host the page sent.
    expect(echoed.headers.host).toMatch(/^127\.0\.0\.1:\d+$/);
    await api(server, 'DELETE', `/runs/${id}`);
  });

  it('reports the stage’s processes and their memory, and refuses once the run stopped', async () => {
    const id = await startRun(server, { slot: 'main', stage: fakeStage, files: project.files({ grandchild: true }) });
    const events = await readEvents(server, id);
    await events.waitFor(isStep('ready'));
    const res = await api(server, 'GET', `/runs/${id}/stats`);
    expect(res.status).toBe(200);
    if (process.platform === 'linux') {
      // The stage's server and the child it spawned; npm and its shell are not the stage's.
      expect(res.json.stats).toEqual({ processes: 2, rssBytes: expect.any(Number) });
      expect(res.json.stats.rssBytes).toBeGreaterThan(1024 * 1024);
    } else {
      expect(res.json.stats).toBeNull();
    }
    expect((await api(server, 'POST', `/runs/${id}/stats`, {})).status).toBe(405);
    await api(server, 'DELETE', `/runs/${id}`);
    const late = await api(server, 'GET', `/runs/${id}/stats`);
    expect(late.status).toBe(410);
    expect(late.json.error.code).toBe('run_stopped');
  });

  it('runs the posted files, not the ones on disk', async () => {
    const id = await startRun(server, { slot: 'main', stage: fakeStage, files: project.files({ message: 'edited by the reader' }) });
    const events = await readEvents(server, id);
    await events.waitFor(isStep('ready'));
    expect(events.output()).toContain('message: edited by the reader');
    expect(events.output()).not.toContain('message: original');
    await api(server, 'DELETE', `/runs/${id}`);
  });

  it('keeps a slot\'s data folder from one run to the next, and not across slots', async () => {
    const runOnce = async (slot: string) => {
      const id = await startRun(server, { slot, stage: fakeStage, files: project.files() });
      const events = await readEvents(server, id);
      await events.waitFor(isStep('ready'));
      await api(server, 'DELETE', `/runs/${id}`);
      await events.waitFor(isStep('stopped'));
      return /run number (\d+)/.exec(events.output())?.[1];
    };
    const first = await runOnce('keeps-data');
    expect(await runOnce('keeps-data')).toBe(String(Number(first) + 1));
    expect(await runOnce('other-slot')).toBe('1');
  });

  it('writes a file into a running stage', async () => {
    const id = await startRun(server, { slot: 'main', stage: fakeStage, files: project.files() });
    const events = await readEvents(server, id);
    await events.waitFor(isStep('ready'));
    const wrote = await api(server, 'POST', `/runs/${id}/files`, { path: 'notes/new.txt', contents: 'hi' });
    expect(wrote.status).toBe(200);
    const escape = await api(server, 'POST', `/runs/${id}/files`, { path: 'outside/evil.txt', contents: 'x' });
    expect(escape.status).toBe(400);
    expect(existsSync(`${project.outside}/evil.txt`)).toBe(false);
    await api(server, 'DELETE', `/runs/${id}`);
  });

  it('stop ends the whole process tree and removes the workspace', async () => {
    const id = await startRun(server, { slot: 'main', stage: fakeStage, files: project.files({ message: 'tree', grandchild: true }) });
    const events = await readEvents(server, id);
    await events.waitFor(isStep('ready'));
    const stagePid = printedPid(events.output(), 'pid');
    const grandchild = printedPid(events.output(), 'grandchild');
    expect(alive(stagePid)).toBe(true);
    expect(alive(grandchild)).toBe(true);
    const group = groupOf(stagePid);
    const stopped = await api(server, 'DELETE', `/runs/${id}`);
    expect(stopped.status).toBe(200);
    // DELETE answers once everything is gone, not merely signalled.
    expect(alive(stagePid)).toBe(false);
    expect(alive(grandchild)).toBe(false);
    expect(groupAlive(group)).toBe(false);
    expect(workspacesLeft(project)).toEqual([]);
    expect(await events.waitFor(isStep('stopped'))).toMatchObject({ reason: 'stopped' });
  });

  it('kills what ignores SIGTERM once the grace period is over', async () => {
    const id = await startRun(server, { slot: 'main', stage: fakeStage, files: project.files({ grandchild: true, ignoreTerm: true }) });
    const events = await readEvents(server, id);
    await events.waitFor(isStep('ready'));
    const stagePid = printedPid(events.output(), 'pid');
    const grandchild = printedPid(events.output(), 'grandchild');
    const started = Date.now();
    await api(server, 'DELETE', `/runs/${id}`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(alive(stagePid)).toBe(false);
    expect(alive(grandchild)).toBe(false);
  });

  it('starting a slot again stops its previous run first', async () => {
    const first = await startRun(server, { slot: 'main', stage: fakeStage, files: project.files({ message: 'first' }) });
    const firstEvents = await readEvents(server, first);
    await firstEvents.waitFor(isStep('ready'));
    const firstPid = printedPid(firstEvents.output(), 'pid');
    const second = await startRun(server, { slot: 'main', stage: fakeStage, files: project.files({ message: 'second' }) });
    expect(await firstEvents.waitFor(isStep('stopped'))).toMatchObject({ reason: 'replaced' });
    expect(alive(firstPid)).toBe(false);
    const secondEvents = await readEvents(server, second);
    await secondEvents.waitFor(isStep('ready'));
    expect(secondEvents.output()).toContain('message: second');
    // Another slot (or another page's slot) runs side by side.
    const other = await startRun(server, { slot: 'compare', stage: fakeStage, files: project.files() });
    const otherEvents = await readEvents(server, other);
    await otherEvents.waitFor(isStep('ready'));
    expect(secondEvents.events.some(isStep('stopped'))).toBe(false);
    await api(server, 'DELETE', `/runs/${second}`);
    await api(server, 'DELETE', `/runs/${other}`);
  });

  it('reports a stage that exits before it is ready, with its output', async () => {
    const id = await startRun(server, { slot: 'main', stage: fakeStage, files: project.files({ exitEarly: true }) });
    const events = await readEvents(server, id);
    const error = await events.waitFor(isStep('error'));
    expect(error).toMatchObject({ message: expect.stringContaining('exited with code 3 before it was ready') });
    expect(events.output()).toContain('boom: exiting before ready');
    // npm reports the script's failure with its own exit code.
    expect(await events.waitFor(isStep('stopped'))).toMatchObject({ reason: 'failed', code: expect.any(Number) });
    // A page that connects late still reads the whole story.
    const late = await readEvents(server, id);
    await late.waitFor(isStep('stopped'));
    expect(late.events.some(isStep('error'))).toBe(true);
  });

  it('refuses to proxy before the stage is ready and after it stopped', async () => {
    const id = await startRun(server, { slot: 'main', stage: fakeStage, files: project.files({ silent: true }) });
    const early = await api(server, 'POST', `/runs/${id}/request`, { method: 'GET', path: '/' });
    expect(early.status).toBe(409);
    expect(early.json.error.code).toBe('not_ready');
    await api(server, 'DELETE', `/runs/${id}`);
    const late = await api(server, 'POST', `/runs/${id}/request`, { method: 'GET', path: '/' });
    expect(late.status).toBe(410);
  });
});

describe('runs end by themselves', () => {
  it('when the events stream closes (a closed tab)', async () => {
    const server = await startTestServer(project, { disconnectGraceMs: 300 });
    try {
      const id = await startRun(server, { slot: 'main', stage: fakeStage, files: project.files({ grandchild: true }) });
      const events = await readEvents(server, id);
      await events.waitFor(isStep('ready'));
      const pids = [printedPid(events.output(), 'pid'), printedPid(events.output(), 'grandchild')];
      events.close();
      expect(await eventually(() => pids.every((pid) => !alive(pid)))).toBe(true);
      expect(await eventually(() => workspacesLeft(project).length === 0)).toBe(true);
      // A reconnect within the grace period keeps the run.
      const kept = await startRun(server, { slot: 'main', stage: fakeStage, files: project.files() });
      const first = await readEvents(server, kept);
      await first.waitFor(isStep('ready'));
      first.close();
      const second = await readEvents(server, kept);
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(second.events.some(isStep('stopped'))).toBe(false);
      await api(server, 'DELETE', `/runs/${kept}`);
    } finally {
      await server.close();
    }
  });

  it('after the idle timeout', async () => {
    // Long enough to cover the quiet moments of a start on a busy machine (the stage prints
    // every few hundred ms while starting), short enough for a test.
    const server = await startTestServer(project, { idleMs: 3_000 });
    try {
      const id = await startRun(server, { slot: 'main', stage: fakeStage, files: project.files() });
      const events = await readEvents(server, id);
      await events.waitFor(isStep('ready'));
      const pid = printedPid(events.output(), 'pid');
      const readyAt = Date.now();
      expect(await events.waitFor(isStep('stopped'), 15_000)).toMatchObject({ reason: 'idle' });
      expect(Date.now() - readyAt).toBeGreaterThanOrEqual(2_500);
      expect(alive(pid)).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('when the server closes', async () => {
    const server = await startTestServer(project);
    const id = await startRun(server, { slot: 'main', stage: fakeStage, files: project.files({ grandchild: true }) });
    const events = await readEvents(server, id);
    await events.waitFor(isStep('ready'));
    const pids = [printedPid(events.output(), 'pid'), printedPid(events.output(), 'grandchild')];
    await server.close();
    expect(pids.map(alive)).toEqual([false, false]);
    expect(workspacesLeft(project)).toEqual([]);
    expect(dataFoldersLeft(project)).toEqual([]);
    expect(await events.waitFor(isStep('stopped'), 2_000)).toMatchObject({ reason: 'shutdown' });
  });
});
