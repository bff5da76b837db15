// Run -> Ready of each stage on the Local runtime, through the same adapter the workbench
// uses, and what the running stage costs: its processes and their memory.
import { readdirSync } from 'node:fs';
import { createLocalRuntime } from '../../site/runtime/local.ts';
import type { RunListener } from '../../site/runtime/port.ts';
import { descendants } from '../../server/runner/proc.ts';

export interface StageRun {
  stage: string;
  readyMs: number[];
  processes: number;
  rssBytes: number;
}

const quiet: RunListener = { output: () => {}, status: () => {} };

/** `token`: the runner token the site server was started with. */
export async function runToReady(origin: string, token: string, examplesRoot: string, stages: string[], repeats = 3): Promise<StageRun[]> {
  const runtime = createLocalRuntime(token, origin);
  const results: StageRun[] = [];
  for (const stage of stages.filter((s) => readdirSync(examplesRoot).includes(s))) {
    const readyMs: number[] = [];
    let processes = 0;
    let rssBytes = 0;
    for (let i = 0; i < repeats; i++) {
      const started = performance.now();
      const run = await runtime.start('bench', stage, {}, quiet);
      await run.ready;
      readyMs.push(performance.now() - started);
      if (i === repeats - 1) {
        // Warm the stage with one order before reading its memory: first requests load code.
        await run.request({ method: 'GET', path: '/products' });
        const stageProcesses = descendants().filter((p) => !p.command.includes('supervisor.ts') && !/chrom/i.test(p.command));
        processes = stageProcesses.filter((p) => /\bnode\b/.test(p.command)).length;
        rssBytes = stageProcesses.reduce((sum, p) => sum + p.rssBytes, 0);
      }
      await run.stop();
    }
    results.push({ stage, readyMs, processes, rssBytes });
  }
  return results;
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
