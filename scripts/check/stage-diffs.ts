// How big each step of the path is: the diff between neighbouring stages is part of the
// teaching, so its size is reported on every run (site/lib/stage-diff.ts computes it, the
// same listing the compare pages show).
import { diffStages } from '../../site/lib/stage-diff.ts';
import { listStages } from '../../site/lib/stages.ts';
import { result, type CheckResult } from './report.ts';

export function checkStageDiffs(): CheckResult {
  const stages = listStages();
  const notes = stages.slice(1).map((to, i) => {
    const d = diffStages(stages[i]!, to);
    return `${d.from} → ${d.to}: +${d.filesAdded} −${d.filesRemoved} ~${d.filesChanged} files, +${d.linesAdded} −${d.linesRemoved} lines`;
  });
  return result('stage diff sizes', [], notes.length ? notes : ['only one stage so far']);
}
