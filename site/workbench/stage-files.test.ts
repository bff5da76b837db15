import { describe, expect, it } from 'vitest';
import { changedSincePrevious, entryFile, listFileSets, readStageFiles } from './stage-files.ts';

describe('stage files for the browser', () => {
  it('are the real files, region markers included', () => {
    const files = readStageFiles('01-single-file');
    expect(files['src/shop.ts']).toMatch(/\/\/ #region place-order/);
    expect(files['package.json']).toBeDefined();
    expect(Object.keys(files).some((path) => path.includes('node_modules'))).toBe(false);
  });

  it('include the contract suite', () => {
    expect(listFileSets()).toContain('contract');
    expect(listFileSets()).toContain('01-single-file');
  });

  it('start in the file npm start runs', () => {
    expect(entryFile({ 'package.json': '{"scripts":{"start":"node src/main.ts"}}', 'src/a.ts': '', 'src/main.ts': '' })).toBe('src/main.ts');
    expect(entryFile({ 'package.json': '{broken', 'README.md': '', 'src/a.ts': '' })).toBe('src/a.ts');
    expect(entryFile({ 'README.md': '' })).toBe('README.md');
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
