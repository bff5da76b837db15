// The container double's suite: for each container Node, the adapter's journey through the
// chosen stages (tests/container/stage.test.ts), with the contract suite against each stage
// started the same way (examples/*/test/contract.test.ts, run inside the journey against its
// "Run again" start, handed over through site/runtime/testing/container-launcher.ts).
//
//   node scripts/container-suite.ts            what `npm test` runs: every stage on Node 22.22.0
//                                              without type stripping (journey and contract
//                                              suite), stages 01, 06, 12 on Node 22.22.0 and on
//                                              this Node (24) (a short journey: no second Run,
//                                              the Check of stage 01 only; --contract runs the
//                                              full journey with the suite)
//   node scripts/container-suite.ts --all      every stage on all three (npm run test:container)
//   ... --nodes 22,24 --stages 01,06           a part of it (stage numbers or folder names)
//
// Ends with the figures of each stage (Run -> Ready, Stop, processes and RSS at Ready).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1]?.split(',');
};
const allStages = readdirSync(join(root, 'examples')).filter((name) => /^\d\d-/.test(name)).sort();
const pick = (wanted: string[] | undefined, fallback: string[]) => (wanted ? allStages.filter((stage) => wanted.some((w) => stage === w || stage.startsWith(`${w}-`))) : fallback);
const few = pick(['01', '06', '12'], []);
const plan = new Map<string, string[]>(
  args.includes('--all')
    ? [['22-nostrip', allStages], ['22', allStages], ['24', allStages]]
    : [['22-nostrip', allStages], ['22', few], ['24', few]],
);
const nodes = option('--nodes') ?? [...plan.keys()];
const stagesWanted = option('--stages');

// The WebAssembly setting of `npm test` (scripts/test/wasm-baseline-only.mjs) reaches the
// container's processes too: it changes how fast PGlite compiles, never what it does.
const containerNodeOptions = `--import=${pathToFileURL(join(root, 'scripts', 'test', 'wasm-baseline-only.mjs')).href}`;

function run(command: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command[0]!, command.slice(1), { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

const started = Date.now();
let failed = false;
const figures: string[] = [];
for (const node of nodes) {
  const stages = stagesWanted ? pick(stagesWanted, []) : (plan.get(node) ?? []);
  if (stages.length === 0) continue;
  // `npm test` runs the contract suite in the container that cannot strip types only (where the
  // strip-types hook does the work, and the stages are most likely to differ); the journey on the
  // other two Nodes starts, answers, checks and stops the same stages. `--all` runs it everywhere.
  // The journey runs it itself, against its own "Run again" start of each stage (one start, not two).
  const contract = node === '22-nostrip' || args.includes('--all') || args.includes('--contract');
  // On the two Nodes that strip types themselves, `npm test` takes the short journey (see
  // tests/container/stage.test.ts): the hook-free command starts, answers and stops each stage.
  const short = node !== '22-nostrip' && !args.includes('--all') && !args.includes('--contract');
  const env = { CONTAINER_JOURNEY: short ? 'short' : 'full', CONTAINER_NODE: node, CONTAINER_STAGES: stages.join(','), CONTAINER_NODE_OPTIONS: containerNodeOptions, CONTAINER_CONTRACT: contract ? '1' : '0' };
  console.log(`\n── container Node ${node}: ${stages.join(', ')}${contract ? ' (with the contract suite)' : ''} ──`);
  const journey = await run(['node', '--test', '--test-reporter=spec', 'tests/container/stage.test.ts'], env);
  // `npm run container` itself, on the no-strip container (stage 01 only, unless --all).
  const command = node === '22-nostrip' ? await run(['node', '--test', '--test-reporter=spec', 'tests/container/command.test.ts'], args.includes('--all') ? { CONTAINER_COMMAND_STAGES: stages.join(',') } : {}) : { code: 0 };
  failed ||= journey.code !== 0 || command.code !== 0;
  for (const line of journey.output.split('\n')) if (line.startsWith('container-figures ')) figures.push(line.slice('container-figures '.length));
}

console.log(`\n── container double: Run -> Ready, Stop, processes and RSS at Ready (${((Date.now() - started) / 1000).toFixed(0)} s) ──`);
for (const json of figures) {
  const f = JSON.parse(json) as Record<string, string | number>;
  const again = f.readyAgainMs === undefined ? '' : ` (again ${(Number(f.readyAgainMs) / 1000).toFixed(1)} s)`;
  console.log(`${String(f.node).padEnd(11)} ${String(f.stage).padEnd(30)} ready ${(Number(f.readyMs) / 1000).toFixed(1)} s${again}, stop ${(Number(f.stopMs) / 1000).toFixed(2)} s, ${f.processes} processes, ${f.rssMiB} MiB`);
}
process.exit(failed ? 1 : 0);
