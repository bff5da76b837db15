// The WebContainer adapter's handling of the container's Node, against the fake: pinning the
// Node line, the probe and its report, spawning the stage's `node` directly, and waiting for
// the stage's ports to close after Stop. The real container is checked by
// `npm run test:webcontainer` (tests/webcontainer/), where stackblitz.com is reachable.
import { describe, expect, it } from 'vitest';
import type { FileMap } from './port.ts';
import { GOOD_NODE, type FakeProcess, type SpawnHandler } from './testing/fake-webcontainer.ts';
import { fakeSite, recorder, setup, shopStarts, stage1, stageRuns, STAGE } from './testing/webcontainer-setup.ts';
import { CONTAINER_NODE } from './webcontainer/pin.ts';
import { describeProbe, PROBE_SCRIPT, stripsByDefault } from './webcontainer/probe.ts';
import { portOfRun } from './webcontainer/run.ts';
import { startCommand } from './webcontainer/spawn.ts';

describe('pinning the container’s Node', () => {
  it('writes engines.node and .nvmrc at the container root before any node process starts', async () => {
    const { runtime, container } = setup();
    await runtime.boot();
    expect(JSON.parse(container.fs.text('package.json')!)).toMatchObject({ private: true, engines: { node: CONTAINER_NODE } });
    expect(container.fs.text('.nvmrc')).toBe(`v${CONTAINER_NODE}\n`);
    expect(CONTAINER_NODE).toMatch(/^22\.\d+\.\d+$/);
    // Both were written before the first spawn (the probe): WebContainer picks Node per spawn.
    const firstNode = container.fs.writes.indexOf('runtime/probe.mjs');
    expect(container.fs.writes.indexOf('package.json')).toBeLessThan(firstNode);
    expect(container.fs.writes.indexOf('.nvmrc')).toBeLessThan(firstNode);
    expect(container.spawned[0]!.args[0]).toBe('runtime/probe.mjs');
  });
});

