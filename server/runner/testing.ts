// Test support for the runner: a throwaway project with a built "site", a fake stage that can
// be told (through its posted config.json) to misbehave, and small HTTP helpers.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSiteServer } from '../main.ts';
import type { RunEvent } from './run.ts';
import type { RunnerOptions } from './runs.ts';
import { newToken, tokenHeader } from './security.ts';
import { dataPrefix } from './data-dirs.ts';
import { workspacePrefix } from './workspace.ts';

export const fakeStage = '01-fake';

const stageServer = `
import http from 'node:http';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { greeting } from '../contract/src/greeting.ts';
import dep from 'fake-dep';

const config = JSON.parse(readFileSync(new URL('./config.json', import.meta.url), 'utf8'));
console.log('message: ' + config.message);
console.log(greeting + '; ' + dep);
console.log('pid ' + process.pid);
// Data that outlives a run, as a stage with a database keeps it in DATA_DIR.
const runsFile = process.env.DATA_DIR + '/runs.txt';
const runNumber = (existsSync(runsFile) ? Number(readFileSync(runsFile, 'utf8')) : 0) + 1;
writeFileSync(runsFile, String(runNumber));
console.log('run number ' + runNumber);
console.log('cwd ' + process.cwd() + ' data ' + process.env.DATA_DIR);
if (config.grandchild) {
  const code = config.ignoreTerm ? "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)" : 'setInterval(() => {}, 1000)';
  const child = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
  console.log('grandchild ' + child.pid);
}
if (config.exitEarly) {
  console.error('boom: exiting before ready');
  process.exit(3);
}
if (config.fillBytes) {
  // Fills the data folder a chunk at a time, as a runaway database would.
  const chunk = Buffer.alloc(256 * 1024, 1);
  let written = 0;
  const fill = setInterval(() => {
    if (written >= config.fillBytes) return clearInterval(fill);
    appendFileSync(process.env.DATA_DIR + '/fill.bin', chunk);
    written += chunk.length;
  }, 5);
}
if (config.flood) {
  const line = 'x'.repeat(1023) + '\\n';
  for (let i = 0; i < 2048; i++) process.stdout.write(line);
}
const server = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    if (req.url === '/health') return res.writeHead(200).end('ok');
    res.writeHead(201, { 'content-type': 'application/json', 'x-stage': 'fake' });
    res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  if (!config.silent) console.log('fake ready on http://127.0.0.1:' + process.env.PORT);
});
process.on('SIGTERM', () => {
  if (config.ignoreTerm) return;
  server.close();
  process.exit(0);
});
`;

export interface FakeProject {
  root: string;
  dist: string;
  examplesRoot: string;
  nodeModules: string;
  tempRoot: string;
  /** A folder outside every workspace that a symlink in the stage points at. */
  outside: string;
  /** The fake stage's files as the page would post them. */
  files(config?: Record<string, unknown>): Record<string, string>;
  remove(): void;
}

