// How big each step of the path is: the diff between neighbouring stages is part of the
// teaching, so its size is reported on every run.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { structuredPatch } from 'diff';
import { listStageFiles, listStages, stageDir } from '../../site/lib/stages.ts';
import { result, type CheckResult } from './report.ts';

export interface StageDiff {
  from: string;
  to: string;
  filesAdded: number;
  filesRemoved: number;
  filesChanged: number;
  linesAdded: number;
  linesRemoved: number;
}

const ignored = (path: string) => path.startsWith('exercise/solution/') || path === 'package-lock.json';

export function diffStages(from: string, to: string): StageDiff {
  const before = new Set(listStageFiles(from).map((f) => f.path).filter((p) => !ignored(p)));
  const after = new Set(listStageFiles(to).map((f) => f.path).filter((p) => !ignored(p)));
  const diff: StageDiff = { from, to, filesAdded: 0, filesRemoved: 0, filesChanged: 0, linesAdded: 0, linesRemoved: 0 };
  for (const path of new Set([...before, ...after])) {
    const a = before.has(path) ? readFileSync(join(stageDir(from), path), 'utf8') : '';
    const b = after.has(path) && existsSync(join(stageDir(to), path)) ? readFileSync(join(stageDir(to), path), 'utf8') : '';
    if (a === b) continue;
    if (!before.has(path)) diff.filesAdded++;
    else if (!after.has(path)) diff.filesRemoved++;
    else diff.filesChanged++;
    for (const hunk of structuredPatch(path, path, a, b, '', '', { context: 0 }).hunks) {
      for (const line of hunk.lines) {
        if (line.startsWith('+')) diff.linesAdded++;
        else if (line.startsWith('-')) diff.linesRemoved++;
      }
    }
  }
  return diff;
}

export function checkStageDiffs(): CheckResult {
  const stages = listStages();
  const notes = stages.slice(1).map((to, i) => {
    const d = diffStages(stages[i]!, to);
    return `${d.from} → ${d.to}: +${d.filesAdded} −${d.filesRemoved} ~${d.filesChanged} files, +${d.linesAdded} −${d.linesRemoved} lines`;
  });
  return result('stage diff sizes', [], notes.length ? notes : ['only one stage so far']);
}
