// What changed between two stages, file by file: the compare pages list it and show each
// file's unified diff, and `npm run check` prints the totals for neighbouring stages (the
// diff between them is part of the teaching, so its size is watched).
import { FILE_HEADERS_ONLY, formatPatch, structuredPatch } from 'diff';
import { readStageFiles } from '../workbench/stage-files.ts';
import { previousStage } from './compare.ts';
import type { FileMap } from '../runtime/port.ts';

export type FileChange = 'added' | 'removed' | 'changed';

export interface FileDiff {
  path: string;
  change: FileChange;
  linesAdded: number;
  linesRemoved: number;
  /** The unified diff (3 lines of context), the text a reader sees without the editor. */
  patch: string;
}

export interface StageDiffTotals {
  filesAdded: number;
  filesRemoved: number;
  filesChanged: number;
  linesAdded: number;
  linesRemoved: number;
}

export interface StageDiff extends StageDiffTotals {
  from: string;
  to: string;
  files: FileDiff[];
}

/**
 * Left out of every comparison: exercise solutions would show the answer as part of the next
 * stage's change, and the lockfile is the workspace's, not the lesson's.
 */
export const notCompared = ['exercise/solution/', 'package-lock.json'] as const;
export const isCompared = (path: string) => !notCompared.some((prefix) => path === prefix || (prefix.endsWith('/') && path.startsWith(prefix)));

/**
 * Where a file comes in a list of changes: the lesson is in the code, so the code (src/,
 * migrations/) first, then the project's other files (package.json, scripts, deploy files),
 * then tests, then the exercise, then dotfiles (.gitignore and the like).
 */
export function readingRank(path: string): number {
  if (path.split('/').some((part) => part.startsWith('.'))) return 4;
  const top = path.split('/')[0];
  if (top === 'src' || top === 'migrations') return 0;
  if (top === 'test') return 2;
  if (top === 'exercise') return 3;
  return 1;
}

/** Paths in reading order (readingRank), by path within a rank. */
export function inReadingOrder(paths: Iterable<string>): string[] {
  return [...paths].sort((a, b) => readingRank(a) - readingRank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** Every file that differs between two file maps, in reading order (see readingRank). */
export function diffFiles(before: FileMap, after: FileMap): FileDiff[] {
  const paths = inReadingOrder(new Set([...Object.keys(before), ...Object.keys(after)].filter(isCompared)));
  const files: FileDiff[] = [];
  for (const path of paths) {
    const a = before[path];
    const b = after[path];
    if (a === b) continue;
    const change: FileChange = a === undefined ? 'added' : b === undefined ? 'removed' : 'changed';
    const patch = structuredPatch(a === undefined ? '/dev/null' : `a/${path}`, b === undefined ? '/dev/null' : `b/${path}`, a ?? '', b ?? '');
    let linesAdded = 0;
    let linesRemoved = 0;
    for (const hunk of patch.hunks) {
      for (const line of hunk.lines) {
        if (line.startsWith('+')) linesAdded++;
        else if (line.startsWith('-')) linesRemoved++;
      }
    }
    files.push({ path, change, linesAdded, linesRemoved, patch: formatPatch(patch, FILE_HEADERS_ONLY) });
  }
  return files;
}

export function totals(files: FileDiff[]): StageDiffTotals {
  const count = (change: FileChange) => files.filter((f) => f.change === change).length;
  return {
    filesAdded: count('added'),
    filesRemoved: count('removed'),
    filesChanged: count('changed'),
    linesAdded: files.reduce((sum, f) => sum + f.linesAdded, 0),
    linesRemoved: files.reduce((sum, f) => sum + f.linesRemoved, 0),
  };
}

export function diffStages(from: string, to: string): StageDiff {
  const files = diffFiles(readStageFiles(from), readStageFiles(to));
  return { from, to, files, ...totals(files) };
}

/**
 * The files this stage added or changed since the stage before it (none for the first), as
 * the compare pages count them: the Files tree marks them so the lesson's change stands out.
 */
export function changedSincePrevious(stage: string): Set<string> {
  const before = previousStage(stage);
  if (!before) return new Set();
  return new Set(diffFiles(readStageFiles(before), readStageFiles(stage)).filter((file) => file.change !== 'removed').map((file) => file.path));
}
