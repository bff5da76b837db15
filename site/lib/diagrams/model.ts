// What a diagram says, before anything is placed: the data the catalogue (catalogue.ts) builds
// from the stages' code, and the two layouts (state-layout.ts, sequence-layout.ts) draw.

/** A state machine: boxes for the states, arrows for the moves between them. */
export interface StateChart {
  kind: 'states';
  id: string;
  title: string;
  /** One or two sentences a screen reader hears instead of the picture. */
  summary: string;
  states: { id: string; final?: boolean }[];
  /** The state a new one starts in: drawn with an arrow from a dot. */
  initial: string;
  transitions: { from: string; to: string; label: string }[];
}

/** An arrow from one lifeline to another (or a note on one lifeline when from equals to). */
export interface Message {
  from: string;
  to: string;
  label: string;
  /** An answer: drawn dashed. */
  reply?: boolean;
  /** Sent but never arrives: the arrow stops halfway, at a cross. */
  lost?: boolean;
}

/** A box across all the lifelines: time passing, or what happens meanwhile. */
export interface Divider {
  divider: string;
}

export type SequenceStep = Message | Divider;

/** Who talks to whom, in order, top to bottom. */
export interface SequenceChart {
  kind: 'sequence';
  id: string;
  title: string;
  summary: string;
  actors: string[];
  steps: SequenceStep[];
}

export type Chart = StateChart | SequenceChart;

export const isDivider = (step: SequenceStep): step is Divider => 'divider' in step;

/** The picture as text, one line per arrow, for the list under the drawing. */
export function chartAsText(chart: Chart): string[] {
  if (chart.kind === 'states') {
    return [`starts ${chart.initial}`, ...chart.transitions.map((t) => `${t.from} → ${t.to}: ${t.label}`)];
  }
  return chart.steps.map((step) => {
    if (isDivider(step)) return step.divider;
    if (step.from === step.to) return `${step.from}: ${step.label}`;
    return `${step.from} → ${step.to}: ${step.label}${step.lost ? ' (lost on the way)' : ''}`;
  });
}
