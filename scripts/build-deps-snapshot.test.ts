import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { DirectoryNode, FileNode, FileSystemTree } from '@webcontainer/api';
import { snapshot } from '@webcontainer/snapshot';
import { afterEach, describe, expect, it } from 'vitest';
import { buildDepsSnapshot, countFiles, describeTree, dropUnused, productionLockfile, productionPackages, prune, readSnapshot, type DepsManifest } from './build-deps-snapshot.ts';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'deps-test-'));
  temps.push(dir);
  return dir;
}
describe('dropUnused', () => {
  it('drops PGlite\'s extensions, OpenTelemetry\'s unused builds and the Redis client\'s code; keeps what Node loads', () => {
    const root = temp();
    write(root, {
      'node_modules/@electric-sql/pglite/dist/pglite.wasm': 'wasm',
      'node_modules/@electric-sql/pglite/dist/index.js': 'code',
      'node_modules/@electric-sql/pglite/dist/pgcrypto.tar.gz': 'extension',
      'node_modules/@electric-sql/pglite/dist/contrib/amcheck.js': 'loader',
      'node_modules/@opentelemetry/core/build/src/index.js': 'cjs',
      'node_modules/@opentelemetry/core/build/esm/index.js': 'esm',
      'node_modules/@opentelemetry/api/build/esnext/index.js': 'esnext',
      'node_modules/@opentelemetry/semantic-conventions/dist/index.cjs': 'stable',
      'node_modules/@opentelemetry/semantic-conventions/dist/stable_attributes.cjs': 'stable',
      'node_modules/@opentelemetry/semantic-conventions/dist/index.mjs': 'esm',
      'node_modules/@opentelemetry/semantic-conventions/dist/index-incubating.cjs': 'incubating',
      'node_modules/@opentelemetry/semantic-conventions/dist/experimental_attributes.cjs': 'experimental',
      'node_modules/other/build/esm/index.js': 'not ours to judge',
      'node_modules/amaro/dist/index.js': 'the stripper',
      'node_modules/amaro/lib/wasm.js': 'a second copy of its WebAssembly',
      'node_modules/@redis/client/package.json': '{}',
      'node_modules/@redis/client/dist/index.js': 'only with REDIS_URL, never in the browser',
    });
    const nodeModules = join(root, 'node_modules');
    expect(dropUnused(nodeModules)).toBeGreaterThan(0);
    for (const path of ['@electric-sql/pglite/dist/pglite.wasm', '@electric-sql/pglite/dist/index.js', '@opentelemetry/core/build/src/index.js', '@opentelemetry/semantic-conventions/dist/index.cjs', '@opentelemetry/semantic-conventions/dist/stable_attributes.cjs', 'other/build/esm/index.js', 'amaro/dist/index.js', '@redis/client/package.json']) {
      expect(existsSync(join(nodeModules, path)), path).toBe(true);
    }
    for (const path of ['@electric-sql/pglite/dist/pgcrypto.tar.gz', '@electric-sql/pglite/dist/contrib', '@opentelemetry/core/build/esm', '@opentelemetry/api/build/esnext', '@opentelemetry/semantic-conventions/dist/index.mjs', '@opentelemetry/semantic-conventions/dist/index-incubating.cjs', '@opentelemetry/semantic-conventions/dist/experimental_attributes.cjs', 'amaro/lib', '@redis/client/dist']) {
      expect(existsSync(join(nodeModules, path)), path).toBe(false);
    }
  });
});

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}
/** A file's text in a FileSystemTree, by path. */
function textAt(tree: FileSystemTree, path: string): string | undefined {
  const parts = path.split('/');
  let node: FileSystemTree[string] | undefined = { directory: tree };
  for (const part of parts) node = node && 'directory' in node ? node.directory[part] : undefined;
  return node && 'file' in node && 'contents' in (node as FileNode).file ? new TextDecoder().decode((node as FileNode).file.contents as Uint8Array) : undefined;
}
const withNpm = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` };

describe('productionPackages', () => {
  const lock = {
    packages: {
      '': { devDependencies: { astro: '1' } } as object,
      'examples/01': { version: '1.0.0' },
      'node_modules/@shop/01': { resolved: 'examples/01', link: true },
      'node_modules/astro': { version: '7.0.0', dev: true },
      'node_modules/mqtt': { version: '5.1.0' },
      'node_modules/mqtt/node_modules/ws': { version: '8.0.0' },
      'node_modules/@electric-sql/pglite': { version: '0.5.0' },
    },
  };

  it('lists what npm ci --omit=dev installs, sorted, without links and dev tools', () => {
    expect(productionPackages(lock)).toEqual(['@electric-sql/pglite@0.5.0', 'mqtt@5.1.0', 'ws@8.0.0']);
  });

  it('refuses a package nested under one workspace (two stages, two versions)', () => {
    expect(() => productionPackages({ packages: { 'examples/01/node_modules/mqtt': { version: '4.0.0' } } })).toThrow(/align the versions/);
  });

  it('reduces the lockfile to the production entries', () => {
    const reduced = productionLockfile(lock);
    expect(Object.keys(reduced.packages)).not.toContain('node_modules/astro');
    expect(reduced.packages['']).toEqual({});
    expect(reduced.packages['node_modules/mqtt']).toEqual({ version: '5.1.0' });
  });
});

describe('prune', () => {
  it('drops types, maps, docs and tests at package level, links and .bin; keeps code and licences', () => {
    const root = temp();
    write(root, {
      'node_modules/a/index.js': 'code',
      'node_modules/a/index.d.ts': 'types',
      'node_modules/a/index.js.map': 'map',
      'node_modules/a/README.md': 'readme',
      'node_modules/a/LICENSE.md': 'licence',
      'node_modules/a/test/a.test.js': 'test',
      'node_modules/a/lib/test/helper.js': 'deep code named test',
      'node_modules/@s/b/main.js': 'code',
      'node_modules/@s/b/docs/guide.html': 'docs',
      'node_modules/@s/b/node_modules/c/tests/x.js': 'nested test',
      'node_modules/@s/b/node_modules/c/c.js': 'code',
      'node_modules/.package-lock.json': '{}',
      'node_modules/.bin/a': 'bin',
      'examples/01/package.json': '{}',
    });
    symlinkSync(join(root, 'examples/01'), join(root, 'node_modules/ws-link'));
    prune(join(root, 'node_modules'));
    const kept = describeTree(join(root, 'node_modules'));
    expect(kept.files).toBe(5);
    for (const path of ['a/index.js', 'a/LICENSE.md', 'a/lib/test/helper.js', '@s/b/main.js', '@s/b/node_modules/c/c.js']) expect(existsSync(join(root, 'node_modules', path)), path).toBe(true);
    for (const path of ['a/index.d.ts', 'a/index.js.map', 'a/README.md', 'a/test', '@s/b/docs', '@s/b/node_modules/c/tests', '.bin', 'ws-link']) expect(existsSync(join(root, 'node_modules', path)), path).toBe(false);
  });
});

describe('the snapshot file', () => {
  it('decodes back to the folder it was made from, binary files included', async () => {
    const root = temp();
    write(root, { 'mqtt/package.json': '{"name":"mqtt"}', 'mqtt/lib/client.js': 'export default 1;\n', 'pglite/empty.txt': '' });
    writeFileSync(join(root, 'pglite/postgres.wasm'), new Uint8Array([0, 97, 115, 109, 255]));
    const tree = readSnapshot(await snapshot(root));
    expect(countFiles(tree)).toBe(4);
    expect(textAt(tree, 'mqtt/lib/client.js')).toBe('export default 1;\n');
    expect(textAt(tree, 'pglite/empty.txt')).toBe('');
    const wasm = ((tree.pglite as DirectoryNode).directory['postgres.wasm'] as FileNode).file.contents;
    expect([...(wasm as Uint8Array)]).toEqual([0, 97, 115, 109, 255]);
  });

  it('rejects bytes that are not a snapshot', () => {
    expect(() => readSnapshot(new Uint8Array([0x92, 1, 2]))).toThrow(/not a WebContainer snapshot/);
  });

  it('has a name that depends on the contents only', () => {
    const one = temp();
    const two = temp();
    write(one, { 'a/x.js': '1', 'b/y.js': '2' });
    write(two, { 'b/y.js': '2', 'a/x.js': '1' });
    expect(describeTree(one).hash).toBe(describeTree(two).hash);
    write(two, { 'b/y.js': '3' });
    expect(describeTree(one).hash).not.toBe(describeTree(two).hash);
  });
});

describe('buildDepsSnapshot', () => {
  function workspaceRoot(stageDependencies: Record<string, string> = {}, stageDevDependencies: Record<string, string> = {}): string {
    const root = temp();
    write(root, {
      'package.json': JSON.stringify({ name: 'fixture', private: true, workspaces: ['examples/*'], devDependencies: {} }),
      'examples/01/package.json': JSON.stringify({ name: '@fx/01', private: true, dependencies: stageDependencies, devDependencies: stageDevDependencies }),
      'examples/contract/package.json': JSON.stringify({ name: '@fx/contract', private: true }),
    });
    return root;
  }

  it('writes an empty snapshot and its manifest when the stages have no dependencies, without npm', async () => {
    const root = workspaceRoot();
    writeFileSync(join(root, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'examples/01': {}, 'node_modules/@fx/01': { link: true, resolved: 'examples/01' } } }));
    const out = join(root, 'dist/runtime');
    const manifest = await buildDepsSnapshot({ root, outDir: out });
    expect(manifest.deps).toMatchObject({ files: 0, packages: [] });
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))).toEqual(manifest);
    expect(countFiles(readSnapshot(gunzipSync(readFileSync(join(out, manifest.deps.file)))))).toBe(0);
  });

  it('installs a stage dependency with the lockfile, prunes it and ships it, leaving its dev tools out (offline: local tarballs)', async () => {
    // A tiny package packed locally, so no registry is involved.
    const vendor = temp();
    write(vendor, {
      'tiny/package.json': JSON.stringify({ name: 'tiny', version: '1.2.3', main: 'index.js' }),
      'tiny/index.js': 'module.exports = 42;\n',
      'tiny/index.d.ts': 'declare const x: number; export = x;\n',
      'tiny/test/t.js': 'test\n',
      // A stage's dev-only types (stage 6 has @types/pg): not shipped, and must not break npm ci.
      'types-tiny/package.json': JSON.stringify({ name: 'types-tiny', version: '0.1.0', types: 'index.d.ts' }),
      'types-tiny/index.d.ts': 'export {};\n',
    });
    const root = workspaceRoot({ tiny: 'file:../../vendor/tiny-1.2.3.tgz' }, { 'types-tiny': 'file:../../vendor/types-tiny-0.1.0.tgz' });
    mkdirSync(join(root, 'vendor'));
    for (const name of ['tiny', 'types-tiny']) {
      const pack = spawnSync('npm', ['pack', join(vendor, name), '--pack-destination', join(root, 'vendor'), '--silent'], { encoding: 'utf8', env: withNpm });
      expect(pack.status, pack.stderr).toBe(0);
    }
    const lock = spawnSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--offline'], { cwd: root, encoding: 'utf8', env: withNpm });
    expect(lock.status, lock.stderr).toBe(0);

    const out = join(root, 'dist/runtime');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'deps-000000000000.bin'), 'stale');
    const previousPath = process.env.PATH;
    process.env.PATH = withNpm.PATH;
    let manifest: DepsManifest;
    try {
      manifest = await buildDepsSnapshot({ root, outDir: out });
    } finally {
      process.env.PATH = previousPath;
    }
    expect(manifest.deps.packages).toEqual(['tiny@1.2.3']);
    expect(manifest.deps.file).toMatch(/^deps-[0-9a-f]{12}\.bin\.gz$/);
    expect(existsSync(join(out, 'deps-000000000000.bin'))).toBe(false); // the stale snapshot is gone
    const packed = readFileSync(join(out, manifest.deps.file));
    expect(manifest.deps.bytes).toBe(packed.byteLength);
    const unpacked = gunzipSync(packed);
    expect(manifest.deps.unpackedBytes).toBe(unpacked.byteLength);
    const tree = readSnapshot(unpacked);
    expect(textAt(tree, 'tiny/index.js')).toBe('module.exports = 42;\n');
    expect(textAt(tree, 'tiny/package.json')).toContain('"tiny"');
    expect(textAt(tree, 'tiny/index.d.ts')).toBeUndefined();
    expect(textAt(tree, 'tiny/test/t.js')).toBeUndefined();
    expect(Object.keys(tree)).toEqual(['tiny']); // no workspace links, no .package-lock.json
    // The site's node_modules was not touched: the install happened elsewhere.
    expect(existsSync(join(root, 'node_modules'))).toBe(false);
  });
});
