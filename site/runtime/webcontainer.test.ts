// The WebContainer adapter against a fake WebContainer (the real one cannot boot without
// stackblitz.com). The last test runs the real stage 1 and the real request helper as host
// processes behind the fake, so the ready detection and the request path see real output.
import { spawn, execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RuntimeError, type FileMap, type ShopRequest, type ShopResponse } from './port.ts';
import { createFakeApi, type FakeProcess, type FakeWebContainer } from './testing/fake-webcontainer.ts';
import { answering, capable, contract, fakeSite, recorder, setup, snapshotBytes, stage1, stageRuns, STAGE } from './testing/webcontainer-setup.ts';
import { createWebContainerRuntime, hashText, REQUEST_HELPER } from './webcontainer.ts';

describe('booting', () => {
  it('boots once per page and reuses the instance across runtimes, stages and slots', async () => {
    const { api, calls, container, runtime, site } = setup();
    const main = await runtime.start('main', '01-single-file', stage1, recorder());
    await main.ready;
    const other = createWebContainerRuntime({ api, fetch: site.fetchFn, facts: capable, baseUrl: '/' });
    const compare = await other.start('compare', '02-two-services', stage1, recorder());
    await compare.ready;
    expect(calls.boots).toHaveLength(1);
    expect(calls.boots[0]).toMatchObject({ coep: 'require-corp' });
    // The dependency snapshot and the contract were fetched and mounted once for the page.
    expect(container.binaryMounts).toHaveLength(1);
    expect(site.fetched.filter((url) => url.endsWith('.bin.gz'))).toHaveLength(1);
    expect(site.fetched.filter((url) => url.endsWith('contract.json'))).toHaveLength(1);
    // Each slot has its own workspace and port.
    expect(stageRuns(container).map((p) => [p.options.cwd, p.options.env?.PORT])).toEqual([
      ['slots/main/examples/01-single-file', 3000],
      ['slots/compare/examples/02-two-services', 3001],
    ]);
    await Promise.all([main.stop(), compare.stop()]);
  });

  it('gives up after its own timeout with a RuntimeError naming the host and the Local way out', async () => {
    const fake = createFakeApi({ boot: 'never' });
    const runtime = createWebContainerRuntime({ api: fake.api, fetch: fakeSite().fetchFn, facts: capable, baseUrl: '/', bootTimeoutMs: 150 });
    const listener = recorder();
    const started = Date.now();
    const error = await runtime.start('main', '01-single-file', stage1, listener).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).message).toMatch(/did not boot within 0\.15 s.*stackblitz\.com.*unreachable/);
    expect((error as RuntimeError).remedy).toMatch(/press Download in the workbench.*`npm start`/);
    expect(listener.steps).toEqual(['booting', 'error']);
    // Trying again waits on the same boot: the package would queue a second boot() behind it anyway.
    await expect(runtime.boot()).rejects.toThrow(/did not boot/);
    expect(fake.calls.boots).toHaveLength(1);
  });

  it('refuses to boot on a page that is not cross-origin isolated, and says how to fix it', async () => {
    const { runtime, calls } = setup({ facts: { isolated: false, missing: ['SharedArrayBuffer'], ios: false } });
    const error = (await runtime.boot().catch((e: unknown) => e)) as RuntimeError;
    expect(error).toBeInstanceOf(RuntimeError);
    expect(error.message).toMatch(/not cross-origin isolated \(crossOriginIsolated is false\)/);
    expect(error.remedy).toMatch(/Cross-Origin-Embedder-Policy.*press Download in the workbench.*`npm start`/);
    expect(calls.boots).toHaveLength(0);
  });

  it('names the missing browser features', async () => {
    const { runtime } = setup({ facts: { isolated: true, missing: ['Atomics.waitAsync'], ios: false } });
    const error = (await runtime.boot().catch((e: unknown) => e)) as RuntimeError;
    expect(error.message).toMatch(/this browser lacks Atomics\.waitAsync/);
    expect(error.remedy).toMatch(/npm start/);
  });

  it('wraps a boot that fails outright, and lets a later call boot again', async () => {
    const fake = createFakeApi({ boot: new Error('Only a single WebContainer instance can be booted') });
    const runtime = createWebContainerRuntime({ api: fake.api, fetch: fakeSite().fetchFn, facts: capable, baseUrl: '/' });
    await expect(runtime.boot()).rejects.toThrow(/failed to boot: Only a single WebContainer instance/);
    await expect(runtime.boot()).rejects.toThrow(/failed to boot/);
    expect(fake.calls.boots).toHaveLength(2);
  });

  it('applies the API key before booting', async () => {
    const { runtime, calls } = setup({ apiKey: 'wc_api_test' });
    await runtime.boot();
    expect(calls.keys).toEqual(['wc_api_test']);
    expect(calls.boots).toHaveLength(1);
  });

  it('on iOS waits for a gesture before booting', async () => {
    let tap!: () => void;
    const gesture = new Promise<void>((resolve) => (tap = resolve));
    const { runtime, calls } = setup({ facts: { ...capable, ios: true }, waitForGesture: () => gesture });
    const listener = recorder();
    const booted = runtime.boot(listener);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls.boots).toHaveLength(0);
    expect(listener.details[0]).toMatch(/Press Start/);
    tap();
    await booted;
    expect(calls.boots).toHaveLength(1);
  });

  it('unpacks the gzipped dependency snapshot and mounts it at node_modules, and skips an empty one', async () => {
    const { runtime, container, site } = setup();
    await runtime.boot();
    expect(container.binaryMounts).toEqual([{ bytes: snapshotBytes, mountPoint: 'node_modules' }]);
    expect(site.fetched).toEqual(['/runtime/manifest.json', '/runtime/deps-abc.bin.gz']);
    expect(container.fs.text('runtime/request.mjs')).toBe(REQUEST_HELPER);

    // A host that sent it with Content-Encoding: gzip: the browser has unpacked it already.
    const decoded = setup({}, fakeSite(undefined, snapshotBytes));
    await decoded.runtime.boot();
    expect(decoded.container.binaryMounts).toEqual([{ bytes: snapshotBytes, mountPoint: 'node_modules' }]);

    const empty = setup({}, fakeSite({ file: 'deps-e3b0.bin.gz', files: 0 }));
    await empty.runtime.boot();
    expect(empty.container.binaryMounts).toEqual([]);
    expect(empty.site.fetched).toEqual(['/runtime/manifest.json']);
    expect(empty.container.fs.dirs.has('node_modules')).toBe(true);
  });
});

