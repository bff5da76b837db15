// A stand-in for WebContainer made of real processes, so the adapter's own code can run
// every stage the way the deployed site does (the in-memory ./fake-webcontainer.ts runs
// nothing). It implements the slice the adapter uses (WebContainerLike: fs, mount, spawn,
// on) over a temporary folder, and starts `node` with a Node binary the caller chooses.
//
// It models what WebContainer is known to limit, at the worst case where nothing says:
// - kill() takes no signal and ends only the process it is called on, at once (SIGKILL: the
//   process runs no handler); its children keep running unless the stage ends them.
// - inside, no process can signal another or see its parent change (./container-limits.mjs,
//   preloaded into every process it starts); the stages read no process table (a test checks).
// - there is no node:http2 (the same preload): whether WebContainer has it is not known.
// - the only node_modules is the one mounted (the built site's dependency snapshot): the
//   folder lives under the system's temp folder, far from the project's own node_modules,
//   and no NODE_PATH or host environment is passed in.
// - only `node` exists as a command (the adapter spawns nothing else); anything else exits 127.
// - 'port' / 'server-ready' fire when a process of the container starts or stops listening on
//   a TCP port. The double learns it from outside, as the container's runtime would: Linux's
//   socket table (/proc/net/tcp) matched to the sockets of its own processes, polled. No
//   connection is ever made to a stage's port for it.
// What the container cannot do, the double as the host can: list its processes (by an
// environment marker every process inherits), their memory, and end them all at teardown.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileSystemAPI, FileSystemTree, SpawnOptions, WebContainerProcess } from '@webcontainer/api';
import { readSnapshot } from '../../../scripts/build-deps-snapshot.ts';
import type { WebContainerLike } from '../webcontainer/api.ts';

export interface ContainerDoubleOptions {
  /** The Node binary every `node` of the container runs. */
  node: string;
  /** Start every Node with --no-experimental-strip-types: a container that cannot strip types. */
  noStrip?: boolean;
  /** Extra NODE_OPTIONS for every process (the test runner's WebAssembly setting, say). */
  nodeOptions?: string;
  /**
   * Node's compile cache folder for every process (NODE_COMPILE_CACHE), as the test runner gives
   * its own: it keeps compiled code between starts, which changes how fast a stage starts, never
   * what it does. Unset, the container's processes compile everything each time.
   */
  compileCache?: string;
  /** How often the socket table is read for port events. Default 100 ms. */
  pollMs?: number;
}

export interface DoubleProcessInfo {
  pid: number;
  /** Which spawn() it descends from (1, 2, …), whatever became of its parents. */
  spawn: number;
  argv: string[];
  rssBytes: number;
}

const MARKER = 'CONTAINER_DOUBLE';
const limits = fileURLToPath(new URL('./container-limits.mjs', import.meta.url));

type Listener = (...args: never[]) => void;

/** A spawned process as WebContainer hands it out: output as one text stream, exit as a code. */
class DoubleProcess implements WebContainerProcess {
  readonly exit: Promise<number>;
  readonly input: WritableStream<string>;
  readonly output: ReadableStream<string>;
  private readonly child: ChildProcess;

  constructor(child: ChildProcess, showOutput: boolean) {
    this.child = child;
    this.exit = new Promise((resolve) => {
      child.once('error', () => resolve(127));
      child.once('exit', (code, signal) => resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15)));
    });
    this.output = new ReadableStream<string>({
      start: (controller) => {
        let open = 2;
        const end = () => void (--open === 0 && controller.close());
        for (const stream of [child.stdout!, child.stderr!]) {
          stream.setEncoding('utf8');
          if (showOutput) stream.on('data', (text: string) => controller.enqueue(text));
          else stream.resume();
          stream.once('close', end);
        }
      },
    });
    this.input = new WritableStream<string>({
      write: (text) => void child.stdin?.write(text),
      close: () => void child.stdin?.end(),
    });
    child.stdin?.on('error', () => {}); // a process that ended does not read its input
  }

  /** WebContainer's kill(): no signal to choose, no handler runs, only this process ends. */
  kill(): void {
    try {
      this.child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }

  resize(): void {}
}

export class ContainerDouble implements WebContainerLike {
  /** The container's workdir on disk. */
  readonly root: string;
  readonly fs: FileSystemAPI;
  private readonly id = randomBytes(6).toString('hex');
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly open = new Set<number>();
  private spawns = 0;
  /** pid:starttime -> the spawn it belongs to (0: not ours), so each pid's environment is read once. */
  private readonly owners = new Map<string, number>();
  private readonly timer: ReturnType<typeof setInterval>;
  readonly options: ContainerDoubleOptions;

