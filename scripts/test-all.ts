// `npm test`: every suite of the project, ending with one line that adds them all up.
// `npm test -- e2e examples` runs only the suites whose names start with those words.
// Suites start in the order listed, two at a time (TEST_JOBS changes that): a stage suite
// waits on processes and sockets part of the time, and a second one fills the gaps (on two
// cores the machine is then about 90 % busy; a third only slows both).
// The list puts the longest first (and what they wait for before them), so that no long
// suite starts last and runs on alone. The three end-to-end suites run at the end, two at a
// time and beside nothing else: they drive a real editor and real stages against timeouts.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { printCpuProfile } from './test/cpu-profile.ts';
import { add, parseNodeTestSummaries, parsePlainSummary, parsePlaywrightJson, parseVitestJson, summaryLine, zero, type Counts } from './lib/counts.ts';

const root = new URL('..', import.meta.url).pathname;
const reports = join(root, '.test-output');
// Node keeps the code it compiled for each module on disk and checks it against the source
// before reusing it. The suites start thousands of Node processes from the same files (a
// split stage is twelve of them, started again by every test file that runs it), and the
// cache takes about a third off each start: stage 10's Run -> Ready, 8.3 s without it and
// 5.9 s with it on a quiet two-core machine.
const compileCache = process.env.NODE_COMPILE_CACHE ?? join(root, 'node_modules', '.cache', 'node-compile');
// Every Node process of the suites compiles WebAssembly with V8's baseline compiler only
// (see the module): PGlite's database processes were the largest single user of CPU in
// `npm test`.
const wasmBaselineOnly = `--import=${pathToFileURL(join(root, 'scripts', 'test', 'wasm-baseline-only.mjs')).href}`;
// TEST_CPU_PROFILE=1: every Node process of the suites writes its CPU time when it exits, and
// the summary ends with the scripts that used most (scripts/test/cpu-profile.ts).
const cpuLog = process.env.TEST_CPU_PROFILE ? join(reports, 'cpu.jsonl') : undefined;
const cpuLogHook = cpuLog ? `--import=${pathToFileURL(join(root, 'scripts', 'test', 'cpu-log.mjs')).href}` : undefined;

interface Suite {
  name: string;
  command: string[];
  cwd?: string;
  /** Added to the environment. */
  env?: Record<string, string>;
  /** Added to NODE_OPTIONS. */
  nodeOptions?: string;
  /** How to count the suite's tests; a command without a count is one check. */
  count?: (output: string) => Counts | undefined;
  /** The suite that must have finished first (when both are selected). */
  after?: string;
  /** Runs only beside suites of the same set, and holds back every suite after it until the set is done. */
  apart?: string;
}

