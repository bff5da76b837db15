import { describe, expect, it } from 'vitest';
import { buildTree } from './tree.ts';

describe('buildTree', () => {
  it('nests files in folders, folders first, each level sorted', () => {
    const tree = buildTree(['src/shop.ts', 'package.json', 'test/b.test.ts', 'test/a.test.ts', 'exercise/solution/src/shop.ts']);
    expect(tree.map((n) => `${n.kind}:${n.path}`)).toEqual(['folder:exercise', 'folder:src', 'folder:test', 'file:package.json']);
    const test = tree[2];
    expect(test?.kind === 'folder' && test.children.map((c) => c.name)).toEqual(['a.test.ts', 'b.test.ts']);
    const exercise = tree[0];
    const solution = exercise?.kind === 'folder' ? exercise.children[0] : undefined;
    expect(solution?.path).toBe('exercise/solution');
  });
});
