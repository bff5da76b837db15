// The WebContainer adapter: runs a stage with `npm start` in StackBlitz's in-browser Node.
// Loaded only through load.ts's `import()`.
//
// One instance per page. `WebContainer.boot()` may succeed only once per page, so the booted
// instance, the dependency mount and each slot's file hashes live in one state object on
// globalThis (key STATE_KEY): every runtime this module creates, for any stage or slot, uses
// the same instance. With Astro view transitions (<ClientRouter />) the JS realm survives a
// chapter change, so this state does too; the iframe WebContainer adds to <body> would not
// (the router swaps <body>), so keepAcrossViewTransitions() carries it over, or turns the
// navigation into a full page load where the browser cannot move an iframe without reloading it.
//
// Workspace layout inside the container (paths relative to its workdir), mirroring the repo:
//   node_modules/                        the ONE dependency snapshot, mounted once per boot
//   runtime/request.mjs                  the request helper (below)
//   slots/<slot>/examples/<stage>/...    the stage's files with the reader's edits
//   slots/<slot>/examples/contract/...   the contract suite (stages import it by relative path)
// Node resolves bare imports by walking up from the file, so every slot finds node_modules/.
// A slot is a workspace of its own so two slots can run the same stage with different edits,
// and slots run at the same time (the compare page's "Run both"): each has its own PORT
// (3000, 3001, ... in the order slots are first used), so stages derive internal ports from
// PORT in steps larger than one.
//
// API key: a commercial deployment needs a StackBlitz licence key. Set PUBLIC_WEBCONTAINER_API_KEY
// at build time (`PUBLIC_WEBCONTAINER_API_KEY=wc_api_... npm run build`); it is passed to
// configureAPIKey() before the first boot. Unset, the free (open-source/personal) terms apply.
import type { BootOptions, FileSystemTree, WebContainer, WebContainerProcess } from '@webcontainer/api';
import { browserFacts, LOCAL_REMEDY, needsUserGestureToBoot, type BrowserFacts } from './load.ts';
import { checkInContainer } from './webcontainer-check.ts';
import { RuntimeError, type FileMap, type RunListener, type RunningStage, type Runtime, type ShopRequest, type ShopResponse } from './port.ts';

export { needsUserGestureToBoot };

/** The members of a booted WebContainer this adapter uses. */
export type WebContainerLike = Pick<WebContainer, 'fs' | 'mount' | 'spawn' | 'on'>;

/** The package's entry points this adapter uses (the real module, or a fake in tests). */
export interface WebContainerApi {
  boot(options: BootOptions): Promise<WebContainerLike>;
  configureAPIKey(key: string): void;
}

export interface WebContainerRuntimeOptions {
  /** Give up waiting for boot after this long: without its host the API never settles. Default 20 s. */
  bootTimeoutMs?: number;
  /** How long `npm start` may take to print its ready line and answer /health. Default 60 s. */
  startTimeoutMs?: number;
  /** The first slot's PORT; each further slot gets the next one. Default 3000. */
  basePort?: number;
  /** Where the site is served from (`/runtime/...` is fetched below it). Default: Astro's BASE_URL. */
  baseUrl?: string;
  /** StackBlitz licence key. Default: the build-time PUBLIC_WEBCONTAINER_API_KEY. */
  apiKey?: string;
  /** Must match the page's Cross-Origin-Embedder-Policy (deploy/isolation-headers.json). */
  coep?: BootOptions['coep'];
  /** For tests. */
  api?: WebContainerApi;
  fetch?: typeof fetch;
  facts?: BrowserFacts;
  waitForGesture?: () => Promise<void>;
}