function run(suite: Suite, live: boolean): Promise<{ output: string; code: number }> {
  const [command, ...args] = suite.command;
  return new Promise((resolve) => {
    const nodeOptions = [process.env.NODE_OPTIONS, wasmBaselineOnly, cpuLogHook, suite.nodeOptions].filter(Boolean).join(' ');
    const env = { ...process.env, FORCE_COLOR: '0', NODE_COMPILE_CACHE: compileCache, NODE_OPTIONS: nodeOptions, ...(cpuLog ? { TEST_CPU_LOG: cpuLog } : {}), ...suite.env };
    const child = spawn(command!, args, { cwd: suite.cwd ?? root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (live) process.stdout.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('close', (code) => resolve({ output, code: code ?? 1 }));
  });
}

const readReport = (file: string, parse: (json: string) => Counts) => () =>
  existsSync(join(reports, file)) ? parse(readFileSync(join(reports, file), 'utf8')) : undefined;

const stageSuites: Suite[] = readdirSync(join(root, 'examples'))
  .filter((name) => existsSync(join(root, 'examples', name, 'package.json')))
  .filter((name) => Boolean(JSON.parse(readFileSync(join(root, 'examples', name, 'package.json'), 'utf8')).scripts?.test))
  .sort()
  .map((name) => ({ name: `examples/${name}`, command: ['npm', 'test', '--silent'], cwd: join(root, 'examples', name), count: parseNodeTestSummaries }));

// With the container double in the run, a stage's own suite leaves out test/contract.test.ts:
// the double runs that very file against the stage started through the adapter, on the Node
// that cannot strip types (the harder of the two), with the fuzz, the hostile targets and the
// load check in full. Once per stage is what the contract proves; the stage suites' copies
// took about 400 suite-seconds, load checks included. (`npm test` in a stage's folder runs
// every file, the contract included.)
// Stage 13's test/without-http2.test.ts is the contract suite on a runtime without node:http2,
// which is what the double is (it models WebContainer's unknown HTTP/2 support at its worst),
// so the double's run of stage 13 is that file's run too (about 38 s of stage 13's suite).
const runByTheDouble = new Set(['contract.test.ts', 'without-http2.test.ts']);
const withoutDoubleRuns = (suite: Suite): Suite => {
  const tests = join(suite.cwd!, 'test');
  const files = readdirSync(tests).filter((file) => file.endsWith('.test.ts') && !runByTheDouble.has(file)).sort();
  return { ...suite, command: ['node', '--test', ...files.map((file) => join('test', file))] };
};

// The WebContainer path, in the container double (scripts/container-suite.ts): the adapter's
// own code runs every stage on Node 22.22.0 without type stripping (so the strip-types hook
// does the work, as in a container that cannot strip), and stages 01, 06 and 12 on Node
// 22.22.0 and on this Node; the contract suite passes against each stage started that way
// (the journey's own "Run again" start: one boot and one start fewer per stage).
// By itself on the shared two-core machine: 572 s at load average 4-11, where it took 855-945 s
// when the contract suite booted a double and started each stage once more; 652-683 s beside
// the other suites since it also runs every stage's load check, with thirteen stages.
// It needs the built site's dependency snapshot.
const containerSuite: Suite = {
  name: 'container double (3 Nodes)',
  command: ['node', 'scripts/container-suite.ts'],
  count: parseNodeTestSummaries,
  after: 'build',
};

// Longest first, within what each waits for (as timed by this script on a two-core machine):
// the chain typecheck site -> build -> what needs the built site, and beside it the long stage
// suites; the short ones last, to fill the gaps.
const byName = (name: string) => stageSuites.find((s) => s.name === `examples/${name}`);
const longStages = ['13-grpc-contracts', '12-running-it-for-real', '10-scaling-out', '07-surviving-the-network', '06-extract-payments', '11-gateway-and-observability', '08-message-broker', '09-saga', '05-events-and-outbox'];
const e2e = (project: string, port: number): Suite => {
  const report = `playwright-${project}.json`;
  return {
    name: `e2e ${project} (playwright)`,
    command: ['npx', 'playwright', 'test', `--project=${project}`],
    env: { E2E_REPORT: join(reports, report), E2E_PORT: String(port) },
    count: readReport(report, parsePlaywrightJson),
    after: 'build',
  };
};

const suites: Suite[] = [
  { name: 'typecheck site', command: ['npx', 'astro', 'check'] },
  // astro check and astro build both write the generated types in .astro/.
  { name: 'build', command: ['npm', 'run', 'build', '--silent'], after: 'typecheck site' },
  { name: 'check (quality gates)', command: ['npm', 'run', 'check', '--silent'], count: parsePlainSummary, after: 'build' },
  { name: 'unit (vitest)', command: ['npx', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${join(reports, 'vitest.json')}`], count: readReport('vitest.json', parseVitestJson), after: 'build' },
  // The budgets a pull request can break by itself; Run -> Ready, memory and Lighthouse's
  // performance score are timings, measured and judged by `npm run bench -- --check`, as they
  // depend on the machine more than on the change (Lighthouse's other scores count here, and
  // do not depend on timing, so this suite need not run alone).
  { name: 'budgets (bench --check)', command: ['node', 'scripts/bench.ts', '--check', '--only', 'size,first-load,lighthouse', '--performance-as-report'], count: parsePlainSummary, after: 'build' },
  containerSuite,
  ...longStages.map(byName).filter((s): s is Suite => s !== undefined),
  { name: 'typecheck examples', command: ['npx', 'tsc', '-p', 'examples'] },
  ...stageSuites.filter((s) => !longStages.some((name) => s.name === `examples/${name}`)),
  // The end-to-end tests apart at the end, in two parts so that the summary times each. The
  // page specs ran beside the stage suites for a while: on two cores that slowed both by more
  // than it saved (the machine is CPU-bound there). Beside each other they fill the time the
  // other waits on a page or a stage: the CPU was a third idle while each ran by itself.
  // The lessons (the longest) first, beside the pages; the workbench's stage specs take the
  // pages' place when they end (about 6 + 1.5 minutes beside 6, where one project of all the
  // stage specs ran on alone for two minutes after the pages).
  { ...e2e('lessons', 4457), apart: 'e2e' },
  { ...e2e('pages', 4456), apart: 'e2e' },
  { ...e2e('stages', 4455), apart: 'e2e' },
];

const wanted = process.argv.slice(2);
const chosen = wanted.length ? suites.filter((s) => wanted.some((w) => s.name.startsWith(w))) : suites;
const selected = chosen.includes(containerSuite) ? chosen.map((s) => (stageSuites.includes(s) && existsSync(join(s.cwd!, 'test', 'contract.test.ts')) ? withoutDoubleRuns(s) : s)) : chosen;
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const jobs = Math.max(1, Number(process.env.TEST_JOBS ?? 2));
const names = new Set(selected.map((s) => s.name));
const done = new Set<string>();
const running = new Map<string, Promise<void>>();
let total = zero();
const table: string[] = [];
const started = Date.now();

async function runAndCount(suite: Suite, live: boolean): Promise<void> {
  if (live) console.log(`\n━━ ${suite.name} ━━`);
  const t0 = Date.now();
  const { output, code } = await run(suite, live);
  // A suite that ran beside another prints its output in one piece when it ends.
  if (!live) console.log(`\n━━ ${suite.name} ━━\n${output}`);
  let counts = suite.count?.(output);
  // A runner that crashed before counting, or a plain command, counts as one check.
  if (!counts) counts = code === 0 ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 };
  else if (code !== 0 && counts.failed === 0) counts = { ...counts, failed: 1 };
  total = add(total, counts);
  table.push(`${code === 0 ? '✔' : '✘'} ${suite.name.padEnd(32)} ${summaryLine(counts).padEnd(34)} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

function start(suite: Suite, live: boolean) {
  running.set(suite.name, runAndCount(suite, live).finally(() => {
    running.delete(suite.name);
    done.add(suite.name);
  }));
}

// Start, in the listed order, every suite whose turn has come. A suite of a set kept apart
// waits until only suites of its set run, and nothing after it starts until the set is done.
const pending = [...selected];
const ready = (suite: Suite) => !suite.after || !names.has(suite.after) || done.has(suite.after);
const set = (name: string) => suites.find((s) => s.name === name)?.apart;
while (pending.length || running.size) {
  for (let i = 0; i < pending.length; i++) {
    const suite = pending[i]!;
    if (running.size >= jobs) break;
    if (suite.apart) {
      const onlyItsSet = [...running.keys()].every((name) => set(name) === suite.apart);
      if (i === 0 && onlyItsSet && ready(suite)) {
        // Live output only when nothing can run beside it.
        const alone = jobs === 1 || !pending.slice(1).some((next) => next.apart === suite.apart);
        start(pending.shift()!, alone && running.size === 0);
        i--;
        continue;
      }
      break;
    }
    if ([...running.keys()].some((name) => set(name) !== undefined)) break;
    if (ready(suite)) {
      start(suite, jobs === 1);
      pending.splice(i--, 1);
    }
  }
  if (!running.size) {
    if (pending.length) throw new Error(`cannot start ${pending.map((s) => s.name).join(', ')}: a suite waits for one listed after it`);
    break;
  }
  await Promise.race(running.values());
}

// (before the summary: `npm test` ends with the line that adds up every suite)
if (cpuLog) printCpuProfile(cpuLog);
console.log(`\n━━ summary (${((Date.now() - started) / 1000).toFixed(0)} s, ${jobs} at a time) ━━`);
for (const line of table) console.log(line);
console.log(summaryLine(total));
process.exit(total.failed === 0 ? 0 : 1);
