import { describe, expect, it } from 'vitest';
import { entryFile, listFileSets, readStageFiles } from './stage-files.ts';

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