describe('files', () => {
  it('mirrors the repo in the slot workspace: the stage and the contract', async () => {
    const { runtime, container } = setup();
    const run = await runtime.start('main', '01-single-file', stage1, recorder());
    expect(container.fs.text('slots/main/examples/01-single-file/src/shop.ts')).toBe(stage1['src/shop.ts']);
    expect(container.fs.text('slots/main/examples/contract/src/index.ts')).toBe(contract['src/index.ts']);
    await run.stop();
  });

  it('writes only the changed files when the same stage starts again, and removes deleted ones', async () => {
    const { runtime, container } = setup();
    const first = await runtime.start('main', '01-single-file', stage1, recorder());
    await first.ready;
    const before = container.fs.writes.length;
    const { 'src/util.ts': _removed, ...rest } = stage1;
    const edited = { ...rest, 'src/shop.ts': 'console.log("edited");\n' };
    const second = await runtime.start('main', '01-single-file', edited, recorder());
    await second.ready;
    const rewritten = container.fs.writes.slice(before).filter((path) => path.startsWith('slots/'));
    expect(rewritten).toEqual(['slots/main/examples/01-single-file/src/shop.ts']);
    expect(container.fs.text('slots/main/examples/01-single-file/src/shop.ts')).toBe('console.log("edited");\n');
    expect(container.fs.text('slots/main/examples/01-single-file/src/util.ts')).toBeUndefined();
    // Starting the slot again replaced its run.
    expect(stageRuns(container)[0]!.killed).toBe(true);
    // Unchanged: nothing is written at all.
    const again = container.fs.writes.length;
    await (await runtime.start('main', '01-single-file', edited, recorder())).stop();
    expect(container.fs.writes.slice(again).filter((path) => path.startsWith('slots/'))).toEqual([]);
  });

  it('hashes tell different contents apart', () => {
    expect(hashText('a')).not.toBe(hashText('b'));
    expect(hashText('same')).toBe(hashText('same'));
  });
});

