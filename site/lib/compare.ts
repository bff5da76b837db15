// Build-time facts for the compare pages: which pairs of stages get a page, their URLs, and
// how a stage is named on them ("Stage 04", "Modular monolith").
import { path } from './curriculum.ts';
import { listStages } from './stages.ts';

export { compareUrl } from '../compare/url.ts';

/** "04" for "04-modular-monolith". */
export const stageNumber = (stage: string) => stage.slice(0, 2);
export const stageLabel = (stage: string) => `Stage ${stageNumber(stage)}`;
export const stageTitle = (stage: string) => path.find((p) => p.slug === stage)?.title ?? stage;

/**
 * Every pair with `from` before `to`: n(n-1)/2 pages, 78 for thirteen stages. Each builds in
 * tens of milliseconds (a listing; the editor and the runs load in the browser). Only a step
 * between neighbours carries every file's text diff: a wider pair's text would repeat what the
 * steps between say, and 66 pages of it would outgrow the site's size budget.
 */
export function comparePairs(stages: readonly string[] = listStages()): { from: string; to: string }[] {
  return stages.flatMap((from, i) => stages.slice(i + 1).map((to) => ({ from, to })));
}

/** The stage before this one on the path, if any. */
export function previousStage(stage: string, stages: readonly string[] = listStages()): string | undefined {
  const index = stages.indexOf(stage);
  return index > 0 ? stages[index - 1] : undefined;
}

/** The steps between neighbours that lead from `from` to `to`. */
export function stepsBetween(from: string, to: string, stages: readonly string[] = listStages()): { from: string; to: string }[] {
  const path = stages.slice(stages.indexOf(from), stages.indexOf(to) + 1);
  return path.slice(1).map((stage, i) => ({ from: path[i]!, to: stage }));
}
