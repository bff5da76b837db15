import { describe, expect, it } from 'vitest';
import { changedSincePrevious, diffFiles, diffStages, inReadingOrder, isCompared, readingRank, totals } from './stage-diff.ts';
import { readStageFiles } from '../workbench/stage-files.ts';
import { listStages } from './stages.ts';

describe('reading order', () => {
  it('puts the code that changed first, then other project files, tests, the exercise and dotfiles', () => {
    const paths = ['.gitignore', 'exercise/check.ts', 'test/shop.test.ts', 'package.json', 'src/z.ts', 'migrations/shop/001.sql', 'src/adapters/a.ts', 'scripts/x.ts', 'exercise/.hint'];
    expect(inReadingOrder(paths)).toEqual([
      'migrations/shop/001.sql',
      'src/adapters/a.ts',
      'src/z.ts',
      'package.json',
      'scripts/x.ts',
      'test/shop.test.ts',
      'exercise/check.ts',
      '.gitignore',
      'exercise/.hint',
    ]);
    expect(readingRank('src/.env.example')).toBe(4);
  });

  it('orders the files of a real comparison: stage 06 to 07 lists src/ before test/ and .gitignore', () => {
    const paths = diffStages('06-extract-payments', '07-surviving-the-network').files.map((f) => f.path);
    const ranks = paths.map(readingRank);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(paths[0]).toMatch(/^(src|migrations)\//);
  });
});

describe('diffFiles', () => {
  const before = {
    'src/shop.ts': 'one\ntwo\nthree\n',
    'src/gone.ts': 'bye\n',
    'README.md': 'same\n',
    'package-lock.json': '{}\n',
    'exercise/solution/src/shop.ts': 'answer\n',
  };
  const after = {
    'src/shop.ts': 'one\n2\nthree\nfour\n',
    'src/new.ts': 'hello\nworld\n',
    'README.md': 'same\n',
    'package-lock.json': '{"changed":true}\n',
    'exercise/solution/src/shop.ts': 'another answer\n',
  };
  const files = diffFiles(before, after);

  it('lists added, removed and changed files by path, with their line counts', () => {
    expect(files.map(({ path, change, linesAdded, linesRemoved }) => ({ path, change, linesAdded, linesRemoved }))).toEqual([
      { path: 'src/gone.ts', change: 'removed', linesAdded: 0, linesRemoved: 1 },
      { path: 'src/new.ts', change: 'added', linesAdded: 2, linesRemoved: 0 },
      { path: 'src/shop.ts', change: 'changed', linesAdded: 2, linesRemoved: 1 },
    ]);
  });

  it('leaves out unchanged files, the lockfile and exercise solutions', () => {
    expect(files.map((f) => f.path)).not.toContain('README.md');
    expect(isCompared('package-lock.json')).toBe(false);
    expect(isCompared('exercise/solution/src/shop.ts')).toBe(false);
    expect(isCompared('exercise/check.ts')).toBe(true);
  });

  it('gives each file a unified diff with file headers and hunks', () => {
    const shop = files.find((f) => f.path === 'src/shop.ts')!;
    expect(shop.patch).toContain('--- a/src/shop.ts\n+++ b/src/shop.ts\n@@ -1,3 +1,4 @@\n one\n-two\n+2\n three\n+four');
    expect(files.find((f) => f.path === 'src/new.ts')!.patch).toMatch(/^--- \/dev\/null\n\+\+\+ b\/src\/new\.ts\n/);
  });

  it('adds the counts up', () => {
    expect(totals(files)).toEqual({ filesAdded: 1, filesRemoved: 1, filesChanged: 1, linesAdded: 4, linesRemoved: 2 });
  });
});

describe('diffStages', () => {
  it('finds changes between the first two real stages, and none between a stage and itself', () => {
    const [first, second] = listStages();
    const diff = diffStages(first!, second!);
    expect(diff.files.length).toBe(diff.filesAdded + diff.filesRemoved + diff.filesChanged);
    expect(diff.linesAdded).toBeGreaterThan(0);
    expect(diffStages(first!, first!).files).toEqual([]);
  });
});

describe('files a stage changed', () => {
  it('are the files added or changed since the previous stage, the solution left out', () => {
    const changed = changedSincePrevious('07-surviving-the-network');
    expect(changed.has('src/adapters/resilience.ts')).toBe(true);
    expect([...changed].some((path) => path.startsWith('exercise/solution/'))).toBe(false);
    // package.json stays when only code moved; every path is a file of the stage.
    const files = readStageFiles('07-surviving-the-network');
    for (const path of changed) expect(files[path]).toBeDefined();
    expect(changed.size).toBeLessThan(Object.keys(files).length);
  });

  it('are none for the first stage, which has nothing before it', () => {
    expect(changedSincePrevious('01-single-file').size).toBe(0);
  });
});
