// A stage run the container's way: the WebContainer adapter's own code (createWebContainerRuntime)
// over the container double (./container-double.ts), fed the built site's files as the page
// fetches them. Shared by the double's test suite (tests/container/), `npm run container`,
// the contract suite's launcher (./container-launcher.ts) and `npm run bench`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../../examples/contract/src/launch.ts';
import { parse as parseYaml } from 'yaml';
import { experimentSteps } from '../../lib/experiment-steps.ts';
import { lastTraceIdFrom } from '../../workbench/trace-console.ts';
import { fallbackRequests, formToRequest, orderIdIn, toForm, type Placeholders, type ReadyRequest } from '../../workbench/requests.ts';
import { readStageFiles } from '../../workbench/stage-files.ts';
import type { FileMap, RunListener, RunningStage, RunStep } from '../port.ts';
import type { Profile } from '../profile.ts';
import { createWebContainerRuntime, type WebContainerRuntime } from '../webcontainer.ts';
import { ContainerDouble, type DoubleProcessInfo } from './container-double.ts';

const root = new URL('../../../', import.meta.url).pathname;
const distRuntime = join(root, 'dist', 'runtime');

export interface ContainerNode {
  /** The Node binary of the container. */
  node: string;
  /** Node's own type stripping switched off. */
  noStrip: boolean;
}

/** Where `.ci/run` and `npm run container` find Node 22.22.0 (the release WebContainer reports). */
export const NODE_22_BIN = join(process.env.XDG_CACHE_HOME ?? join(process.env.HOME ?? '', '.cache'), 'monolith-to-distributed', 'node22.22.0', 'node_modules', 'node', 'bin', 'node');

/** The three containers of the suite, by name. */
export function containerNodes(): Record<string, ContainerNode> {
  return {
    '22-nostrip': { node: NODE_22_BIN, noStrip: true },
    '22': { node: NODE_22_BIN, noStrip: false },
    '24': { node: process.execPath, noStrip: false },
  };
}

/** The site's runtime files as the page fetches them: the snapshot from dist/, the stages' files from examples/. */
export function siteFetch(): typeof fetch {
  if (!existsSync(join(distRuntime, 'manifest.json'))) throw new Error('No dependency snapshot in dist/runtime: run `npm run build` (or `node scripts/build-deps-snapshot.ts`) first.');
  return (async (input: RequestInfo | URL) => {
    const path = String(input);
    const files = /^\/runtime\/files\/([\w-]+)\.json$/.exec(path)?.[1];
    if (files) return Response.json({ files: readStageFiles(files) });
    const name = /^\/runtime\/([\w.-]+)$/.exec(path)?.[1];
    if (name && existsSync(join(distRuntime, name))) return new Response(new Uint8Array(readFileSync(join(distRuntime, name))));
    return new Response('not found', { status: 404 });
  }) as typeof fetch;
}

/** The files a reader starts with: the stage as it is in the repository. */
export const stageFiles = (stage: string): FileMap => readStageFiles(stage);

/** The same with the exercise's solution laid over it, as a reader would copy it in. */
export function withSolution(files: FileMap): FileMap {
  const solved = { ...files };
  for (const [path, text] of Object.entries(files)) if (path.startsWith('exercise/solution/')) solved[path.slice('exercise/solution/'.length)] = text;
  return solved;
}

export const LIGHT: Profile = { name: 'small', env: { SHOP_PROFILE: 'small' }, note: 'Small profile (SHOP_PROFILE=small), as the container double was told.' };
export const FULL: Profile = { name: 'full', env: {}, note: undefined };

/** A listener that keeps everything: the Output as text, the steps as they came. */
export function collector(echo?: (text: string) => void): RunListener & { text: () => string; steps: RunStep[]; details: (string | undefined)[] } {
  let text = '';
  const steps: RunStep[] = [];
  const details: (string | undefined)[] = [];
  return {
    text: () => text,
    steps,
    details,
    output: (chunk) => {
      text += chunk;
      echo?.(chunk);
    },
    status: (step, detail) => {
      steps.push(step);
      details.push(detail);
    },
  };
}

export interface ContainerSession {
  double: ContainerDouble;
  runtime: WebContainerRuntime;
  /** The first slot's PORT: a run of free ports (PORT + k × 100) on this machine. */
  basePort: number;
  close(): Promise<void>;
}

/** Boots the adapter over a fresh double. */
export async function openSession(container: ContainerNode, options: { profile?: Profile; nodeOptions?: string } = {}): Promise<ContainerSession> {
  if (!existsSync(container.node)) throw new Error(`No Node at ${container.node}: .ci/run installs node@22.22.0 there (or pass --node).`);
  // The runner's compile cache (scripts/test-all.ts sets one) reaches the container's processes too.
  const double = new ContainerDouble({ node: container.node, noStrip: container.noStrip, nodeOptions: options.nodeOptions, compileCache: process.env.NODE_COMPILE_CACHE });
  const basePort = await freePort();
  const runtime = createWebContainerRuntime({
    api: { boot: async () => double, configureAPIKey: () => {} },
    fetch: siteFetch(),
    facts: { isolated: true, missing: [], ios: false },
    baseUrl: '/',
    apiKey: '',
    basePort,
    profile: options.profile ?? FULL,
    // A busy two-core machine starting a split stage twice at once (Run both) needs more than the page's minute.
    startTimeoutMs: 120_000,
    portCloseTimeoutMs: 5_000,
  });
  return { double, runtime, basePort, close: () => double.teardown() };
}

