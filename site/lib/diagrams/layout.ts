import type { Drawing } from './geometry.ts';
import type { Chart } from './model.ts';
import { layoutSequence } from './sequence-layout.ts';
import { layoutStateChart } from './state-layout.ts';

/** Where everything of `chart` goes. */
export const layoutChart = (chart: Chart): Drawing => (chart.kind === 'states' ? layoutStateChart(chart) : layoutSequence(chart));
