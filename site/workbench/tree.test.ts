import { describe, expect, it } from 'vitest';
import { buildTree, type TreeFolder, type TreeNode } from './tree.ts';

const top = (tree: TreeNode[]) => tree.map((n) => `${n.kind}:${n.path}`);
const folder = (tree: TreeNode[], path: string) => tree.find((n): n is TreeFolder => n.kind === 'folder' && n.path === path);

describe('buildTree', () => {
  it('nests files in folders, each level sorted by name', () => {
    const tree = buildTree(['src/shop.ts', 'package.json', 'test/b.test.ts', 'test/a.test.ts', 'exercise/solution/src/shop.ts']);
    expect(folder(tree, 'test')?.children.map((c) => c.name)).toEqual(['a.test.ts', 'b.test.ts']);
    expect(folder(tree, 'exercise')?.children[0]?.path).toBe('exercise/solution');
  });

  it('lists src/ first and test/ and exercise/ after the other folders, then the files', () => {
    const tree = buildTree(['README.md', 'exercise/check.ts', 'deploy/nginx.conf', 'test/a.test.ts', 'src/shop.ts', 'scripts/bench.ts', 'package.json']);
    expect(top(tree)).toEqual(['folder:src', 'folder:deploy', 'folder:scripts', 'folder:test', 'folder:exercise', 'file:package.json', 'file:README.md']);
  });

  it('collapses test/ and exercise/ by default, and nothing else', () => {
    const tree = buildTree(['src/adapters/db.ts', 'test/a.test.ts', 'exercise/check.ts', 'exercise/solution/src/db.ts']);
    expect(folder(tree, 'src')?.collapsed).toBe(false);
    expect(folder(tree, 'test')?.collapsed).toBe(true);
    expect(folder(tree, 'exercise')?.collapsed).toBe(true);
  });

  it('marks the solution folder, which stays hidden until the reader asks', () => {
    const tree = buildTree(['exercise/check.ts', 'exercise/solution/src/db.ts']);
    const exercise = folder(tree, 'exercise');
    // check.ts (what the exercise asks) comes before the answer.
    expect(exercise?.children.map((c) => c.path)).toEqual(['exercise/check.ts', 'exercise/solution']);
    expect(exercise?.children.find((c) => c.path === 'exercise/solution')).toMatchObject({ kind: 'folder', solution: true });
    expect(exercise?.solution).toBe(false);
  });

  it('marks the files the stage changed and counts them on every folder above', () => {
    const tree = buildTree(['src/a.ts', 'src/adapters/b.ts', 'src/adapters/c.ts', 'test/b.test.ts', 'package.json'], new Set(['src/adapters/b.ts', 'test/b.test.ts']));
    const src = folder(tree, 'src');
    expect(src?.changed).toBe(1);
    const adapters = src?.children.find((c) => c.path === 'src/adapters');
    expect(adapters).toMatchObject({ kind: 'folder', changed: 1 });
    expect(adapters?.kind === 'folder' && adapters.children.map((c) => c.kind === 'file' && c.changed)).toEqual([true, false]);
    expect(folder(tree, 'test')?.changed).toBe(1);
    expect(tree.find((n) => n.path === 'package.json')).toMatchObject({ changed: false });
  });
});
