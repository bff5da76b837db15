// The one measurements file (measurements.json at the project's root): every figure the
// chapters quote that comes from running something rather than from the code. Each section was
// written by one command, on one machine, at one time, and says which; chapters render a
// figure with <Measured figure="section/name" />, so two chapters can never quote two runs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Unit = 'ms' | 'bytes' | 'count' | 'per-s';

export interface Figure {
  value: number;
  unit: Unit;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryBytes: number;
  os: string;
  node: string;
  /** The 1-minute load average when the command started: figures from a busy machine say so. */
  loadAverage: number;
}

export interface Section {
  /** The command that wrote this section, as a reader would type it. */
  command: string;
  /** ISO 8601, when the command finished. */
  date: string;
  machine: Machine;
  figures: Record<string, Figure>;
}

export interface Measurements {
  sections: Record<string, Section>;
}

export const measurementsPath = (root = process.cwd()) => join(root, 'measurements.json');

export function readMeasurements(path = measurementsPath()): Measurements {
  return JSON.parse(readFileSync(path, 'utf8')) as Measurements;
}

/** `key` is "section/figure", e.g. "run-ready/09-saga/ready-median". */
export function findFigure(measurements: Measurements, key: string): { section: Section; figure: Figure } {
  const slash = key.indexOf('/');
  const sectionName = key.slice(0, slash);
  const section = measurements.sections[sectionName];
  if (slash < 1 || !section) {
    throw new Error(`measurements.json has no section "${sectionName}" (figure "${key}"); sections: ${Object.keys(measurements.sections).join(', ')}`);
  }
  const figure = section.figures[key.slice(slash + 1)];
  if (!figure) throw new Error(`measurements.json has no figure "${key}": run the section's command (${section.command}) or fix the name`);
  return { section, figure };
}

/** How a figure is shown: the unit a sentence wants it in, and how many decimals. */
export interface Format {
  /** `bytes` shows a small count of bytes as it is ("412 bytes"): a message on the wire. */
  as?: 's' | 'ms' | 'GB' | 'MB' | 'bytes' | 'number';
  digits?: number;
}

export function formatFigure(figure: Figure, format: Format = {}): string {
  const as = format.as ?? (figure.unit === 'ms' ? 'ms' : figure.unit === 'bytes' ? 'MB' : 'number');
  const allowed: Record<Unit, string[]> = { ms: ['ms', 's'], bytes: ['MB', 'GB', 'bytes'], count: ['number'], 'per-s': ['number'] };
  if (!allowed[figure.unit].includes(as)) throw new Error(`a figure in ${figure.unit} cannot be shown as ${as}`);
  const divisor = { ms: 1, s: 1000, MB: 1024 ** 2, GB: 1024 ** 3, bytes: 1, number: 1 }[as];
  const digits = format.digits ?? { ms: 0, s: 1, MB: 0, GB: 2, bytes: 0, number: 0 }[as];
  const number = (figure.value / divisor).toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return as === 'number' ? number : `${number} ${as}`;
}

/**
 * What a chapter shows for a figure. `typed` is text an author wrote inside the component: it
 * must say exactly what the file says, so a hand-typed number that drifts from its source fails
 * the build instead of reaching a reader.
 */
export function renderFigure(measurements: Measurements, key: string, format: Format = {}, typed?: string): string {
  const shown = formatFigure(findFigure(measurements, key).figure, format);
  const said = typed?.replace(/\s+/g, ' ').trim();
  if (said && said !== shown) {
    throw new Error(`the prose says "${said}" for ${key}, but measurements.json gives ${shown}: write <Measured figure="${key}" /> and let it render`);
  }
  return shown;
}

/** When and on what a section was measured, in words. */
export function describeRun(measurements: Measurements, name: string): string {
  const section = measurements.sections[name];
  if (!section) throw new Error(`measurements.json has no section "${name}"`);
  const { machine } = section;
  const day = new Date(section.date).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  const memory = `${Math.round(machine.memoryBytes / 1024 ** 3)} GB`;
  return `on ${day}, on ${machine.cpus} CPUs and ${memory} of memory under Node ${machine.node}, with a load average of ${machine.loadAverage}`;
}
