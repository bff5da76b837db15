// What changed between two stages, file by file: the compare pages show it and the quality
// gate reports its size. One implementation, so the page and the gate never disagree.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTwoFilesPatch, structuredPatch } from 'diff';
import { listStageFiles, stageDir } from './stages.ts';

export type FileChange = 'added' | 'removed' | 'changed';

export interface FileDiff {
  path: string;
  change: FileChange;
  linesAdded: number;
  linesRemoved: number;
  /** The unified diff (3 lines of context), for readers without JavaScript and for print. */
  patch: string;
}

export interface StageDiff {
  from: string;
  to: string;
  files: FileDiff[];
  filesAdded: number;
  filesRemoved: number;
  filesChanged: number;
  linesAdded: number;
  linesRemoved: number;
}

// The solution is the next exercise's answer, not part of the step; the lockfile is noise.
const ignored = (path: string) => path.startsWith('exercise/solution/') || path === 'package-lock.json';

const readIn = (stage: string, path: string) => {
  const file = join(stageDir(stage), path);
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
};

export function diffFile(path: string, before: string, after: string, change: FileChange): FileDiff {
  let linesAdded = 0;
  let linesRemoved = 0;
  for (const hunk of structuredPatch(path, path, before, after, '', '', { context: 0 }).hunks) {
    for (const line of hunk.lines) {
      if (line.startsWith('+')) linesAdded++;
      else if (line.startsWith('-')) linesRemoved++;
    }
  }
  const patch = createTwoFilesPatch(change === 'added' ? '/dev/null' : `a/${path}`, change === 'removed' ? '/dev/null' : `b/${path}`, before, after, '', '', { context: 3 })
    .split('\n')
    .filter((line) => !line.startsWith('====='))
    .join('\n')
    .trimEnd();
  return { path, change, linesAdded, linesRemoved, patch };
}

/** Every file added, removed or changed from one stage to another, sorted by path. */
export function diffStages(from: string, to: string): StageDiff {
  const before = new Set(listStageFiles(from).map((f) => f.path).filter((p) => !ignored(p)));
  const after = new Set(listStageFiles(to).map((f) => f.path).filter((p) => !ignored(p)));
  const files: FileDiff[] = [];
  for (const path of [...new Set([...before, ...after])].sort()) {
    const a = before.has(path) ? readIn(from, path) : '';
    const b = after.has(path) ? readIn(to, path) : '';
    if (before.has(path) && after.has(path) && a === b) continue;
    files.push(diffFile(path, a, b, !before.has(path) ? 'added' : !after.has(path) ? 'removed' : 'changed'));
  }
  const count = (change: FileChange) => files.filter((f) => f.change === change).length;
  return {
    from,
    to,
    files,
    filesAdded: count('added'),
    filesRemoved: count('removed'),
    filesChanged: count('changed'),
    linesAdded: files.reduce((sum, f) => sum + f.linesAdded, 0),
    linesRemoved: files.reduce((sum, f) => sum + f.linesRemoved, 0),
  };
}