export function makeFakeProject(): FakeProject {
  const root = mkdtempSync(join(tmpdir(), 'm2d-runner-test-'));
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('dist/index.html', '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Home</title></head><body>home</body></html>');
  write('dist/chapters/one/index.html', '<!doctype html><html><head lang="en"><title>One</title></head><body>one</body></html>');
  write('dist/404.html', '<!doctype html><html><head><title>Not found</title></head><body>missing</body></html>');
  write('dist/app.js', 'console.log("<head>")');
  const stage = `examples/${fakeStage}`;
  write(`${stage}/package.json`, JSON.stringify({ name: 'fake', private: true, type: 'module', scripts: { start: 'node server.ts' } }));
  write(`${stage}/server.ts`, stageServer);
  write(`${stage}/config.json`, JSON.stringify({ message: 'original' }));
  write(`${stage}/node_modules/junk.txt`, 'must not be copied');
  write('examples/contract/src/greeting.ts', "export const greeting = 'hello from contract';\n");
  write('examples/not-a-stage/package.json', '{}');
  write('node_modules/fake-dep/package.json', JSON.stringify({ name: 'fake-dep', type: 'module', main: 'index.js' }));
  write('node_modules/fake-dep/index.js', "export default 'shared dependency';\n");
  mkdirSync(join(root, 'outside'));
  mkdirSync(join(root, 'workspaces'));
  symlinkSync(join(root, 'outside'), join(root, stage, 'outside'));
  symlinkSync(join(root, stage), join(root, 'examples', '02-linked'));
  return {
    root,
    dist: join(root, 'dist'),
    examplesRoot: join(root, 'examples'),
    nodeModules: join(root, 'node_modules'),
    tempRoot: join(root, 'workspaces'),
    outside: join(root, 'outside'),
    files: (config = { message: 'original' }) => ({
      'package.json': readFileSync(join(root, stage, 'package.json'), 'utf8'),
      'server.ts': stageServer,
      'config.json': JSON.stringify(config),
    }),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Workspaces still on disk under the project's temp root. */
export const workspacesLeft = (project: FakeProject) => readdirSync(project.tempRoot).filter((name) => name.startsWith(workspacePrefix));
export const dataFoldersLeft = (project: FakeProject) => readdirSync(project.tempRoot).filter((name) => name.startsWith(dataPrefix));

export interface TestServer {
  port: number;
  base: string;
  token: string;
  /** The Cookie header of a browser that came in through the address with the token. */
  cookie: string;
  close(): Promise<void>;
}

export async function startTestServer(project: FakeProject, runner: RunnerOptions = {}): Promise<TestServer> {
  const entry = runner.token ?? newToken();
  const server = await startSiteServer({
    port: 0,
    root: project.dist,
    runner: { examplesRoot: project.examplesRoot, nodeModules: project.nodeModules, tempRoot: project.tempRoot, token: entry, ...runner },
  });
  const port = (server.address() as AddressInfo).port;
  // In as a reader's browser comes in: through the address with the token, then the cookie.
  const cookie = String((await call(port, { path: `/?token=${entry}` })).headers['set-cookie'] ?? '').split(';')[0] ?? '';
  const page = await call(port, { path: '/', headers: { cookie } });
  const token = /<meta name="local-runner" content="([0-9a-f]+)">/.exec(page.text)?.[1];
  if (!token) throw new Error('the page carries no runner token');
  return {
    port,
    base: `http://127.0.0.1:${port}`,
    token,
    cookie,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

export interface CallOptions {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface CallResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any;
}

/** One raw HTTP call (node:http, so Host and Origin can be set freely). */
export function call(port: number, { method = 'GET', path, headers = {}, body }: CallOptions): Promise<CallResult> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers }, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** A runner call with the token. */
export function api(server: TestServer, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return call(server.port, { method, path: `/__runner${path}`, headers: { [tokenHeader]: server.token, 'content-type': 'application/json', ...headers }, body });
}

export async function startRun(server: TestServer, body: Record<string, unknown>): Promise<string> {
  const res = await api(server, 'POST', '/runs', body);
  if (res.status !== 201) throw new Error(`start failed: ${res.status} ${res.text}`);
  return res.json.id as string;
}

export interface EventReader {
  events: RunEvent[];
  output(): string;
  waitFor(predicate: (event: RunEvent) => boolean, timeoutMs?: number): Promise<RunEvent>;
  /** Closes the stream, as a closed tab does. */
  close(): void;
}

export async function readEvents(server: TestServer, id: string): Promise<EventReader> {
  const controller = new AbortController();
  const res = await fetch(`${server.base}/__runner/runs/${id}/events`, { headers: { [tokenHeader]: server.token }, signal: controller.signal });
  if (res.status !== 200 || !res.body) throw new Error(`events failed: ${res.status} ${await res.text()}`);
  const events: RunEvent[] = [];
  const waiters = new Set<() => void>();
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        events.push(JSON.parse(buffer.slice(0, newline)) as RunEvent);
        buffer = buffer.slice(newline + 1);
      }
      for (const waiter of waiters) waiter();
    }
  })().catch(() => {});
  return {
    events,
    output: () => events.map((event) => (event.type === 'output' ? event.text : '')).join(''),
    waitFor(predicate, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(predicate);
          if (found) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events).slice(0, 2000)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => controller.abort(),
  };
}

export const isStep = (step: string) => (event: RunEvent) => event.type === 'status' && event.step === step;

/** Is this process running (a zombie counts as gone)? */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return process.platform === 'linux' ? false : true;
  }
}

/** The process group of a running process (Linux: from /proc). */
export function groupOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

export async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

/** The pids a fake stage printed ("pid 123", "grandchild 456"). */
export function printedPid(output: string, label: 'pid' | 'grandchild'): number {
  const match = new RegExp(`^${label} (\\d+)$`, 'm').exec(output);
  if (!match) throw new Error(`the stage did not print its ${label}: ${output}`);
  return Number(match[1]);
}
