// How many Node processes "Run both" may start in the browser. In WebContainer every process
// of both stages lives in the reader's one tab, and a tab that runs out of memory crashes with
// the reader's edits in it. On the Local runtime the processes are the reader's own machine's,
// so there is no limit.
import type { RuntimeKind } from '../runtime/port.ts';

/**
 * Enough for any pair up to stage 9 beside stage 10 (8 + 13), not for two of stages 10-13
 * (13-14 each). Measured on this project's Local runtime (npm start, after one GET /products,
 * the RSS of every Node process of the stage summed): stage 10 1.66 GiB in 13 processes,
 * stage 11 1.57 GiB in 14, stage 12 1.90 GiB in 14, so 115-140 MiB a process, and 21 processes
 * ~2.7 GiB: about what one desktop tab holds before the browser kills it.
 */
export const runBothBudget = 21;

export interface PlannedSide {
  /** "Stage 10", as the page's headings say. */
  label: string;
  /** The Node processes its stage.json says `npm start` runs. */
  processes: number;
}

/** Why this pair may not run together here, in words for the status line; undefined when it may. */
export function runBothRefusal(sides: PlannedSide[], runtime: RuntimeKind, budget = runBothBudget): string | undefined {
  if (runtime !== 'webcontainer') return undefined;
  const total = sides.reduce((sum, side) => sum + side.processes, 0);
  if (total <= budget) return undefined;
  const each = sides.map((side) => `${side.label} ${side.processes}`).join(', ');
  return `Not started: together these stages run ${total} Node processes (${each}), and in the browser Run both stops at ${budget}, what one tab's memory holds.`;
}

/** What the reader can do instead. */
export const runBothRemedy = "Run each stage on its own from its chapter's workbench, compare a nearer pair, or run the project on your computer (npm start), where Run both has no limit.";
