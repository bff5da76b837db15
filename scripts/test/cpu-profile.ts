// The end of `TEST_CPU_PROFILE=1 npm test`: the CPU time every Node process of the suites used
// (written by cpu-log.mjs), added up per script, the largest first.
import { existsSync, readFileSync } from 'node:fs';

interface Entry {
  argv: string[];
  user: number;
  system: number;
}

/** What a process ran, the same for every copy of a stage: the script's path from its stage folder. */
export function scriptOf(argv: string[]): string {
  const script = argv.find((arg) => /\.(?:[cm]?[jt]s)$/.test(arg)) ?? argv[0] ?? '(unknown)';
  const inStage = /examples\/[^/]+\/(.+)$/.exec(script);
  if (inStage) return inStage[1]!;
  const inModules = /node_modules\/(?:\.bin\/)?(.+)$/.exec(script);
  return inModules ? inModules[1]! : script.replace(/^.*\/(scripts|server|tests)\//, '$1/');
}

export function cpuByScript(entries: Entry[]): { script: string; processes: number; cpu: number; system: number }[] {
  const totals = new Map<string, { script: string; processes: number; cpu: number; system: number }>();
  for (const entry of entries) {
    const script = scriptOf(entry.argv);
    const total = totals.get(script) ?? { script, processes: 0, cpu: 0, system: 0 };
    total.processes++;
    total.cpu += entry.user + entry.system;
    total.system += entry.system;
    totals.set(script, total);
  }
  return [...totals.values()].sort((a, b) => b.cpu - a.cpu);
}

export function printCpuProfile(file: string, top = 20): void {
  if (!existsSync(file)) return;
  const entries = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Entry);
  const rows = cpuByScript(entries);
  const all = rows.reduce((sum, row) => sum + row.cpu, 0);
  console.log(`\n━━ CPU of the Node processes (${entries.length} processes, ${all.toFixed(0)} s; SIGKILLed ones and browsers not counted) ━━`);
  for (const row of rows.slice(0, top)) {
    console.log(`${row.cpu.toFixed(1).padStart(7)} s  ${String(row.processes).padStart(4)}×  ${row.script}  (system ${row.system.toFixed(1)} s)`);
  }
}
