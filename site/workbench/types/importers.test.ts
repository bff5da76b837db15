import { describe, expect, it } from 'vitest';
import { readStageFiles } from '../stage-files.ts';
import { affectedBy, relativeImports } from './importers.ts';

describe('which files an edit affects', () => {
  it('reads every form of relative import, resolved against the importing file', () => {
    const text = [
      "import { a } from './a.ts';",
      "import type {\n  B,\n  C,\n} from '../shared/b.ts';",
      "export * from './c.ts';",
      "import './side-effect.ts';",
      "const lazy = await import('./lazy.ts');",
      "import { x } from 'cockatiel';",
      "import { y } from 'node:http';",
      "import { outside } from '../../../elsewhere.ts';",
    ].join('\n');
    expect(relativeImports('src/orders/service.ts', text).sort()).toEqual(
      ['src/orders/a.ts', 'src/shared/b.ts', 'src/orders/c.ts', 'src/orders/side-effect.ts', 'src/orders/lazy.ts'].sort(),
    );
    // The contract suite lies outside the stage: no stage file of that name.
    expect(relativeImports('test/contract.test.ts', "import { contractSuite } from '../../contract/src/suite.ts';")).toEqual([]);
  });

  it('are the edited file and everything that reaches it, and nothing else', () => {
    const files = {
      'src/types.ts': 'export type T = 1;',
      'src/store.ts': "import type { T } from './types.ts';",
      'src/app.ts': "import { store } from './store.ts';",
      'src/other.ts': 'export const other = 1;',
      'test/app.test.ts': "import { app } from '../src/app.ts';",
    };
    expect(affectedBy('src/types.ts', files)).toEqual(['src/types.ts', 'src/store.ts', 'src/app.ts', 'test/app.test.ts']);
    expect(affectedBy('test/app.test.ts', files)).toEqual(['test/app.test.ts']);
    expect(affectedBy('src/other.ts', files)).toEqual(['src/other.ts']);
  });

  it('survive import cycles', () => {
    const files = { 'a.ts': "import './b.ts';", 'b.ts': "import './a.ts';" };
    expect(affectedBy('a.ts', files)).toEqual(['a.ts', 'b.ts']);
  });

  it("follow a real stage's imports: stage 07's breaker reaches its users and their tests", () => {
    const files = readStageFiles('07-surviving-the-network');
    const affected = affectedBy('src/adapters/resilience.ts', files);
    const importersOfIt = Object.keys(files).filter((path) => /from '[./]+(?:adapters\/)?resilience\.ts'/.test(files[path] ?? ''));
    expect(importersOfIt.length).toBeGreaterThan(0);
    for (const path of importersOfIt) expect(affected).toContain(path);
    expect(affected.length).toBeLessThan(Object.keys(files).length);
  });
});
