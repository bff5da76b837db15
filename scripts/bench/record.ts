// Writes one section of measurements.json (site/lib/measurements.ts says what it holds): the
// figures, the command that made them, the date and the machine. The other sections are kept
// as they are, so each command owns its section and re-running one never mixes two runs in it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';
import type { Figure, Machine, Measurements, Section } from '../../site/lib/measurements.ts';

/** Call it before measuring: the load average is the one the figures were taken under. */
export function thisMachine(): Machine {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryBytes: totalmem(),
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    loadAverage: Math.round(loadavg()[0]! * 100) / 100,
  };
}

export function recordSection(path: string, name: string, command: string, machine: Machine, figures: Record<string, Figure>, now = new Date()): Section {
  const file: Measurements = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Measurements) : { sections: {} };
  const section: Section = { command, date: now.toISOString(), machine, figures };
  file.sections[name] = section;
  const sorted = Object.fromEntries(Object.entries(file.sections).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(path, `${JSON.stringify({ sections: sorted }, null, 2)}\n`);
  return section;
}
