// An in-memory stand-in for @webcontainer/api, for unit tests of the WebContainer adapter
// (the real one cannot boot without stackblitz.com). The classes implement the package's own
// TypeScript types and the factory checks its result with `satisfies`, so a change in the
// package's API breaks `astro check` here instead of passing unnoticed.
//
// Processes do nothing by themselves: a test registers a handler per command, or per command
// and first argument (`container.handle('node src/shop.ts', ...)` wins over
// `container.handle('node', ...)`), that prints, fires port events and exits. The adapter's
// Node probe has a handler from the start (FakeApiOptions.probe says what it answers).
import type {
  BootOptions,
  BufferEncoding,
  CodeListener,
  ErrorListener,
  OpenListener,
  PortListener,
  PreviewMessageListener,
  ServerReadyListener,
  DirEnt,
  FileSystemAPI,
  FileSystemTree,
  FSWatchCallback,
  FSWatchOptions,
  IFSWatcher,
  SpawnOptions,
  Unsubscribe,
  WebContainer,
  WebContainerProcess,
  configureAPIKey,
} from '@webcontainer/api';
import type { WebContainerApi } from '../webcontainer.ts';
import type { NodeProbe } from '../webcontainer/state.ts';

const normalize = (path: string) =>
  path
    .split('/')
    .filter((part) => part && part !== '.')
    .join('/');

export class FakeFileSystem implements FileSystemAPI {
  readonly files = new Map<string, string | Uint8Array>();
  readonly dirs = new Set<string>(['']);
  /** Every write, in order (paths normalized), so tests can see what was rewritten. */
  readonly writes: string[] = [];

  text(path: string): string | undefined {
    const value = this.files.get(normalize(path));
    return value === undefined || typeof value === 'string' ? value : new TextDecoder().decode(value);
  }

  readdir(path: string, options: 'buffer' | { encoding: 'buffer'; withFileTypes?: false }): Promise<Uint8Array[]>;
  readdir(path: string, options?: { encoding?: BufferEncoding | null; withFileTypes?: false } | BufferEncoding | null): Promise<string[]>;
  readdir(path: string, options: { encoding: 'buffer'; withFileTypes: true }): Promise<DirEnt<Uint8Array>[]>;
  readdir(path: string, options: { encoding?: BufferEncoding | null; withFileTypes: true }): Promise<DirEnt<string>[]>;
  async readdir(path: string, options?: unknown): Promise<unknown[]> {
    const dir = normalize(path);
    if (!this.dirs.has(dir)) throw new Error(`ENOENT: ${path}`);
    const prefix = dir ? `${dir}/` : '';
    const names = new Map<string, boolean>();
    for (const file of this.files.keys()) if (file.startsWith(prefix) && !file.slice(prefix.length).includes('/')) names.set(file.slice(prefix.length), true);
    for (const sub of this.dirs) if (sub.startsWith(prefix) && sub !== dir && !sub.slice(prefix.length).includes('/')) names.set(sub.slice(prefix.length), false);
    const withTypes = typeof options === 'object' && options !== null && (options as { withFileTypes?: boolean }).withFileTypes;
    return [...names].map(([name, isFile]) => (withTypes ? { name, isFile: () => isFile, isDirectory: () => !isFile } : name));
  }

  readFile(path: string, encoding?: null): Promise<Uint8Array>;
  readFile(path: string, encoding: BufferEncoding): Promise<string>;
  async readFile(path: string, encoding?: BufferEncoding | null): Promise<string | Uint8Array> {
    const value = this.files.get(normalize(path));
    if (value === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
    if (encoding) return typeof value === 'string' ? value : new TextDecoder().decode(value);
    return typeof value === 'string' ? new TextEncoder().encode(value) : value;
  }

  async writeFile(path: string, data: string | Uint8Array, _options?: string | { encoding?: string | null } | null): Promise<void> {
    const file = normalize(path);
    const parent = file.split('/').slice(0, -1).join('/');
    if (!this.dirs.has(parent)) throw new Error(`ENOENT: no such directory '${parent}' for '${path}'`);
    this.files.set(file, data);
    this.writes.push(file);
  }

  mkdir(path: string, options?: { recursive?: false }): Promise<void>;
  mkdir(path: string, options: { recursive: true }): Promise<string>;
  async mkdir(path: string, options?: { recursive?: boolean }): Promise<string | void> {
    const parts = normalize(path).split('/');
    for (let i = 1; i <= parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!this.dirs.has(dir) && i < parts.length && !options?.recursive) throw new Error(`ENOENT: ${path}`);
      this.dirs.add(dir);
    }
    return options?.recursive ? normalize(path) : undefined;
  }