describe('running', () => {
  it('is ready only after the ready line, the port event and a healthy /health, in that order', async () => {
    const { runtime, container } = setup();
    let stage!: FakeProcess;
    container.handle(STAGE, (process) => void (stage = process));
    const health: number[] = [];
    let healthStatus = 503;
    container.handle(
      'node',
      answering((port, request) => {
        health.push(port);
        return { status: request.path === '/health' ? healthStatus : 404, headers: {}, body: '', ms: 1 };
      }),
    );
    const listener = recorder();
    const run = await runtime.start('main', '01-single-file', stage1, listener);
    let url: string | undefined;
    void run.ready.then((value) => (url = value));
    const tick = () => new Promise((resolve) => setTimeout(resolve, 60));

    await tick();
    stage.print('> node src/shop.ts\r\nloading…\r\n');
    await tick();
    expect(url).toBeUndefined();
    stage.print('shop \u001b[32mready\u001b[0m on http://127.0.0.1:3000\r\n');
    await tick();
    expect(url).toBeUndefined(); // no port event yet
    expect(health).toEqual([]);
    const preview = container.openPort(3000);
    await tick();
    expect(url).toBeUndefined(); // /health says 503
    expect(health.length).toBeGreaterThan(0);
    healthStatus = 200;
    await expect(run.ready).resolves.toBe(preview);
    expect(listener.steps).toEqual(['booting', 'mounting', 'mounting', 'starting', 'ready']);
    expect(listener.details.at(-1)).toBe(preview);
    expect(listener.text()).toContain('loading…');
    stage.finish(0);
  });

  it('fails `ready` with the exit code when the stage ends before it', async () => {
    const { runtime, container } = setup();
    container.handle(STAGE, (process) => {
      process.print('SyntaxError: Unexpected token\r\n');
      process.finish(1);
    });
    const listener = recorder();
    const run = await runtime.start('main', '01-single-file', stage1, listener);
    const error = (await run.ready.catch((e: unknown) => e)) as RuntimeError;
    expect(error).toBeInstanceOf(RuntimeError);
    expect(error.message).toMatch(/node src\/shop\.ts exited \(code 1\) before the stage was ready/);
    await expect(run.exited).resolves.toBe(1);
    expect(listener.text()).toContain('SyntaxError');
    expect(listener.steps.at(-1)).toBe('error');
  });

  it('fails `ready` after startTimeoutMs when no ready line comes', async () => {
    const { runtime, container } = setup({ startTimeoutMs: 200 });
    container.handle(STAGE, () => {});
    const run = await runtime.start('main', '01-single-file', stage1, recorder());
    await expect(run.ready).rejects.toThrow(/did not print a line containing "ready" and answer GET \/health with 200 within 0\.2 s\. \(PORT 3000\)/);
  });

  it('stop() kills the process, resolves `exited` and reports stopped', async () => {
    const { runtime, container } = setup();
    const listener = recorder();
    const run = await runtime.start('main', '01-single-file', stage1, listener);
    await run.ready;
    await run.stop();
    expect(stageRuns(container)[0]!.killed).toBe(true);
    await expect(run.exited).resolves.toBe(143);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(listener.steps.at(-1)).toBe('stopped');
  });

  it('sends a request through the helper inside the container and returns its answer', async () => {
    const { runtime, container } = setup();
    const seen: ShopRequest[] = [];
    container.handle(
      'node',
      answering((_port, request): ShopResponse => {
        seen.push(request);
        if (request.path === '/health') return { status: 200, headers: {}, body: '{"status":"ok"}', ms: 1 };
        return { status: 201, headers: { 'content-type': 'application/json' }, body: '{"id":"o1"}', ms: 4.2 };
      }),
    );
    const run = await runtime.start('main', '01-single-file', stage1, recorder());
    const request: ShopRequest = { method: 'POST', path: '/orders', headers: { 'content-type': 'application/json' }, body: '{"customerId":"ada"}' };
    await expect(run.request(request)).resolves.toEqual({ status: 201, headers: { 'content-type': 'application/json' }, body: '{"id":"o1"}', ms: 4.2 });
    expect(seen.at(-1)).toEqual(request);
    // The helper's answer file is removed afterwards.
    expect([...container.fs.files.keys()].filter((path) => path.startsWith('runtime/out/'))).toEqual([]);
    await run.stop();
  });

  it('runs two slots at once from a cold start: own folders, own ports, own requests, own stop', async () => {
    const { runtime, container, calls, site } = setup({ bootTimeoutMs: 2_000 });
    const answered: number[] = [];
    container.handle(
      'node',
      answering((port, request) => {
        if (request.path !== '/health') answered.push(port);
        return { status: 200, headers: {}, body: JSON.stringify({ port }), ms: 1 };
      }),
    );
    const stage2: FileMap = { ...stage1, 'src/main.ts': 'console.log("stage 2");\n' };
    const [from, to] = [recorder(), recorder()];
    // Both started in the same tick, before the container has booted (the compare page's Run both).
    const [a, b] = await Promise.all([
      runtime.start('compare-from', '01-single-file', stage1, from),
      runtime.start('compare-to', '02-ports-and-adapters', stage2, to),
    ]);
    await Promise.all([a.ready, b.ready]);
    expect(calls.boots).toHaveLength(1);
    expect(container.binaryMounts).toHaveLength(1);
    expect(site.fetched.filter((url) => url.endsWith('contract.json'))).toHaveLength(1);
    expect(stageRuns(container).map((p) => [p.options.cwd, p.options.env?.PORT])).toEqual([
      ['slots/compare-from/examples/01-single-file', 3000],
      ['slots/compare-to/examples/02-ports-and-adapters', 3001],
    ]);
    expect(container.fs.text('slots/compare-to/examples/02-ports-and-adapters/src/main.ts')).toContain('stage 2');
    expect(container.fs.text('slots/compare-from/examples/01-single-file/src/main.ts')).toBeUndefined();
    expect(container.fs.text('slots/compare-from/examples/contract/src/index.ts')).toBe('export {};\n');
    expect(from.steps.at(-1)).toBe('ready');
    expect(to.steps.at(-1)).toBe('ready');

    expect(JSON.parse((await a.request({ method: 'GET', path: '/products' })).body)).toEqual({ port: 3000 });
    expect(JSON.parse((await b.request({ method: 'GET', path: '/products' })).body)).toEqual({ port: 3001 });
    expect(answered).toEqual([3000, 3001]);

    // The container's own errors concern every stage in it: both outputs show them.
    container.emit('error', { message: 'out of memory' });
    expect(from.text()).toContain('WebContainer error: out of memory');
    expect(to.text()).toContain('WebContainer error: out of memory');

    await a.stop();
    expect(stageRuns(container)[0]!.killed).toBe(true);
    expect(stageRuns(container)[1]!.killed).toBe(false);
    expect(JSON.parse((await b.request({ method: 'GET', path: '/products' })).body)).toEqual({ port: 3001 });
    await b.stop();
  });

  it('cannot measure processes or memory: stats() is null, never a guess', async () => {
    const { runtime } = setup();
    const run = await runtime.start('main', '01-single-file', stage1, recorder());
    await run.ready;
    await expect(runtime.stats!('main')).resolves.toBeNull();
    await run.stop();
  });

  it('turns a connection failure into a RuntimeError', async () => {
    const { runtime, container } = setup();
    const run = await runtime.start('main', '01-single-file', stage1, recorder());
    await run.ready;
    container.handle('node', answering(() => ({ error: 'connect ECONNREFUSED 127.0.0.1:3000' })));
    await expect(run.request({ method: 'GET', path: '/products' })).rejects.toThrow(/did not answer on port 3000: connect ECONNREFUSED/);
    await run.stop();
  });
});