describe('the Node probe', () => {
  it('runs once per boot and prints its result in the first run’s Output only', async () => {
    const { runtime, container } = setup({}, fakeSite(), { probe: { ...GOOD_NODE, version: 'v22.22.1' } });
    const first = recorder();
    await (await runtime.start('main', '01-single-file', stage1, first)).stop();
    const second = recorder();
    await (await runtime.start('main', '01-single-file', stage1, second)).stop();
    expect(container.spawned.filter((p) => p.args[0] === 'runtime/probe.mjs')).toHaveLength(1);
    expect(first.text()).toContain('Node in the container: v22.22.1; type stripping: strip (a .ts file ran); AsyncLocalStorage across await: kept.');
    expect(second.text()).not.toContain('Node in the container');
  });

  it('says what a missing type stripping and a lost AsyncLocalStorage mean for the stages', async () => {
    const { runtime } = setup({}, fakeSite(), { probe: { version: 'v20.19.0', typescript: false, runsTypeScript: false, asyncContext: false } });
    const listener = recorder();
    await (await runtime.start('main', '01-single-file', stage1, listener)).stop();
    expect(listener.text()).toContain('Node in the container: v20.19.0; type stripping: none (a .ts file did NOT run); AsyncLocalStorage across await: lost.');
    expect(listener.text()).toContain('This Node does not strip TypeScript types itself: every stage runs with the hook that does (node --import ../contract/strip-types.mjs).');
    expect(listener.text()).not.toMatch(/expect them to fail/);
    expect(listener.text()).toMatch(/Stages 11-12 .* link spans instead/);
  });

  it('starts the stage and its check with the type-stripping hook where a .ts file did not run', async () => {
    const { runtime, container } = setup({}, fakeSite(), { probe: { ...GOOD_NODE, typescript: false, runsTypeScript: false } });
    container.handle('node --import', shopStarts);
    const run = await runtime.start('main', '01-single-file', stage1, recorder());
    await run.ready;
    await run.stop();
    const started = container.spawned.filter((p) => p.args[0] === '--import');
    expect(started.map((p) => p.args)).toEqual([['--import', '../contract/strip-types.mjs', 'src/shop.ts']]);
    // The hook is mounted beside the stage, from the contract suite's files.
    expect(started[0]!.options.cwd).toBe('slots/main/examples/01-single-file');
  });

  it('does not keep a stage from running when the probe itself fails', async () => {
    const { runtime, container } = setup({}, fakeSite(), { probe: 'fail' });
    // Not knowing whether this Node strips types, the adapter starts the stage with the hook.
    container.handle('node --import', shopStarts);
    const listener = recorder();
    const run = await runtime.start('main', '01-single-file', stage1, listener);
    await expect(run.ready).resolves.toContain('--3000--');
    expect(listener.text()).toMatch(/Could not ask the container's Node what it can do: The Node probe failed \(exit code 1\)/);
    await run.stop();
  });

  it('reads the version the stages need', () => {
    expect(['v22.18.0', 'v22.22.0', 'v24.1.0'].map(stripsByDefault)).toEqual([true, true, true]);
    expect(['v22.17.1', 'v20.19.0', 'v18.20.0'].map(stripsByDefault)).toEqual([false, false, false]);
    expect(describeProbe(GOOD_NODE)).not.toMatch(/fail/);
  });

  it('asks the questions it reports: node -v, process.features.typescript, a .ts import, AsyncLocalStorage over await', () => {
    expect(PROBE_SCRIPT).toContain('process.version');
    expect(PROBE_SCRIPT).toContain('process.features.typescript');
    expect(PROBE_SCRIPT).toContain("import('./probe-types.mts')");
    expect(PROBE_SCRIPT).toMatch(/storage\.run\('kept'[\s\S]*await[\s\S]*storage\.getStore\(\) === 'kept'/);
  });
});

describe('spawning the stage', () => {
  it('runs the start script’s `node …` directly, not `npm start`', async () => {
    const { runtime, container } = setup();
    const listener = recorder();
    const run = await runtime.start('main', '01-single-file', stage1, listener);
    await run.ready;
    expect(container.spawned.filter((p) => p.command === 'npm')).toEqual([]);
    expect(stageRuns(container).map((p) => [p.command, p.args, p.options.cwd, p.options.env?.PORT])).toEqual([['node', ['src/shop.ts'], 'slots/main/examples/01-single-file', 3000]]);
    expect(listener.details).toContain('node src/shop.ts (PORT=3000)');
    // Stop's kill() reaches the stage's own process.
    await run.stop();
    expect(stageRuns(container)[0]!.killed).toBe(true);
  });

  it('keeps `npm start` for a script a shell would have to interpret', () => {
    expect(startCommand('{"scripts":{"start":"node src/start.ts"}}')).toEqual({ command: 'node', args: ['src/start.ts'], text: 'node src/start.ts' });
    expect(startCommand('{"scripts":{"start":"node --disable-warning=ExperimentalWarning src/main.ts"}}').args).toEqual(['--disable-warning=ExperimentalWarning', 'src/main.ts']);
    for (const script of ['node a.ts && node b.ts', 'PORT=1 node a.ts', 'node "my file.ts"', 'tsx src/a.ts', 'node', 'node $ENTRY']) {
      expect(startCommand(JSON.stringify({ scripts: { start: script } })), script).toMatchObject({ command: 'npm', args: ['start'] });
    }
    expect(startCommand(undefined).command).toBe('npm');
    expect(startCommand('not json').command).toBe('npm');
  });

  it('runs every stage’s real start script as node directly', async () => {
    const { readdirSync, readFileSync, existsSync } = await import('node:fs');
    const examples = new URL('../../examples/', import.meta.url);
    const stages = readdirSync(examples).filter((name) => /^\d\d-/.test(name));
    expect(stages.length).toBeGreaterThanOrEqual(12);
    for (const stage of stages) {
      const file = new URL(`${stage}/package.json`, examples);
      expect(existsSync(file), stage).toBe(true);
      expect(startCommand(readFileSync(file, 'utf8')).command, stage).toBe('node');
    }
  });
});

describe('after Stop', () => {
  /** A supervisor on PORT that opens internal ports PORT+100 and PORT+200; they close `lagMs` after it ends. */
  function supervisor(lagMs: number, closes = true): SpawnHandler {
    return (process: FakeProcess, container) => {
      const port = Number(process.options.env?.PORT);
      process.print(`ready on ${port}\r\n`);
      for (const internal of [port + 100, port + 200]) container.openPort(internal);
      container.openPort(port);
      process.onKill = () => {
        container.emit('port', port, 'close', '');
        process.finish(143);
        if (closes) setTimeout(() => [port + 100, port + 200].forEach((internal) => container.emit('port', internal, 'close', '')), lagMs);
      };
    };
  }

  it('waits until every port the stage opened has closed before the next Run starts', async () => {
    const { runtime, container } = setup();
    container.handle(STAGE, supervisor(300));
    const first = await runtime.start('main', '01-single-file', stage1, recorder());
    await first.ready;
    const started = Date.now();
    let closedAt = 0;
    container.on('port', (port, type) => {
      if (port === 3200 && type === 'close') closedAt = Date.now();
    });
    const second = await runtime.start('main', '01-single-file', stage1, recorder());
    // The second run was spawned only after the internal ports had closed.
    expect(closedAt).toBeGreaterThan(0);
    expect(closedAt - started).toBeGreaterThanOrEqual(250);
    expect(stageRuns(container)).toHaveLength(2);
    await second.ready;
    await second.stop();
  });

  it('gives up after portCloseTimeoutMs and says which ports stayed open', async () => {
    const { runtime, container } = setup({ portCloseTimeoutMs: 200 });
    container.handle(STAGE, supervisor(0, false));
    const listener = recorder();
    const run = await runtime.start('main', '01-single-file', stage1, listener);
    await run.ready;
    const started = Date.now();
    await run.stop();
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(listener.text()).toContain('Ports 3100, 3200 still open 0.2 s after Stop; the next Run may find them in use.');
  });

  it('does not wait for the ports of a stage running in another slot', async () => {
    const { runtime, container } = setup({ portCloseTimeoutMs: 3_000 });
    container.handle(STAGE, supervisor(0));
    const other: FileMap = { ...stage1 };
    const a = await runtime.start('compare-from', '01-single-file', stage1, recorder());
    const b = await runtime.start('compare-to', '01-single-file', other, recorder());
    await Promise.all([a.ready, b.ready]);
    const closed: number[] = [];
    container.on('port', (port, type) => void (type === 'close' && closed.push(port)));
    const started = Date.now();
    await a.stop();
    // compare-to's 3101 and 3201 stay open (it still runs); waiting for them would take 3 s.
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(closed.sort()).toEqual([3000, 3100, 3200]);
    await b.stop();
  });

  it('tells a run’s ports from another slot’s by the stages’ port rule (PORT + n × 100)', () => {
    expect(portOfRun(3100, 3000, [3001])).toBe(true);
    expect(portOfRun(3101, 3000, [3001])).toBe(false);
    expect(portOfRun(3101, 3001, [3000])).toBe(true);
    // A port that fits no slot's rule is counted as ours: waiting too long beats a busy port.
    expect(portOfRun(5432, 3000, [3001])).toBe(true);
  });
});

describe('the device profile', () => {
  const small = { name: 'small' as const, env: { SHOP_PROFILE: 'small' }, note: 'Small profile (SHOP_PROFILE=small), as this is a phone or tablet.' };
  const heavy: FileMap = { ...stage1, 'src/replicas.ts': "const profile = process.env.SHOP_PROFILE;\n" };

  it('starts a stage that reads SHOP_PROFILE with the small profile and says so in Output', async () => {
    const { runtime, container } = setup({ profile: small });
    const listener = recorder();
    await (await runtime.start('main', '10-scaling-out', heavy, listener)).stop();
    expect(stageRuns(container)[0]!.options.env).toMatchObject({ SHOP_PROFILE: 'small' });
    expect(listener.text()).toContain('Small profile (SHOP_PROFILE=small)');
  });

  it('leaves a stage that does not read it alone', async () => {
    const { runtime, container } = setup({ profile: small });
    const listener = recorder();
    await (await runtime.start('main', '01-single-file', stage1, listener)).stop();
    expect(stageRuns(container)[0]!.options.env).not.toHaveProperty('SHOP_PROFILE');
    expect(listener.text()).not.toContain('Small profile');
  });

  it('runs the full set where the device is not small', async () => {
    const { runtime, container } = setup({ profile: { name: 'full', env: {}, note: undefined } });
    await (await runtime.start('main', '10-scaling-out', heavy, recorder())).stop();
    expect(stageRuns(container)[0]!.options.env).not.toHaveProperty('SHOP_PROFILE');
  });
});
