// Even a server killed with SIGKILL (no chance to clean up) leaves no stage processes behind:
// each run's supervisor notices that the server is gone and ends its process group.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { groupAlive } from './processes.ts';
import { alive, groupOf, eventually, fakeStage, isStep, makeFakeProject, printedPid, readEvents, startRun, workspacesLeft, type FakeProject, type TestServer } from './testing.ts';

let project: FakeProject;
beforeAll(() => {
  project = makeFakeProject();
});
afterAll(() => project.remove());

const main = fileURLToPath(new URL('../main.ts', import.meta.url));

it('a killed server takes its stages with it', async () => {
  const script = `
    const { startSiteServer } = await import(${JSON.stringify(main)});
    const options = JSON.parse(process.env.RUNNER_TEST_OPTIONS);
    const server = await startSiteServer(options);
    console.log('port ' + server.address().port);
  `;
  const options = {
    port: 0,
    root: project.dist,
    runner: { examplesRoot: project.examplesRoot, nodeModules: project.nodeModules, tempRoot: project.tempRoot, token: 'b'.repeat(64) },
  };
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
    const server: TestServer = { port, base: `http://127.0.0.1:${port}`, token: options.runner.token, cookie: '', close: async () => {} };
    const id = await startRun(server, { slot: 'main', stage: fakeStage, files: project.files({ grandchild: true }) });
    const events = await readEvents(server, id);
    await events.waitFor(isStep('ready'));
    const pids = [printedPid(events.output(), 'pid'), printedPid(events.output(), 'grandchild')];
    expect(pids.map(alive)).toEqual([true, true]);
    const group = groupOf(pids[0]!);
    expect(groupOf(pids[1]!)).toBe(group);
    expect(workspacesLeft(project)).toHaveLength(1);

    child.kill('SIGKILL');
    expect(await eventually(() => pids.every((pid) => !alive(pid)), 10_000)).toBe(true);
    expect(await eventually(() => workspacesLeft(project).length === 0)).toBe(true);
    // The supervisor too: nothing of the group is left.
    expect(await eventually(() => !groupAlive(group))).toBe(true);
  } finally {
    child.kill('SIGKILL');
  }
});
