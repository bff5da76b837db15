import { describe, expect, it } from 'vitest';
import { groupByPackage, packageDirOf, packageSlug, trimPackageJson } from './packages.ts';

describe('declaration files grouped by package', () => {
  it('find the package folder of a file, scoped and nested packages too', () => {
    expect(packageDirOf('node_modules/cockatiel/dist/index.d.ts')).toBe('node_modules/cockatiel');
    expect(packageDirOf('node_modules/@types/pg/index.d.ts')).toBe('node_modules/@types/pg');
    expect(packageDirOf('node_modules/mqtt/node_modules/ws/package.json')).toBe('node_modules/mqtt/node_modules/ws');
    expect(packageDirOf('examples/contract/src/suite.ts')).toBeUndefined();
  });

  it('name each package by a slug that is a plain file name, distinct for nested copies', () => {
    expect(packageSlug('node_modules/cockatiel')).toBe('cockatiel');
    expect(packageSlug('node_modules/@types/pg')).toBe('types__pg');
    expect(packageSlug('node_modules/@electric-sql/pglite-socket')).toBe('electric-sql__pglite-socket');
    expect(packageSlug('node_modules/mqtt/node_modules/ws')).toBe('mqtt--ws');
    expect(packageSlug('node_modules/mqtt/node_modules/ws')).not.toBe(packageSlug('node_modules/ws'));
  });

  it('keep of package.json what module resolution reads', () => {
    const text = JSON.stringify({ name: 'pg-types', version: '2.2.0', description: 'long', scripts: { test: 'x' }, dependencies: { a: '1' }, types: 'index.d.ts', exports: { '.': { types: './index.d.ts' } }, typesVersions: { '<5': {} } });
    expect(JSON.parse(trimPackageJson(text))).toEqual({ name: 'pg-types', version: '2.2.0', types: 'index.d.ts', exports: { '.': { types: './index.d.ts' } }, typesVersions: { '<5': {} } });
  });

  it('group files by package in a stable order and drop files outside node_modules', () => {
    const groups = groupByPackage(['node_modules/b/z.d.ts', 'node_modules/a/index.d.ts', 'node_modules/b/package.json', 'examples/x.ts', 'node_modules/b/a.d.ts']);
    expect([...groups]).toEqual([
      ['node_modules/a', ['node_modules/a/index.d.ts']],
      ['node_modules/b', ['node_modules/b/a.d.ts', 'node_modules/b/package.json', 'node_modules/b/z.d.ts']],
    ]);
  });
});
