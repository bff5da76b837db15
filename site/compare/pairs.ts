// Which stage pairs have a compare page: each stage against the one before it. The URL names
// both stages, so an instructor can link any step of the path.
import { listStages } from '../lib/stages.ts';

export interface StagePair {
  from: string;
  to: string;
}

export function comparePairs(): StagePair[] {
  const stages = listStages();
  return stages.slice(1).map((to, i) => ({ from: stages[i]!, to }));
}

export const compareUrl = ({ from, to }: StagePair) => `/compare/${from}/${to}/`;

/** The compare page for a stage against the previous one, if there is a previous one. */
export function previousPair(stage: string): StagePair | undefined {
  return comparePairs().find((pair) => pair.to === stage);
}

export const stageNumber = (stage: string) => Number(stage.slice(0, 2));