export interface WebContainerRuntime extends Runtime {
  readonly kind: 'webcontainer';
  /** Boots (once per page) and mounts the dependency snapshot; start() does this by itself. */
  boot(listener?: Partial<RunListener>): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// The request helper. The host page cannot fetch a preview URL, so requests run inside the
// container: `node runtime/request.mjs PORT REQUEST_JSON OUT_FILE` fetches 127.0.0.1:PORT and
// writes one JSON document to OUT_FILE, which the adapter reads through the file system.
// Why not the preview iframe (setPreviewScript + postMessage)? The shop answers JSON only:
// WebContainer injects preview scripts into HTML responses, so there is no page to carry the
// script, and a hidden iframe per slot would need its own handshake. A process costs one node
// start per request (unmeasured here) but needs nothing from the shop. A file rather than
// stdout: process output goes through a pseudo-terminal (line endings, escape codes).
export const REQUEST_HELPER = `// Written by the site's WebContainer adapter: one request to the running stage.
import { writeFileSync } from 'node:fs';
const [port, json, out] = process.argv.slice(2);
const request = JSON.parse(json);
let result;
const started = performance.now();
try {
  const response = await fetch('http://127.0.0.1:' + port + request.path, {
    method: request.method,
    headers: request.headers ?? {},
    body: request.body === undefined || request.method === 'GET' ? undefined : request.body,
    signal: AbortSignal.timeout(15000),
  });
  const body = await response.text();
  result = { status: response.status, headers: Object.fromEntries(response.headers), body, ms: performance.now() - started };
} catch (error) {
  result = { error: String(error && error.cause ? error.cause.message || error.cause : error && error.message) };
}
writeFileSync(out, JSON.stringify(result));
`;

// ---------------------------------------------------------------------------------------------
// Page-wide state.

interface SlotState {
  port: number;
  /** Hash of each file written into this slot's workspace, by workspace path. */
  hashes: Map<string, string>;
  /** The stage folder of the current run, for writeFile(). */
  stageDir?: string;
  run?: RunningStage;
}

interface BootState {
  instance?: WebContainerLike;
  /** The API's boot, kept even after our timeout: the package queues any further boot() behind it. */
  booting?: Promise<WebContainerLike>;
  gesture?: Promise<void>;
  /** Dependency snapshot and request helper, once per boot. */
  prepared?: Promise<void>;
  contract?: Promise<FileMap>;
  /** Open ports and their preview URLs, from the `port` and `server-ready` events. */
  ports: Map<number, string>;
  portChanged: Set<() => void>;
  slots: Map<string, SlotState>;
  requests: number;
  /** Where the container's own `error` events go: the output of each slot's current run. */
  reportError: Map<string, (text: string) => void>;
}

const STATE_KEY = '__monolithToDistributedWebContainer';
const testStates = new WeakMap<WebContainerApi, BootState>();

function newState(): BootState {
  return { ports: new Map(), portChanged: new Set(), slots: new Map(), requests: 0, reportError: new Map() };
}

function stateFor(api: WebContainerApi | undefined): BootState {
  if (api) {
    let state = testStates.get(api);
    if (!state) testStates.set(api, (state = newState()));
    return state;
  }
  const scope = globalThis as typeof globalThis & { [STATE_KEY]?: BootState };
  return (scope[STATE_KEY] ??= newState());
}

async function loadRealApi(): Promise<WebContainerApi> {
  const module = await import('@webcontainer/api');
  return { boot: (options) => module.WebContainer.boot(options), configureAPIKey: module.configureAPIKey } satisfies WebContainerApi;
}

// ---------------------------------------------------------------------------------------------
// Errors that name the cause and the way out.

function notIsolated(): RuntimeError {
  return new RuntimeError(
    'The in-browser runtime (WebContainer) cannot start: this page is not cross-origin isolated (crossOriginIsolated is false), so the browser withholds SharedArrayBuffer.',
    'The site must be served with "Cross-Origin-Opener-Policy: same-origin" and "Cross-Origin-Embedder-Policy: require-corp" (see deploy/); a browser extension or an embedding page can also break it. ' +
      LOCAL_REMEDY,
  );
}

function unsupported(missing: string[]): RuntimeError {
  return new RuntimeError(
    `The in-browser runtime (WebContainer) cannot start: this browser lacks ${missing.join(', ')}.`,
    'Use a recent Chrome, Edge or Firefox, or Safari 16.4 or later. ' + LOCAL_REMEDY,
  );
}

function bootTimedOut(ms: number): RuntimeError {
  return new RuntimeError(
    `The in-browser runtime (WebContainer) did not boot within ${seconds(ms)} s: its runtime host (stackblitz.com) is probably unreachable from this network, or blocked by a firewall or content blocker.`,
    'Check the connection and that *.stackblitz.com and *.webcontainer-api.io are allowed, then reload the page. ' + LOCAL_REMEDY,
  );
}

function bootFailed(error: unknown): RuntimeError {
  return new RuntimeError(`The in-browser runtime (WebContainer) failed to boot: ${(error as Error)?.message ?? String(error)}`, 'Reload the page to try again. ' + LOCAL_REMEDY);
}

// ---------------------------------------------------------------------------------------------

/** A 53-bit string hash (cyrb53): enough to tell whether a file changed since it was written. */
export function hashText(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** Files by workspace path -> the nested tree mount() takes. */
export function toTree(files: FileMap): FileSystemTree {
  const tree: FileSystemTree = {};
  for (const [path, contents] of Object.entries(files)) {
    const parts = path.split('/').filter(Boolean);
    let folder = tree;
    for (const part of parts.slice(0, -1)) {
      const node = (folder[part] ??= { directory: {} });
      if (!('directory' in node)) throw new Error(`${path}: ${part} is a file`);
      folder = node.directory;
    }
    folder[parts.at(-1)!] = { file: { contents } };
  }
  return tree;
}

/** The contract suite's files: the one place that knows that document's URL and shape. */
export async function fetchContractFiles(fetchFn: typeof fetch, baseUrl: string): Promise<FileMap> {
  const response = await fetchFn(`${baseUrl}runtime/files/contract.json`);
  if (!response.ok) throw new RuntimeError(`Could not load the contract suite's files (HTTP ${response.status}).`, 'Reload the page; if it persists, the site build is incomplete.');
  const { files } = (await response.json()) as { files: FileMap };
  return files;
}

const seconds = (ms: number) => Number((ms / 1000).toFixed(2));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(onTimeout()), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function nextGesture(): Promise<void> {
  return new Promise((resolve) => {
    const events = ['pointerup', 'keydown', 'touchend'] as const;
    const done = () => {
      for (const type of events) document.removeEventListener(type, done, true);
      resolve();
    };
    for (const type of events) document.addEventListener(type, done, true);
  });
}

const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/\u001b\][^\u0007]*\u0007/g, '');

