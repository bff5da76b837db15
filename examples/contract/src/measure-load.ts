// Puts the load of issue 29 on a stage and prints what it saw:
//
//   node examples/contract/src/measure-load.ts examples/10-scaling-out [--reads 20x15] [--orders 10x15]
//        [--env NAME=value ...] [--write name]
//
// It starts the stage with `npm start` (as the contract suite does), runs load.ts with
// <connections>x<seconds> for the reads and the orders, stops the stage and prints the figures
// as JSON. `--write name` stores them as the section `load-<name>` of the project's
// measurements.json, the one file the chapters read measured figures from. Extra `--env` pairs go to the stage (DATABASE_URL and
// BROKER_URL for stage 12 on real servers; RATE_PER_S to lift the gateway's rate limit).

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runLoad } from './load.ts';
import { recordFigures } from './load-suite.ts';
import { startStage } from './launch.ts';

const args = process.argv.slice(2);
const stageDir = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (!stageDir) throw new Error('usage: measure-load.ts <stage folder> [--reads CxS] [--orders CxS] [--env NAME=value] [--write name]');
const option = (name: string) => args[args.indexOf(`--${name}`) + 1] && args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined;
const shape = (text: string | undefined, fallback: [number, number]): [number, number] => {
  const m = /^(\d+)x(\d+)$/.exec(text ?? '');
  return m ? [Number(m[1]), Number(m[2])] : fallback;
};
const [readConnections, readSeconds] = shape(option('reads'), [20, 15]);
const [orderConnections, orderSeconds] = shape(option('orders'), [10, 15]);
const env: Record<string, string> = {};
args.forEach((a, i) => {
  if (a === '--env') {
    const [name, ...value] = (args[i + 1] ?? '').split('=');
    if (name) env[name] = value.join('=');
  }
});

// CPU seconds (user + system) each script of the stage has used so far, replicas summed, from
// /proc (Linux): what an order costs where, whatever else the machine is doing meanwhile.
function cpuByScript(dir: string): Record<string, number> {
  const ticksPerSecond = 100; // USER_HZ on Linux
  const seconds: Record<string, number> = {};
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const script = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').find((arg) => arg.startsWith(`${dir}/src/`));
      if (!script) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const name = script.slice(dir.length + 5).replace(/\.ts$/, '');
      seconds[name] = (seconds[name] ?? 0) + (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
    } catch {
      // gone since it was listed
    }
  }
  return seconds;
}

const dataDir = mkdtempSync(join(tmpdir(), 'shop-load-data-'));
const stage = await startStage(resolve(stageDir), { env: { DATA_DIR: dataDir, ...env }, timeoutMs: 120_000 });
try {
  const dir = resolve(stageDir);
  const cpuBefore = cpuByScript(dir);
  const report = await runLoad(stage.url, { readConnections, readSeconds, orderConnections, orderSeconds });
  const cpuAfter = cpuByScript(dir);
  const cpuSeconds = Object.fromEntries(Object.entries(cpuAfter).map(([name, s]) => [name, Math.round((s - (cpuBefore[name] ?? 0)) * 10) / 10]).sort(([, a], [, b]) => Number(b) - Number(a)));
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(JSON.stringify({ ...report, cpuSeconds, loadAverage: load }, null, 2));
  const name = option('write');
  if (name) await recordFigures(name, `npm run measure:load -- ${args.join(' ')}`, report.figures, cpuSeconds);
} finally {
  await stage.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