  constructor(options: ContainerDoubleOptions) {
    this.options = options;
    // realpath: Node resolves packages from the real path, so the workdir must be one.
    this.root = realpathSync(mkdtempSync(join(tmpdir(), 'container-double-')));
    this.fs = this.fileSystem();
    this.timer = setInterval(() => this.pollPorts(), options.pollMs ?? 100);
    this.timer.unref();
  }

  /** A container path (relative to the workdir, or absolute inside it) on disk. */
  private path(path: string): string {
    const full = resolve(this.root, path.replace(/^\/+/, ''));
    if (relative(this.root, full).startsWith('..')) throw new Error(`EACCES: ${path} is outside the container`);
    return full;
  }

  private fileSystem(): FileSystemAPI {
    const at = (path: string) => this.path(path);
    // The overloads of FileSystemAPI describe these few calls; the adapter uses no others.
    return {
      readFile: async (path: string, encoding?: BufferEncoding | null) => (encoding ? readFile(at(path), { encoding }) : new Uint8Array(await readFile(at(path)))),
      writeFile: (path: string, data: string | Uint8Array) => writeFile(at(path), data),
      mkdir: (path: string, options?: { recursive?: boolean }) => mkdir(at(path), options),
      rm: (path: string, options?: { force?: boolean; recursive?: boolean }) => rm(at(path), options),
      readdir: (path: string, options?: { withFileTypes?: boolean }) => (options?.withFileTypes ? readdir(at(path), { withFileTypes: true }) : readdir(at(path))),
      rename: (from: string, to: string) => rename(at(from), at(to)),
      watch: () => {
        throw new Error('fs.watch is not part of the container double');
      },
    } as unknown as FileSystemAPI;
  }

  async mount(snapshotOrTree: FileSystemTree | Uint8Array | ArrayBuffer, options?: { mountPoint?: string }): Promise<void> {
    const tree = snapshotOrTree instanceof Uint8Array || snapshotOrTree instanceof ArrayBuffer ? readSnapshot(new Uint8Array(snapshotOrTree)) : snapshotOrTree;
    const write = async (folder: string, branch: FileSystemTree): Promise<void> => {
      await mkdir(folder, { recursive: true });
      for (const [name, node] of Object.entries(branch)) {
        if ('directory' in node) await write(join(folder, name), node.directory);
        else if ('contents' in node.file) await writeFile(join(folder, name), node.file.contents);
      }
    };
    await write(this.path(options?.mountPoint ?? ''), tree);
  }

  spawn(command: string, args: string[], options?: SpawnOptions): Promise<WebContainerProcess>;
  spawn(command: string, options?: SpawnOptions): Promise<WebContainerProcess>;
  async spawn(command: string, argsOrOptions?: string[] | SpawnOptions, maybeOptions?: SpawnOptions): Promise<WebContainerProcess> {
    const args = Array.isArray(argsOrOptions) ? argsOrOptions : [];
    const options = (Array.isArray(argsOrOptions) ? maybeOptions : argsOrOptions) ?? {};
    const spawnNo = ++this.spawns;
    this.spawned.push({ spawn: spawnNo, command, args, cwd: options.cwd ?? '' });
    const home = join(this.root, '.home');
    const temp = join(this.root, '.tmp');
    await mkdir(home, { recursive: true });
    await mkdir(temp, { recursive: true });
    const nodeOptions = [`--import=${limits}`, this.options.noStrip ? '--no-experimental-strip-types' : '', this.options.nodeOptions ?? ''].filter(Boolean).join(' ');
    const env: Record<string, string> = {
      PATH: `${dirname(this.options.node)}:/usr/bin:/bin`,
      HOME: home,
      TMPDIR: temp,
      NODE_OPTIONS: nodeOptions,
      [MARKER]: `${this.id}:${spawnNo}`,
      ...(this.options.compileCache ? { NODE_COMPILE_CACHE: this.options.compileCache } : {}),
    };
    for (const [name, value] of Object.entries(options.env ?? {})) env[name] = String(value);
    if (command !== 'node') {
      // WebContainer's shell knows npm, npx and a few more; the adapter spawns only node.
      return {
        exit: Promise.resolve(127),
        input: new WritableStream<string>(),
        output: new ReadableStream<string>({ start: (c) => (c.enqueue(`jsh: command not found: ${command}\r\n`), c.close()) }),
        kill: () => {},
        resize: () => {},
      };
    }
    const child = spawn(this.options.node, args, { cwd: this.path(options.cwd ?? ''), env, stdio: ['pipe', 'pipe', 'pipe'] });
    return new DoubleProcess(child, options.output !== false);
  }

