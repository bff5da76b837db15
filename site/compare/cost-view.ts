// Fills the cost panel's table from a measurement. A figure the runtime cannot give is said
// to be unmeasurable, never filled with an estimate.
import type { RunStats, RuntimeKind } from '../runtime/port.ts';
import type { LatencySummary } from './measure.ts';

export interface SideCost {
  latency: LatencySummary;
  /** Requests of the scenario that got no answer (left out of the figures). */
  failed: number;
  stats: RunStats | null;
}

export interface CostMeasurement {
  repetitions: number;
  steps: number;
  runtime: RuntimeKind;
  labels: { from: string; to: string };
  from: SideCost;
  to: SideCost;
}

const number = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : 'no answers');
const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : 'no answers');

function unmeasurable(runtime: RuntimeKind): string {
  return runtime === 'webcontainer' ? 'not measurable in WebContainer' : 'not measurable here (the local server reads Linux’s /proc)';
}

/** The text of each row for one side. */
export function costCells(side: SideCost, runtime: RuntimeKind): Record<string, string> {
  const { latency, stats, failed } = side;
  return {
    rps: number(latency.rps, 0),
    p50: ms(latency.p50),
    p95: ms(latency.p95),
    requests: `${latency.requests}${failed ? ` (${failed} without an answer)` : ''}`,
    processes: stats ? String(stats.processes) : unmeasurable(runtime),
    memory: stats ? `${(stats.rssBytes / 1024 / 1024).toFixed(0)} MB` : unmeasurable(runtime),
  };
}

export function showCost(table: HTMLTableElement, measurement: CostMeasurement): void {
  const { repetitions, steps, runtime, labels } = measurement;
  for (const key of ['from', 'to'] as const) {
    for (const [row, text] of Object.entries(costCells(measurement[key], runtime))) {
      const cell = table.querySelector(`[data-row="${row}"] [data-side="${key}"]`);
      if (cell) cell.textContent = text;
    }
  }
  const caption = table.querySelector('[data-cost-caption]');
  if (caption) {
    caption.textContent = `Measured: the scenario (${steps} requests) ${repetitions} ${repetitions === 1 ? 'time' : 'times'} on ${labels.from} and on ${labels.to}, ${runtime === 'webcontainer' ? 'in the browser (WebContainer)' : 'on this machine (Local runtime)'}`;
  }
}
