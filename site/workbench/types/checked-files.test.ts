import { describe, expect, it } from 'vitest';
import { isTypeChecked } from './checked-files.ts';

describe('files the editor type-checks', () => {
  it('are the stage TypeScript files: code, tests, scripts and the exercise check', () => {
    for (const path of ['src/shop.ts', 'src/adapters/resilience.ts', 'test/contract.test.ts', 'scripts/ops-token.ts', 'exercise/check.ts', 'src/x.mts']) {
      expect(isTypeChecked(path), path).toBe(true);
    }
  });

  it('leave out solutions, which import stage files from where they do not lie', () => {
    expect(isTypeChecked('exercise/solution/src/adapters/resilience.ts')).toBe(false);
    expect(isTypeChecked('exercise/solution/src/shared/job-worker.ts')).toBe(false);
  });

  it('leave out what is not TypeScript code', () => {
    for (const path of ['package.json', 'README.md', 'stage.json', 'deploy/compose.yaml', 'src/schema.sql', 'types/extra.d.ts']) {
      expect(isTypeChecked(path), path).toBe(false);
    }
  });
});