  on(event: string, listener: Listener): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  private emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: unknown[]) => void)(...args);
  }

  /** Every live process of the container (or of one spawn), with what it costs (`details` false: pids only, no argv or RSS). */
  processes(spawnNo?: number, details = true): DoubleProcessInfo[] {
    const found: DoubleProcessInfo[] = [];
    const prefix = `${MARKER}=${this.id}:`;
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (fields[0] === 'Z' || fields[0] === 'X') continue;
        const key = `${name}:${fields[19]}`; // field 22 of stat: the start time
        let owner = this.owners.get(key);
        if (owner === undefined) {
          const environ = readFileSync(`/proc/${name}/environ`, 'utf8');
          const marker = environ.split('\0').find((entry) => entry.startsWith(prefix));
          owner = marker ? Number(marker.slice(prefix.length)) : 0;
          // A process caught between fork and exec can show an empty environment: "not ours" is
          // remembered only once there was one to read (a stage 12 replica went uncounted).
          if (owner !== 0 || environ.length > 0) this.owners.set(key, owner);
        }
        if (owner === 0 || (spawnNo !== undefined && owner !== spawnNo)) continue;
        if (!details) {
          found.push({ pid: Number(name), spawn: owner, argv: [], rssBytes: 0 });
          continue;
        }
        const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${name}/status`, 'utf8'))?.[1];
        const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean);
        found.push({ pid: Number(name), spawn: owner, argv, rssBytes: Number(rss ?? 0) * 1024 });
      } catch {
        // gone since it was listed, or not ours to read
      }
    }
    return found;
  }

  /** Every spawn() so far, numbered from 1: a stage's processes are those of its start command's spawn. */
  readonly spawned: { spawn: number; command: string; args: string[]; cwd: string }[] = [];

  /** The last read of the socket tables: the socket inodes it covered and what it found. */
  private lastTables: { inodes: Set<string>; listening: Map<string, number>; unsettled: boolean } | undefined;

  /** The TCP ports the container's processes (or one spawn's) listen on, from the host's socket table. */
  listeningPorts(spawnNo?: number): Set<number> {
    const inodes = new Set<string>();
    for (const { pid } of this.processes(spawnNo, false)) {
      try {
        for (const fd of readdirSync(`/proc/${pid}/fd`)) {
          try {
            const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
            if (target.startsWith('socket:[')) inodes.add(target.slice(8, -1));
          } catch {
            // closed meanwhile
          }
        }
      } catch {
        // gone
      }
    }
    const { listening } = this.socketTables(inodes);
    const ports = new Set<number>();
    for (const inode of inodes) {
      const port = listening.get(inode);
      if (port !== undefined) ports.add(port);
    }
    return ports;
  }

  /**
   * Which of these socket inodes listen, on which port. The kernel's tables cost as much to
   * read as the whole process scan (some 18 ms on a busy two-core machine, every poll), so
   * they are read again only when a socket came or went since, or one was caught bound but
   * not yet listening (state 07, between bind() and listen()); no other socket can start
   * listening later.
   */
  private socketTables(inodes: Set<string>): { listening: Map<string, number> } {
    const last = this.lastTables;
    if (last && !last.unsettled && [...inodes].every((inode) => last.inodes.has(inode))) return last;
    const listening = new Map<string, number>();
    let unsettled = false;
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      let text = '';
      try {
        text = readFileSync(table, 'utf8');
      } catch {
        continue;
      }
      for (const line of text.split('\n').slice(1)) {
        const fields = line.trim().split(/\s+/);
        // local_address (addr:PORT in hex), state (0A = LISTEN, 07 = bound, closed), inode in the tenth column
        if (!inodes.has(fields[9]!)) continue;
        if (fields[3] === '0A') listening.set(fields[9]!, parseInt(fields[1]!.split(':')[1]!, 16));
        else if (fields[3] === '07') unsettled = true;
      }
    }
    this.lastTables = { inodes, listening, unsettled };
    return this.lastTables;
  }

  private pollPorts(): void {
    const now = this.listeningPorts();
    for (const port of now) {
      if (this.open.has(port)) continue;
      this.open.add(port);
      const url = `http://127.0.0.1:${port}`;
      this.emit('port', port, 'open', url);
      this.emit('server-ready', port, url);
    }
    for (const port of [...this.open]) {
      if (now.has(port)) continue;
      this.open.delete(port);
      this.emit('port', port, 'close', `http://127.0.0.1:${port}`);
    }
  }

  /** Ends every process still running (SIGKILL, as the host may) and removes the folder. */
  async teardown(): Promise<void> {
    clearInterval(this.timer);
    // Until no process of the container is left: a process killed while it spawned a child
    // leaves that child behind, and a dying one may still write into the folder, which makes
    // the removal below fail with ENOTEMPTY.
    const deadline = Date.now() + 5000;
    for (let left = this.processes(undefined, false); left.length > 0 && Date.now() < deadline; left = this.processes(undefined, false)) {
      for (const { pid } of left) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await rm(this.root, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
}
