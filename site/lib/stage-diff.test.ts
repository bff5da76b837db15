import { describe, expect, it } from 'vitest';
import { diffFile, diffStages } from './stage-diff.ts';
import { listStageFiles, listStages } from './stages.ts';

describe('diffFile', () => {
  it('counts added and removed lines and keeps a unified diff with context', () => {
    const d = diffFile('src/a.ts', 'one\ntwo\nthree\n', 'one\nTWO\nthree\nfour\n', 'changed');
    expect([d.linesAdded, d.linesRemoved]).toEqual([2, 1]);
    expect(d.patch).toContain('--- a/src/a.ts');
    expect(d.patch).toContain('+++ b/src/a.ts');
    expect(d.patch.split('\n')).toEqual(expect.arrayContaining(['-two', '+TWO', '+four', ' one']));
  });

  it('names /dev/null for a file that is new or gone', () => {
    expect(diffFile('x.ts', '', 'a\nb\n', 'added').patch).toContain('--- /dev/null');
    expect(diffFile('x.ts', 'a\n', '', 'removed').patch).toContain('+++ /dev/null');
  });
});

describe('diffStages', () => {
  const [first, second] = listStages();

  it('lists each added, removed and changed file once, with totals that add up', () => {
    const d = diffStages(first!, second!);
    expect(d.files.length).toBe(d.filesAdded + d.filesRemoved + d.filesChanged);
    expect(d.files.length).toBeGreaterThan(0);
    expect(new Set(d.files.map((f) => f.path)).size).toBe(d.files.length);
    expect(d.linesAdded).toBe(d.files.reduce((sum, f) => sum + f.linesAdded, 0));
    const secondFiles = new Set(listStageFiles(second!).map((f) => f.path));
    for (const file of d.files.filter((f) => f.change === 'added')) expect(secondFiles.has(file.path)).toBe(true);
  });

  it('finds nothing between a stage and itself, and leaves out solutions and the lockfile', () => {
    expect(diffStages(second!, second!).files).toEqual([]);
    const paths = diffStages(first!, second!).files.map((f) => f.path);
    expect(paths.some((p) => p.startsWith('exercise/solution/') || p === 'package-lock.json')).toBe(false);
  });
});
