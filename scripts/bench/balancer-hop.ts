// What chapter 10's balancer adds to every request: stage 10 started as the tests start it,
// then 300 sequential GET /products with Node's fetch through the balancer (the stage's port)
// and 300 straight to shop-1 (port + 1000), the mean of each, in three alternating rounds. With
// --record it writes the median round of each to measurements.json (section balancer-hop-10),
// which the chapter renders with <Measured>.
//
//   node scripts/bench/balancer-hop.ts --record
import { startStage } from '../../examples/contract/src/launch.ts';
import type { Figure } from '../../site/lib/measurements.ts';
import { recordSection, thisMachine } from './record.ts';

const machine = thisMachine();
const REQUESTS = 300;
const stage = await startStage(new URL('../../examples/10-scaling-out/', import.meta.url), { timeoutMs: 120_000 });

async function meanMs(base: string): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < REQUESTS; i++) {
    const res = await fetch(`${base}/products`);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`GET ${base}/products answered ${res.status}`);
  }
  return (performance.now() - started) / REQUESTS;
}

const through: number[] = [];
const straight: number[] = [];
try {
  await meanMs(stage.url); // warm up both paths
  for (let round = 0; round < 3; round++) {
    through.push(await meanMs(stage.url));
    straight.push(await meanMs(`http://127.0.0.1:${stage.port + 1000}`));
  }
} finally {
  await stage.stop();
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (value: number): Figure => ({ value: Math.round(value * 10) / 10, unit: 'ms' });
const figures: Record<string, Figure> = { 'through-balancer': ms(median(through)), 'straight-to-shop': ms(median(straight)) };
console.log(`GET /products, mean of ${REQUESTS} sequential: through the balancer ${through.map((t) => t.toFixed(1)).join(', ')} ms; straight to shop-1 ${straight.map((t) => t.toFixed(1)).join(', ')} ms`);
if (process.argv.includes('--record')) {
  recordSection(new URL('../../measurements.json', import.meta.url).pathname, 'balancer-hop-10', 'node scripts/bench/balancer-hop.ts --record', machine, figures);
  console.log('recorded in measurements.json, section balancer-hop-10');
}