  async rm(path: string, options?: { force?: boolean; recursive?: boolean }): Promise<void> {
    const target = normalize(path);
    if (this.files.delete(target)) return;
    if (this.dirs.has(target) && options?.recursive) {
      for (const key of [...this.files.keys()]) if (key.startsWith(`${target}/`)) this.files.delete(key);
      for (const key of [...this.dirs]) if (key === target || key.startsWith(`${target}/`)) this.dirs.delete(key);
      return;
    }
    if (!options?.force) throw new Error(`ENOENT: ${path}`);
  }

  async rename(oldPath: string, newPath: string): Promise<void> {
    const value = this.files.get(normalize(oldPath));
    if (value === undefined) throw new Error(`ENOENT: ${oldPath}`);
    this.files.delete(normalize(oldPath));
    this.files.set(normalize(newPath), value);
  }

  watch(filename: string, options?: FSWatchOptions, listener?: FSWatchCallback): IFSWatcher;
  watch(filename: string, listener?: FSWatchCallback): IFSWatcher;
  watch(): IFSWatcher {
    return { close() {} };
  }

  /** Writes a mount()ed tree under `root`. */
  writeTree(tree: FileSystemTree, root: string): void {
    this.dirs.add(normalize(root));
    for (const [name, node] of Object.entries(tree)) {
      const path = normalize(`${root}/${name}`);
      if ('directory' in node) this.writeTree(node.directory, path);
      else if ('contents' in node.file) {
        this.files.set(path, node.file.contents);
        this.writes.push(path);
      }
    }
  }
}

/** A spawned process; its handler drives it through print(), exit() and onKill. */
export class FakeProcess implements WebContainerProcess {
  readonly exit: Promise<number>;
  readonly input = new WritableStream<string>();
  readonly output: ReadableStream<string>;
  /** What kill() does; by default the process ends with code 143 (SIGTERM). */
  onKill: () => void = () => this.finish(143);
  killed = false;
  private controller!: ReadableStreamDefaultController<string>;
  private resolveExit!: (code: number) => void;
  private done = false;

  readonly command: string;
  readonly args: string[];
  readonly options: SpawnOptions;

  constructor(command: string, args: string[], options: SpawnOptions = {}) {
    this.command = command;
    this.args = args;
    this.options = options;
    this.output = new ReadableStream<string>({ start: (controller) => void (this.controller = controller) });
    this.exit = new Promise((resolve) => (this.resolveExit = resolve));
  }

  print(text: string): void {
    if (!this.done && this.options.output !== false) this.controller.enqueue(text);
  }

  finish(code: number): void {
    if (this.done) return;
    this.done = true;
    this.controller.close();
    this.resolveExit(code);
  }

  kill(): void {
    this.killed = true;
    this.onKill();
  }

  resize(): void {}
}

export type SpawnHandler = (process: FakeProcess, container: FakeWebContainer) => void | Promise<void>;
type Listener = (...args: never[]) => void;

export class FakeWebContainer implements Pick<WebContainer, 'fs' | 'mount' | 'spawn' | 'on' | 'workdir' | 'path' | 'teardown'> {
  readonly fs = new FakeFileSystem();
  readonly workdir = '/home/shop';
  readonly path = '/usr/local/bin:/usr/bin:/bin';
  readonly spawned: FakeProcess[] = [];
  /** Binary payloads given to mount() (dependency snapshots), with where they went. */
  readonly binaryMounts: { bytes: Uint8Array; mountPoint: string | undefined }[] = [];
  private readonly handlers = new Map<string, SpawnHandler>();
  private readonly listeners = new Map<string, Set<Listener>>();
  tornDown = false;

  handle(command: string, handler: SpawnHandler): this {
    this.handlers.set(command, handler);
    return this;
  }

