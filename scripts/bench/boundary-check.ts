// What chapter 4's boundary checker costs at start-up: the time of one full check of stage 4's
// `src/`, as the chapter's one-line command measures it, taken 21 times (the first reads files
// cold). With --record it writes the median and the slowest to measurements.json
// (section boundary-check-04), which the chapter renders with <Measured>.
//
//   node scripts/bench/boundary-check.ts --record
import { checkModuleBoundaries } from '../../examples/04-modular-monolith/src/boundaries.ts';
import type { Figure } from '../../site/lib/measurements.ts';
import { recordSection, thisMachine } from './record.ts';

const machine = thisMachine();
const src = new URL('../../examples/04-modular-monolith/src/', import.meta.url);
const runs: number[] = [];
for (let i = 0; i < 21; i++) {
  const started = performance.now();
  const found = checkModuleBoundaries(src);
  runs.push(performance.now() - started);
  if (found.length > 0) throw new Error(`stage 4 has ${found.length} boundary violations; the figure would time a broken stage`);
}
const sorted = [...runs].sort((a, b) => a - b);
const round = (ms: number) => Math.round(ms * 10) / 10;
const figures: Record<string, Figure> = {
  first: { value: round(runs[0]!), unit: 'ms' },
  median: { value: round(sorted[Math.floor(sorted.length / 2)]!), unit: 'ms' },
  slowest: { value: round(sorted.at(-1)!), unit: 'ms' },
};
console.log(`boundary check of stage 4: first run ${figures.first!.value} ms, median ${figures.median!.value} ms, slowest ${figures.slowest!.value} ms (21 runs)`);
if (process.argv.includes('--record')) {
  recordSection(new URL('../../measurements.json', import.meta.url).pathname, 'boundary-check-04', 'node scripts/bench/boundary-check.ts --record', machine, figures);
  console.log('recorded in measurements.json, section boundary-check-04');
}
