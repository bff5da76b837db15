// What the WebContainer adapter's unit tests share: the site's static files, a recorder for
// a run's listener, and a runtime over the fake container with stage 1's start command wired.
import { gzipSync } from 'node:zlib';
import type { BrowserFacts } from '../browser-facts.ts';
import type { FileMap, RunListener, RunStep, ShopRequest, ShopResponse } from '../port.ts';
import { createWebContainerRuntime, type WebContainerRuntimeOptions } from '../webcontainer.ts';
import { createFakeApi, type FakeApiOptions, type FakeWebContainer, type SpawnHandler } from './fake-webcontainer.ts';

export const capable: BrowserFacts = { isolated: true, missing: [], ios: false };
export const contract: FileMap = { 'package.json': '{"name":"@shop/contract"}', 'src/index.ts': 'export {};\n' };
export const stage1: FileMap = { 'package.json': '{"scripts":{"start":"node src/shop.ts"}}', 'src/shop.ts': 'console.log("shop");\n', 'src/util.ts': 'export const x = 1;\n' };
export const snapshotBytes = new Uint8Array([0x81, 0xa1, 0x64, 0x80]); // msgpack {d: {}}

/** The site's static files as the adapter fetches them; records every URL asked for. */
export function fakeSite(deps: { file: string; files: number } = { file: 'deps-abc.bin.gz', files: 3 }, body: Uint8Array = gzipSync(snapshotBytes)) {
  const fetched: string[] = [];
  const fetchFn = (async (input: RequestInfo | URL) => {
    const url = String(input);
    fetched.push(url);
    if (url === '/runtime/manifest.json') return Response.json({ format: 'webcontainer-snapshot', deps: { ...deps, bytes: body.byteLength, unpackedBytes: 4, packages: [] } });
    if (url === `/runtime/${deps.file}`) return new Response(new Uint8Array(body));
    if (url === '/runtime/files/contract.json') return Response.json({ files: contract });
    return new Response('not found', { status: 404 });
  }) as typeof fetch;
  return { fetchFn, fetched };
}

export function recorder(): RunListener & { steps: RunStep[]; details: (string | undefined)[]; text: () => string } {
  const steps: RunStep[] = [];
  const details: (string | undefined)[] = [];
  let text = '';
  return {
    steps,
    details,
    text: () => text,
    output: (chunk) => void (text += chunk),
    status: (step, detail) => {
      steps.push(step);
      details.push(detail);
    },
  };
}

/** A request helper that answers like a healthy shop without running anything. */
export function answering(answer: (port: number, request: ShopRequest) => ShopResponse | { error: string }): SpawnHandler {
  return async (process, container) => {
    const [, port, json, out] = process.args;
    await container.fs.writeFile(out!, JSON.stringify(answer(Number(port), JSON.parse(json!))));
    process.finish(0);
  };
}
export const healthy = answering((_port, request) => ({ status: request.path === '/health' ? 200 : 404, headers: { 'content-type': 'application/json' }, body: '{"status":"ok"}', ms: 1.5 }));

/** Stage 1's `node src/shop.ts`: prints its ready line, opens PORT, and ends on kill. */
export const shopStarts: SpawnHandler = (process, container) => {
  const port = Number(process.options.env?.PORT);
  process.print('\r\n> @shop/01-single-file start\r\n> node src/shop.ts\r\n\r\n');
  process.print(`shop ready on http://127.0.0.1:${port}\r\n`);
  container.openPort(port);
  process.onKill = () => {
    container.emit('port', port, 'close', '');
    process.finish(143);
  };
};

export function setup(options: Partial<WebContainerRuntimeOptions> = {}, site = fakeSite(), fakeOptions: FakeApiOptions = {}) {
  const fake = createFakeApi(fakeOptions);
  fake.container.handle(STAGE, shopStarts).handle('node', healthy);
  const runtime = createWebContainerRuntime({ api: fake.api, fetch: site.fetchFn, facts: capable, baseUrl: '/', bootTimeoutMs: 2_000, startTimeoutMs: 5_000, ...options });
  return { ...fake, runtime, site };
}

/** The stage's start command as spawned: its package.json says `node src/shop.ts`. */
export const STAGE = 'node src/shop.ts';
export const stageRuns = (container: FakeWebContainer) => container.spawned.filter((p) => `${p.command} ${p.args[0]}` === STAGE);