// ---------------------------------------------------------------------------------------------
// Real processes behind the fake: stage 1's own files run with its start command on this machine,
// and requests go through the real request helper.

const repo = join(dirname(new URL(import.meta.url).pathname), '..', '..');
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function readFolder(dir: string, skip = new Set(['node_modules', 'test', 'exercise'])): FileMap {
  const files: FileMap = {};
  const walk = (current: string) => {
    for (const name of readdirSync(current)) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) {
        if (!skip.has(name)) walk(path);
      } else files[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return files;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Copies the fake file system to a host folder so real processes can run in it. */
function materialize(container: FakeWebContainer, root: string): void {
  for (const dir of container.fs.dirs) mkdirSync(join(root, dir), { recursive: true });
  for (const [path, contents] of container.fs.files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), contents);
  }
}

describe('with the real stage 1 and the real request helper', () => {
  it('starts the shop, detects ready, round-trips a request and stops it', async () => {
    const host = mkdtempSync(join(tmpdir(), 'fake-wc-'));
    cleanups.push(() => rmSync(host, { recursive: true, force: true }));
    const basePort = await freePort();
    const pathWithNode = `${dirname(process.execPath)}:${process.env.PATH}`;

    const { runtime, container } = setup({ basePort, startTimeoutMs: 20_000 });
    container.handle(STAGE, (fakeProcess, c) => {
      materialize(c, host);
      const port = Number(fakeProcess.options.env?.PORT);
      const child = spawn(process.execPath, fakeProcess.args, {
        cwd: join(host, fakeProcess.options.cwd ?? ''),
        env: { ...process.env, PATH: pathWithNode, PORT: String(port) },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const kill = (signal: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, signal);
        } catch {
          // already gone
        }
      };
      cleanups.push(() => kill('SIGKILL'));
      child.stdout.on('data', (chunk: Buffer) => fakeProcess.print(chunk.toString().replace(/\n/g, '\r\n')));
      child.stderr.on('data', (chunk: Buffer) => fakeProcess.print(chunk.toString()));
      // WebContainer reports a port once something listens on it; poll for that.
      const poll = setInterval(() => {
        const socket = net.connect(port, '127.0.0.1', () => {
          clearInterval(poll);
          socket.destroy();
          c.openPort(port);
        });
        socket.on('error', () => socket.destroy());
      }, 50);
      child.on('exit', (code) => {
        clearInterval(poll);
        c.emit('port', port, 'close', '');
        fakeProcess.finish(code ?? 143);
      });
      fakeProcess.onKill = () => kill('SIGTERM');
    });
    container.handle('node', async (fakeProcess, c) => {
      materialize(c, host);
      const [script, port, json, out] = fakeProcess.args;
      const code = await new Promise<number>((resolve) =>
        execFile(process.execPath, [script!, port!, json!, out!], { cwd: host }, (error) => resolve(error ? Number(error.code ?? 1) : 0)),
      );
      await c.fs.writeFile(out!, readFileSync(join(host, out!), 'utf8'));
      fakeProcess.finish(code);
    });

    const files = readFolder(join(repo, 'examples', '01-single-file'));
    expect(Object.keys(files)).toContain('src/shop.ts');
    const listener = recorder();
    const run = await runtime.start('main', '01-single-file', files, listener);
    const url = await run.ready;
    expect(url).toContain(`--${basePort}--`);
    expect(listener.text()).toMatch(/shop ready on http:\/\/127\.0\.0\.1:\d+/);

    const products = await run.request({ method: 'GET', path: '/products' });
    expect(products.status).toBe(200);
    expect(products.headers['content-type']).toMatch(/application\/json/);
    expect(JSON.parse(products.body).map((p: { sku: string }) => p.sku)).toContain('coffee-beans');
    expect(products.ms).toBeGreaterThan(0);

    const order = await run.request({ method: 'POST', path: '/orders', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ customerId: 'ada', items: [{ sku: 'mug-blue', quantity: 1 }] }) });
    expect(order.status).toBe(201);
    expect(JSON.parse(order.body)).toMatchObject({ customerId: 'ada', status: 'confirmed' });

    const missing = await run.request({ method: 'GET', path: '/nope' });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({ error: { code: 'not_found' } });

    await run.stop();
    // The shop got SIGTERM: kill() reached it directly, with no npm in between.
    await expect(run.exited).resolves.toEqual(expect.any(Number));
    expect(listener.steps.at(-1)).toBe('stopped');
  });
});