// ---------------------------------------------------------------------------------------------

/**
 * The dependency snapshot ships gzipped (a third of its size). A host that labels `.gz` files
 * `Content-Encoding: gzip` has the browser unpack it already, so the gzip header decides.
 */
async function unpacked(bytes: ArrayBuffer): Promise<ArrayBuffer> {
  const head = new Uint8Array(bytes, 0, Math.min(2, bytes.byteLength));
  if (head[0] !== 0x1f || head[1] !== 0x8b) return bytes;
  return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer();
}

export function createWebContainerRuntime(options: WebContainerRuntimeOptions = {}): WebContainerRuntime {
  const bootTimeoutMs = options.bootTimeoutMs ?? 20_000;
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const basePort = options.basePort ?? 3000;
  const baseUrl = (options.baseUrl ?? import.meta.env.BASE_URL ?? '/').replace(/\/?$/, '/');
  const apiKey = options.apiKey ?? (import.meta.env.PUBLIC_WEBCONTAINER_API_KEY as string | undefined);
  const fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  const state = stateFor(options.api);

  const facts = () => options.facts ?? browserFacts();

  async function bootInstance(listener: Partial<RunListener>): Promise<WebContainerLike> {
    if (state.instance) return state.instance;
    const { isolated, missing } = facts();
    if (!isolated) throw notIsolated();
    if (missing.length) throw unsupported(missing);
    // iOS: boot only on the reader's request (a tap on Start or Run); an automatic start waits for one.
    if (!state.booting && (options.facts ? options.facts.ios : needsUserGestureToBoot())) {
      listener.status?.('booting', 'Press Start to boot the in-browser runtime.');
      await (state.gesture ??= (options.waitForGesture ?? nextGesture)());
    }
    listener.status?.('booting', 'Booting the in-browser runtime (WebContainer)…');
    state.booting ??= (async () => {
      const api = options.api ?? (await loadRealApi());
      if (apiKey) {
        try {
          api.configureAPIKey(apiKey);
        } catch (error) {
          listener.output?.(`WebContainer API key not applied: ${(error as Error).message}\n`);
        }
      }
      const instance = await api.boot({ coep: options.coep ?? 'require-corp', workdirName: 'shop' });
      state.instance = instance;
      instance.on('port', (port, type, url) => {
        if (type === 'open') state.ports.set(port, url);
        else state.ports.delete(port);
        for (const notify of state.portChanged) notify();
      });
      instance.on('server-ready', (port, url) => {
        state.ports.set(port, url);
        for (const notify of state.portChanged) notify();
      });
      // One container runs every slot, so its errors concern each running stage.
      instance.on('error', (error) => {
        for (const report of state.reportError.values()) report(`WebContainer error: ${error.message}\n`);
      });
      if (typeof document !== 'undefined') keepAcrossViewTransitions(document);
      return instance;
    })();
    const booting = state.booting;
    try {
      return await withTimeout(booting, bootTimeoutMs, () => bootTimedOut(bootTimeoutMs));
    } catch (error) {
      if (error instanceof RuntimeError) throw error; // timed out: keep waiting on the same boot next time
      if (state.booting === booting) state.booting = undefined;
      throw bootFailed(error);
    }
  }

  /** Once per boot: the dependency snapshot at node_modules/ and the request helper. */
  function prepare(instance: WebContainerLike, listener: Partial<RunListener>): Promise<void> {
    state.prepared ??= (async () => {
      listener.status?.('mounting', 'Mounting the dependencies…');
      await instance.fs.mkdir('node_modules', { recursive: true });
      const response = await fetchFn(`${baseUrl}runtime/manifest.json`, { cache: 'no-cache' });
      if (response.ok) {
        const manifest = (await response.json()) as { deps: { file: string; files: number } };
        if (manifest.deps.files > 0) {
          const snapshot = await fetchFn(`${baseUrl}runtime/${manifest.deps.file}`);
          if (!snapshot.ok) throw new RuntimeError(`Could not load the dependency snapshot (HTTP ${snapshot.status}).`, 'Reload the page; if it persists, the site build is incomplete.');
          await instance.mount(await unpacked(await snapshot.arrayBuffer()), { mountPoint: 'node_modules' });
        }
      } else {
        listener.output?.(`No dependency snapshot at ${baseUrl}runtime/manifest.json (HTTP ${response.status}); stages with dependencies will fail. \`npm run build\` makes it.\n`);
      }
      await instance.fs.mkdir('runtime/out', { recursive: true });
      await instance.fs.writeFile('runtime/request.mjs', REQUEST_HELPER);
    })();
    const prepared = state.prepared;
    prepared.catch(() => {
      if (state.prepared === prepared) state.prepared = undefined;
    });
    return prepared;
  }

  function slotFor(slot: string): SlotState {
    let found = state.slots.get(slot);
    if (!found) state.slots.set(slot, (found = { port: basePort + state.slots.size, hashes: new Map() }));
    return found;
  }

  const workspace = (slot: string) => `slots/${slot.replace(/[^A-Za-z0-9_-]/g, '_')}`;

  async function writeOne(instance: WebContainerLike, slot: string, path: string, contents: string): Promise<void> {
    const folder = path.split('/').slice(0, -1).join('/');
    if (folder) await instance.fs.mkdir(`${workspace(slot)}/${folder}`, { recursive: true });
    await instance.fs.writeFile(`${workspace(slot)}/${path}`, contents);
    slotFor(slot).hashes.set(path, hashText(contents));
  }

  /**
   * Brings a slot's workspace to `wanted` (workspace paths): the first time in one mount(),
   * later by writing only the files whose hash changed and removing the files that are gone
   * from the folders `wanted` covers (another stage's folder in the same slot stays as it is).
   */
  async function sync(instance: WebContainerLike, slot: string, wanted: FileMap): Promise<void> {
    const { hashes } = slotFor(slot);
    if (hashes.size === 0) {
      await instance.fs.mkdir(workspace(slot), { recursive: true });
      await instance.mount(toTree(wanted), { mountPoint: workspace(slot) });
      for (const [path, contents] of Object.entries(wanted)) hashes.set(path, hashText(contents));
      return;
    }
    for (const [path, contents] of Object.entries(wanted)) {
      if (hashes.get(path) !== hashText(contents)) await writeOne(instance, slot, path, contents);
    }
    const folderOf = (path: string) => path.split('/').slice(0, 2).join('/');
    const covered = new Set(Object.keys(wanted).map(folderOf));
    for (const path of [...hashes.keys()]) {
      if (path in wanted || !covered.has(folderOf(path))) continue;
      await instance.fs.rm(`${workspace(slot)}/${path}`, { force: true });
      hashes.delete(path);
    }
  }

  /** Runs one request inside the container (see REQUEST_HELPER). */
  async function request(instance: WebContainerLike, port: number, req: ShopRequest): Promise<ShopResponse> {
    if (!req.path.startsWith('/')) throw new RuntimeError(`The request path must start with "/" (got "${req.path}").`, 'Write the path as on the shop’s API, e.g. /products.');
    const out = `runtime/out/${++state.requests}.json`;
    const helper = await instance.spawn('node', ['runtime/request.mjs', String(port), JSON.stringify(req), out], { output: false });
    const code = await withTimeout(helper.exit, 20_000, () => new RuntimeError('The request did not finish within 20 s.', 'Look at the Output for what the stage is doing, then try again.'));
    let text: string;
    try {
      text = await instance.fs.readFile(out, 'utf8');
      await instance.fs.rm(out, { force: true });
    } catch {
      throw new RuntimeError(`The request helper failed (exit code ${code}).`, 'Run the stage again; if it persists, reload the page.');
    }
    const result = JSON.parse(text) as ShopResponse | { error: string };
    if ('error' in result) throw new RuntimeError(`The shop did not answer on port ${port}: ${result.error}`, 'Check the Output: the stage may have stopped or crashed. Run it again.');
    return result;
  }

  function waitForPort(port: number, open: boolean, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const check = () => {
        if (state.ports.has(port) === open) finish(true);
      };
      const timer = setTimeout(() => finish(false), ms);
      const finish = (ok: boolean) => {
        clearTimeout(timer);
        state.portChanged.delete(check);
        resolve(ok);
      };
      state.portChanged.add(check);
      check();
    });
  }

  async function boot(listener: Partial<RunListener> = {}): Promise<void> {
    try {
      await prepare(await bootInstance(listener), listener);
    } catch (error) {
      listener.status?.('error', error instanceof RuntimeError ? `${error.message} ${error.remedy}` : String(error));
      throw error;
    }
  }

  async function start(slot: string, stage: string, files: FileMap, listener: RunListener): Promise<RunningStage> {
    const current = slotFor(slot);
    await current.run?.stop();
    await boot(listener);
    state.reportError.set(slot, (text) => listener.output(text));
    const instance = state.instance!;

    listener.status('mounting', 'Writing the stage’s files…');
    try {
      state.contract ??= fetchContractFiles(fetchFn, baseUrl);
      const contract = await state.contract.catch((error) => {
        state.contract = undefined;
        throw error;
      });
      const wanted: FileMap = {};
      for (const [path, text] of Object.entries(contract)) wanted[`examples/contract/${path}`] = text;
      for (const [path, text] of Object.entries(files)) wanted[`examples/${stage}/${path}`] = text;
      await sync(instance, slot, wanted);
    } catch (error) {
      listener.status('error', error instanceof RuntimeError ? `${error.message} ${error.remedy}` : String(error));
      throw error;
    }

    const { port } = current;
    const cwd = `${workspace(slot)}/examples/${stage}`;
    current.stageDir = `examples/${stage}`;
    state.ports.delete(port);
    listener.status('starting', `npm start (PORT=${port})`);
    const npm: WebContainerProcess = await instance.spawn('npm', ['start'], { cwd, env: { PORT: port } });

    let stopping = false;
    let sawReadyLine = false;
    let line = '';
    const readyLine = new Promise<void>((resolve) => {
      void npm.output
        .pipeTo(
          new WritableStream({
            write(chunk) {
              listener.output(chunk);
              if (sawReadyLine) return;
              const lines = stripAnsi(line + chunk).split(/\r?\n|\r/);
              line = lines.pop() ?? '';
              if ([...lines, line].some((text) => /\bready\b/.test(text))) {
                sawReadyLine = true;
                resolve();
              }
            },
          }),
        )
        .catch(() => {});
    });

    let hasExited = false;
    const exited: Promise<number | null> = npm.exit.then(
      (code) => code,
      () => null,
    );
    void exited.then(() => (hasExited = true));

    const ready = (async () => {
      const deadline = Date.now() + startTimeoutMs;
      const exitedEarly = exited.then((code) => {
        throw new RuntimeError(
          stopping ? 'The stage was stopped before it was ready.' : `npm start exited (code ${code}) before the stage was ready.`,
          stopping ? 'Press Run to start it again.' : 'The Output shows what went wrong; fix it and press Run again.',
        );
      });
      exitedEarly.catch(() => {}); // also rejects after a normal stop, when nobody waits any more
      const tooSlow = () =>
        new RuntimeError(
          `The stage did not print its "ready" line, open port ${port} and answer GET /health within ${seconds(startTimeoutMs)} s.`,
          'The Output shows how far it got; fix it and press Run again.',
        );
      const race = <T>(step: Promise<T>) => withTimeout(Promise.race([step, exitedEarly]), Math.max(0, deadline - Date.now()), tooSlow);
      await race(readyLine);
      await race(waitForPort(port, true, startTimeoutMs));
      for (;;) {
        try {
          const health = await race(request(instance, port, { method: 'GET', path: '/health' }));
          if (health.status === 200) break;
        } catch (error) {
          if (hasExited || Date.now() > deadline) throw error; // otherwise not listening yet: ask again
        }
        if (Date.now() > deadline) throw tooSlow();
        await sleep(200);
      }
      const url = state.ports.get(port) ?? `http://127.0.0.1:${port}`;
      listener.status('ready', url);
      return url;
    })();
    ready.catch((error: unknown) => {
      if (!stopping) listener.status('error', error instanceof RuntimeError ? `${error.message} ${error.remedy}` : String(error));
    });

    void exited.then((code) => {
      if (stopping) listener.status('stopped');
      else if (sawReadyLine) listener.status('stopped', `The stage exited (code ${code}).`);
    });

    let stopped: Promise<void> | undefined;
    const run: RunningStage = {
      ready,
      exited,
      request: async (req) => {
        await ready;
        return request(instance, port, req);
      },
      stop: () =>
        (stopped ??= (async () => {
          stopping = true;
          npm.kill();
          await Promise.race([exited, sleep(5_000)]);
          // The port closes a moment after the process is gone; the next run needs it free.
          if (state.ports.has(port)) await waitForPort(port, false, 2_000);
          if (current.run === run) {
            current.run = undefined;
            state.reportError.delete(slot);
          }
        })()),
    };
    current.run = run;
    return run;
  }

  /** An exercise check's own workspace, next to the slot's (see webcontainer-check.ts). */
  async function prepareCheck(slot: string, stage: string, files: FileMap) {
    await boot();
    const instance = state.instance!;
    state.contract ??= fetchContractFiles(fetchFn, baseUrl);
    const contract = await state.contract.catch((error) => {
      state.contract = undefined;
      throw error;
    });
    const wanted: FileMap = {};
    for (const [path, text] of Object.entries(contract)) wanted[`examples/contract/${path}`] = text;
    for (const [path, text] of Object.entries(files)) wanted[`examples/${stage}/${path}`] = text;
    const checkSlot = `${slot}-check`;
    await sync(instance, checkSlot, wanted);
    return { instance, cwd: `${workspace(checkSlot)}/examples/${stage}` };
  }

  return {
    kind: 'webcontainer',
    boot,
    start,
    check: (slot, stage, files, listener) => checkInContainer(() => prepareCheck(slot, stage, files), stage, files, listener, { timeoutMs: startTimeoutMs }),
    // The container exposes no process table or per-process memory to the page.
    stats: async () => null,
    async writeFile(slot, path, contents) {
      const current = state.slots.get(slot);
      if (!state.instance || !current?.stageDir) throw new RuntimeError(`Nothing has run in slot "${slot}" yet.`, 'Press Run first.');
      const full = `${current.stageDir}/${path}`;
      if (current.hashes.get(full) !== hashText(contents)) await writeOne(state.instance, slot, full, contents);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Astro view transitions. The router replaces <body> on navigation, which would drop the
// iframe WebContainer runs in. Elements marked data-astro-transition-persist are moved to the
// new page instead; where the browser has Element.moveBefore() (Chromium 133+) a moved iframe
// keeps running. Elsewhere moving it reloads it, which kills the container and can never be
// undone in this page (the package caches its connection to the first iframe), so the
// navigation becomes a full page load and the next page boots afresh. Without <ClientRouter />
// none of these events fire and every chapter is a full page load anyway.
let transitionsHandled = false;

function keepAcrossViewTransitions(doc: Document): void {
  if (transitionsHandled) return;
  transitionsHandled = true;
  const runtimeFrames = () => [...doc.querySelectorAll<HTMLIFrameElement>('iframe[src*="/headless"]')];
  doc.addEventListener('astro:before-preparation', (event) => {
    if (runtimeFrames().length && typeof (doc.documentElement as { moveBefore?: unknown }).moveBefore !== 'function') event.preventDefault();
  });
  doc.addEventListener('astro:before-swap', (event) => {
    const newDocument = (event as Event & { newDocument?: Document }).newDocument;
    runtimeFrames().forEach((frame, index) => {
      const id = `webcontainer-runtime-${index}`;
      frame.setAttribute('data-astro-transition-persist', id);
      if (!newDocument?.querySelector(`[data-astro-transition-persist="${id}"]`)) {
        const placeholder = newDocument?.createElement('div');
        placeholder?.setAttribute('data-astro-transition-persist', id);
        if (placeholder) newDocument?.body.append(placeholder);
      }
    });
  });
}