export interface StartedStage {
  run: RunningStage;
  url: string;
  listener: ReturnType<typeof collector>;
  /** Run pressed -> status Ready, in ms. */
  readyMs: number;
  /** The spawn the stage's start process came from: its processes are those descending from it. */
  spawn: number;
  /** Stop through the adapter; resolves with how long it took and what of the stage is left. */
  stop(): Promise<{ ms: number; survivors: DoubleProcessInfo[] }>;
}

/** Run: the adapter's start() in `slot`, waiting until the status says Ready. */
export async function runStage(session: ContainerSession, stage: string, files: FileMap, slot = 'main', echo?: (text: string) => void): Promise<StartedStage> {
  const listener = collector(echo);
  const started = performance.now();
  const spawnsBefore = session.double.spawned.length;
  const run = await session.runtime.start(slot, stage, files, listener);
  // The stage's start command: spawned in its folder (the probe and request helpers run in the workdir).
  const spawn = session.double.spawned.slice(spawnsBefore).find((entry) => entry.cwd.endsWith(`/examples/${stage}`))?.spawn;
  if (spawn === undefined) throw new Error(`${stage}: the adapter spawned no process in the stage's folder`);
  let url: string;
  try {
    url = await run.ready;
  } catch (error) {
    throw new Error(`${stage} did not get ready: ${(error as Error).message}\n--- Output ---\n${listener.text()}`);
  }
  const readyMs = performance.now() - started;
  return {
    run,
    url,
    listener,
    readyMs,
    spawn,
    stop: async () => {
      const began = performance.now();
      await run.stop();
      const ms = performance.now() - began;
      return { ms, survivors: await survivorsOf(session.double, spawn) };
    },
  };
}

/**
 * What of a spawn still runs a while after its Stop. The grace is the time a service may still
 * be loading its modules when its supervisor ends: it watches its input (exitWithSupervisor)
 * from its first line, after its imports, and ends there. On a two-core machine shared with
 * other suites that took over a second once (stage 09's orchestrator, Node 24). Watching
 * earlier would take an `--import` preload in every service, a Node option nobody has seen
 * WebContainer honour; the stages pass one only where nothing else works (the strip-types hook,
 * on a Node that cannot strip types).
 */
export async function survivorsOf(double: ContainerDouble, spawn: number, graceMs = 5_000): Promise<DoubleProcessInfo[]> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    const left = double.processes(spawn);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Processes and summed RSS of one spawn. */
export function memoryOf(double: ContainerDouble, spawn: number): { processes: number; rssBytes: number } {
  const list = double.processes(spawn);
  return { processes: list.length, rssBytes: list.reduce((sum, p) => sum + p.rssBytes, 0) };
}

/** The chapter's ready-made requests (its frontmatter's `requests`), as the request console offers them. */
export function chapterRequests(stage: string): ReadyRequest[] {
  const mdx = readFileSync(join(root, 'chapters', `${stage}.mdx`), 'utf8');
  const end = mdx.indexOf('\n---\n', 4);
  const frontmatter = parseYaml(mdx.slice(4, end)) as { requests?: ReadyRequest[] };
  return frontmatter.requests ?? fallbackRequests;
}

/** The requests the chapter's experiment names, step by step (all ready-made ones where it names none). */
export function experimentRequests(stage: string): ReadyRequest[] {
  const requests = chapterRequests(stage);
  const mdx = readFileSync(join(root, 'chapters', `${stage}.mdx`), 'utf8');
  const labels = experimentSteps(mdx, requests.map((r) => r.label))?.steps.flatMap((step) => step.requests) ?? [];
  const named = labels.map((label) => requests.find((r) => r.label === label)).filter((r): r is ReadyRequest => r !== undefined);
  return named.length ? named : requests;
}

/** Sends ready-made requests in order through the adapter, filling {lastOrderId} and {lastTraceId} as the console does. */
export async function sendReadyRequests(run: RunningStage, requests: ReadyRequest[]): Promise<{ label: string; status: number; contentType: string; body: string }[]> {
  const values: Placeholders = {};
  const answers: { label: string; status: number; contentType: string; body: string }[] = [];
  for (const ready of requests) {
    const request = formToRequest(toForm(ready), values);
    const response = await run.request(request);
    values.lastOrderId = orderIdIn(response.body) ?? values.lastOrderId;
    values.lastTraceId = lastTraceIdFrom(request, response) ?? values.lastTraceId;
    answers.push({ label: ready.label, status: response.status, contentType: response.headers['content-type'] ?? '', body: response.body });
  }
  return answers;
}
