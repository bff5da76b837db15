import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { structuredPatch, createTwoFilesPatch } from 'diff';
import { stageDir } from './stages.ts';

// An exercise's solution is kept as a file tree (exercise/solution/ mirrors the stage's own
// paths). What the chapter shows, and the numbers in its "what it cost" box, are computed
// from the real files, so they cannot go stale.
export interface SolutionFile {
  path: string;
  added: number;
  removed: number;
  /** Separate places in the file that the change touches. */
  places: number;
  /** The solution adds this file; the starting code has none. */
  isNew: boolean;
  patch: string;
}

function walk(dir: string, root = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full, root) : [relative(root, full).split(sep).join('/')];
  });
}

export function readSolution(stage: string): SolutionFile[] {
  const solutionRoot = join(stageDir(stage), 'exercise', 'solution');
  if (!existsSync(solutionRoot)) throw new Error(`examples/${stage}/exercise/solution/ does not exist`);
  return walk(solutionRoot).sort().map((path) => {
    const startPath = join(stageDir(stage), path);
    const isNew = !existsSync(startPath);
    const before = isNew ? '' : readFileSync(startPath, 'utf8');
    const after = readFileSync(join(solutionRoot, path), 'utf8');
    const hunks = structuredPatch(path, path, before, after, '', '', { context: 0 }).hunks;
    let added = 0;
    let removed = 0;
    for (const hunk of hunks) {
      for (const line of hunk.lines) {
        if (line.startsWith('+')) added++;
        else if (line.startsWith('-')) removed++;
      }
    }
    const patch = createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, '', '', { context: 2 })
      .split('\n')
      .slice(2) // The "=====" banner and the blank index line carry nothing for a reader.
      .join('\n')
      .trimEnd();
    return { path, added, removed, places: hunks.length, isNew, patch };
  });
}
