// The most memory a single-process stage ever held (its peak RSS, Linux's VmHWM), start-up
// included: chapter 3 says PGlite's start costs more than the running shop holds. Starts the
// stage as the tests do, places a few orders, reads the high-water mark of its Node process,
// and stops it. With --record it writes the figure to measurements.json (section peak-rss-NN, NN the stage number).
//
//   node scripts/bench/peak-rss.ts 03-real-persistence --record
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request, startStage } from '../../examples/contract/src/launch.ts';
import type { Figure } from '../../site/lib/measurements.ts';
import { recordSection, thisMachine } from './record.ts';

const stageName = process.argv[2];
if (!stageName || stageName.startsWith('-')) throw new Error('usage: node scripts/bench/peak-rss.ts <stage folder> [--record]');
const machine = thisMachine();
const tmp = mkdtempSync(join(tmpdir(), 'peak-rss-'));

async function peakOfOneRun(): Promise<number> {
  const stage = await startStage(new URL(`../../examples/${stageName}/`, import.meta.url), { timeoutMs: 120_000, env: { TMPDIR: tmp } });
  let peakKiB = 0;
  try {
    for (let i = 0; i < 3; i++) await request(stage.url, 'POST', '/orders', { customerId: 'ada', items: [{ sku: 'mug-blue', quantity: 1 }] });
    // the stage's own Node process: the one started with its PORT that runs src/main.ts
    for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
      try {
        if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('src/main.ts')) continue;
        if (!readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`PORT=${stage.port}`)) continue;
        peakKiB = Math.max(peakKiB, Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0));
      } catch {
        // gone, or not ours
      }
    }
  } finally {
    await stage.stop();
  }
  if (peakKiB === 0) throw new Error(`found no src/main.ts process of ${stageName}`);
  return peakKiB;
}

let first: number;
let later: number;
try {
  first = await peakOfOneRun();
  later = await peakOfOneRun();
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
console.log(`${stageName}: peak RSS ${Math.round(first / 1024)} MB on a first start (no PGlite cache), ${Math.round(later / 1024)} MB on the next`);
if (process.argv.includes('--record')) {
  const section = `peak-rss-${stageName.slice(0, 2)}`;
  recordSection(new URL('../../measurements.json', import.meta.url).pathname, section, `node scripts/bench/peak-rss.ts ${stageName} --record`, machine, {
    'first-start': { value: first * 1024, unit: 'bytes' },
    'later-start': { value: later * 1024, unit: 'bytes' },
  });
  console.log(`recorded in measurements.json, section ${section}`);
}