  spawn(command: string, args: string[], options?: SpawnOptions): Promise<WebContainerProcess>;
  spawn(command: string, options?: SpawnOptions): Promise<WebContainerProcess>;
  async spawn(command: string, argsOrOptions?: string[] | SpawnOptions, maybeOptions?: SpawnOptions): Promise<WebContainerProcess> {
    const args = Array.isArray(argsOrOptions) ? argsOrOptions : [];
    const options = Array.isArray(argsOrOptions) ? maybeOptions : argsOrOptions;
    const process = new FakeProcess(command, args, options);
    this.spawned.push(process);
    const handler = this.handlers.get(`${command} ${args[0] ?? ''}`) ?? this.handlers.get(command);
    queueMicrotask(() => {
      if (!handler) {
        process.print(`jsh: command not found: ${command}\r\n`);
        process.finish(127);
        return;
      }
      Promise.resolve(handler(process, this)).catch((error: unknown) => {
        process.print(`${String(error)}\r\n`);
        process.finish(1);
      });
    });
    return process;
  }

  on(event: 'port', listener: PortListener): Unsubscribe;
  on(event: 'server-ready', listener: ServerReadyListener): Unsubscribe;
  on(event: 'preview-message', listener: PreviewMessageListener): Unsubscribe;
  on(event: 'error', listener: ErrorListener): Unsubscribe;
  on(event: 'xdg-open', listener: OpenListener): Unsubscribe;
  on(event: 'code', listener: CodeListener): Unsubscribe;
  on(event: string, listener: Listener): Unsubscribe {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Fires an event the way the runtime would. */
  emit(event: 'port', port: number, type: 'open' | 'close', url: string): void;
  emit(event: 'server-ready', port: number, url: string): void;
  emit(event: 'error', error: { message: string }): void;
  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: unknown[]) => void)(...args);
  }

  /** Fires `port` open and `server-ready` with a preview-like URL. */
  openPort(port: number): string {
    const url = `https://fake--${port}--preview.local-credentialless.webcontainer-api.io`;
    this.emit('port', port, 'open', url);
    this.emit('server-ready', port, url);
    return url;
  }

  async mount(snapshotOrTree: FileSystemTree | Uint8Array | ArrayBuffer, options?: { mountPoint?: string }): Promise<void> {
    if (snapshotOrTree instanceof Uint8Array || snapshotOrTree instanceof ArrayBuffer) {
      this.binaryMounts.push({ bytes: new Uint8Array(snapshotOrTree), mountPoint: options?.mountPoint });
      return;
    }
    this.fs.writeTree(snapshotOrTree, options?.mountPoint ?? '');
  }

  teardown(): void {
    this.tornDown = true;
  }
}

export interface FakeApiOptions {
  /** How boot() behaves: 'ok' (default), 'never' (no route to the runtime host), or an Error to reject with. */
  boot?: 'ok' | 'never' | Error;
  /** Delay before a successful boot resolves. */
  bootDelayMs?: number;
  /** What the container's Node says about itself; 'fail' makes the probe exit without an answer. */
  probe?: NodeProbe | 'fail';
}

/** A Node the stages can run on: 22.22 with type stripping and working AsyncLocalStorage. */
export const GOOD_NODE: NodeProbe = { version: 'v22.22.0', typescript: 'strip', runsTypeScript: true, asyncContext: true };

/** The package's entry points as the adapter uses them, over one FakeWebContainer. */
export function createFakeApi(options: FakeApiOptions = {}) {
  const container = new FakeWebContainer() satisfies Pick<WebContainer, 'fs' | 'mount' | 'spawn' | 'on' | 'workdir' | 'path' | 'teardown'>;
  const probe = options.probe ?? GOOD_NODE;
  container.handle('node runtime/probe.mjs', async (process, c) => {
    if (probe === 'fail') return process.finish(1);
    await c.fs.writeFile(process.args.at(-1)!, JSON.stringify(probe));
    process.finish(0);
  });
  const calls = { boots: [] as BootOptions[], keys: [] as string[] };
  const configure: typeof configureAPIKey = (key) => {
    if (calls.boots.length) throw new Error('`configureAPIKey` should always be called before `WebContainer.boot`');
    calls.keys.push(key);
  };
  const api = {
    boot(bootOptions: BootOptions) {
      calls.boots.push(bootOptions);
      if (options.boot === 'never') return new Promise<never>(() => {});
      if (options.boot instanceof Error) return Promise.reject(options.boot);
      return new Promise<FakeWebContainer>((resolve) => setTimeout(() => resolve(container), options.bootDelayMs ?? 0));
    },
    configureAPIKey: configure,
  } satisfies WebContainerApi;
  return { api, container, calls };
}
