// Builds the ONE dependency snapshot that every stage mounts as `/node_modules` inside
// WebContainer, so nothing is ever installed at run time in the browser.
//
//   node scripts/build-deps-snapshot.ts            (part of `npm run build`, after `astro build`)
//
// 1. Installs the production dependencies of every `examples/*` workspace into a temp folder
//    with the root lockfile (`npm ci --omit=dev --ignore-scripts --bin-links=false
//    --prefer-offline`), so the versions are exactly the ones the stages are tested with and the
//    npm cache is enough offline. With no production dependencies at all, npm is not run.
// 2. Drops what never runs: type declarations, source maps, docs and test folders, `.bin`
//    and workspace links (the stages themselves are mounted from their own files).
// 3. Writes `dist/runtime/deps-<hash>.bin.gz`: the format of `@webcontainer/snapshot` (the
//    binary snapshot `WebContainer#mount()` loads natively), gzipped, and
//    `dist/runtime/manifest.json` naming it. Gzipped because most hosts send a `.bin` file
//    as it is, and PGlite's WebAssembly makes the snapshot 24 MB raw and under 8 MB gzipped;
//    the page unpacks it with the browser's DecompressionStream. The hash covers the sorted
//    file list and contents (the snapshot's own byte order is not stable), so an unchanged
//    tree keeps its URL and the file can be cached for good.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { decode } from '@msgpack/msgpack';
import { snapshot } from '@webcontainer/snapshot';
import type { FileSystemTree } from '@webcontainer/api';

/** What the adapter reads from `/runtime/manifest.json`. */
export interface DepsManifest {
  format: 'webcontainer-snapshot';
  deps: {
    /** File name beside the manifest, e.g. "deps-3f2a9c1e0b7d.bin.gz". */
    file: string;
    /** The file's size, gzipped. */
    bytes: number;
    /** The snapshot's size once unpacked. */
    unpackedBytes: number;
    files: number;
    /** "name@version" of every package in the snapshot, sorted. */
    packages: string[];
  };
}

interface LockEntry {
  version?: string;
  dev?: boolean;
  link?: boolean;
  resolved?: string;
}
interface Lockfile {
  packages: Record<string, LockEntry>;
}

/** The packages of the lockfile that `npm ci --omit=dev` installs (links and dev-only excluded). */
export function productionPackages(lock: Lockfile): string[] {
  const found: string[] = [];
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (!key.includes('node_modules/') || entry.dev || entry.link) continue;
    if (!key.startsWith('node_modules/')) {
      // npm nests a package under a workspace when that workspace needs another version of it.
      throw new Error(
        `${key} is installed inside a workspace: two stages need different versions of it. ` +
          'The site ships one dependency tree for all stages, so align the versions in examples/*/package.json.',
      );
    }
    found.push(`${key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length)}@${entry.version ?? '?'}`);
  }
  return found.sort();
}

/**
 * The lockfile without the entries only the site's tooling needs: the exact versions of the
 * stages' dependencies, and nothing `npm ci` would have to check or fetch for the dev side.
 */
export function productionLockfile(lock: Lockfile): Lockfile {
  const packages: Record<string, LockEntry> = {};
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (entry.dev) continue;
    if (key === '') {
      const { devDependencies: _dev, ...rootEntry } = entry as LockEntry & { devDependencies?: unknown };
      packages[key] = rootEntry;
    } else {
      packages[key] = entry;
    }
  }
  return { ...lock, packages };
}

const droppedDirs = new Set(['test', 'tests', '__tests__', 'doc', 'docs', 'example', 'examples', 'benchmark', 'benchmarks', '.github']);
const droppedFiles = [/\.d\.[cm]?ts$/, /\.map$/, /\.tsbuildinfo$/, /^\.package-lock\.json$/];
const keptNotes = /^(licen[cs]e|notice|copying)/i; // licences travel with the code

/**
 * Removes from an installed node_modules what never runs. Test/doc folders are dropped only
 * at a package's top level (`node_modules/x/test`), where they are not imported; deeper
 * folders with those names can be real code (`lib/docs/...`) and stay.
 */
export function prune(nodeModules: string): void {
  type Level = 'modules' | 'scope' | 'package' | 'inside';
  const walk = (dir: string, level: Level): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        rmSync(path); // workspace links; the snapshot format has no symlinks
      } else if (entry.isDirectory()) {
        if (entry.name === '.bin' || (level === 'package' && droppedDirs.has(entry.name))) {
          rmSync(path, { recursive: true });
          continue;
        }
        const next: Level =
          level === 'modules' ? (entry.name.startsWith('@') ? 'scope' : 'package') : level === 'scope' ? 'package' : entry.name === 'node_modules' ? 'modules' : 'inside';
        walk(path, next);
        if (readdirSync(path).length === 0) rmSync(path, { recursive: true }); // e.g. @shop/ once its links are gone
      } else if (droppedFiles.some((pattern) => pattern.test(entry.name)) || (/\.md$/i.test(entry.name) && !keptNotes.test(entry.name))) {
        rmSync(path);
      }
    }
  };
  walk(nodeModules, 'modules');
}

/**
 * Files of particular packages that no stage ever loads, by path under node_modules: the site
 * ships every byte of the snapshot to every reader, and these are most of some packages.
 * - PGlite's extensions (pgcrypto, pg_trgm ... as tarballs, and their loaders): no stage
 *   asks for one (`new PGlite({ extensions })`).
 * - OpenTelemetry's ES module builds: Node loads each package's CommonJS build (its "main",
 *   and the "default" of its exports), so build/esm and build/esnext are for bundlers only.
 * - semantic-conventions' incubating and experimental sets, and its .mjs copies: the SDK
 *   requires the stable set, as CommonJS; nothing imports "./incubating".
 * - amaro's lib/wasm.js (3.7 MB): the stripper the strip-types hook loads is dist/, which
 *   carries its own copy of the WebAssembly.
 * - the Redis client's code (1.3 MB): stage 12 imports it only when REDIS_URL names a Redis
 *   (src/adapters/redis.ts, by dynamic import), which the browser's stage never has. Its
 *   package.json stays, so the package is listed as installed.
 */
export const unusedFiles: { under: string; drop: RegExp }[] = [
  { under: '@electric-sql/pglite/dist', drop: /^(contrib\/.*|[^/]+\.tar\.gz)$/ },
  { under: '@opentelemetry', drop: /^[^/]+\/build\/(esm|esnext)\// },
  { under: '@opentelemetry/semantic-conventions/dist', drop: /^(.*\.mjs|(experimental_[a-z]+|index-incubating)\.cjs)$/ },
  { under: 'amaro', drop: /^lib\// },
  { under: '@redis/client', drop: /^dist\// },
];

/** Removes `unusedFiles` from an installed node_modules; returns how many bytes went. */
export function dropUnused(nodeModules: string): number {
  let bytes = 0;
  for (const { under, drop } of unusedFiles) {
    const base = join(nodeModules, under);
    if (!existsSync(base)) continue;
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          walk(path);
          if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
        } else if (drop.test(relative(base, path).split(sep).join('/'))) {
          bytes += statSync(path).size;
          rmSync(path);
        }
      }
    };
    walk(base);
  }
  return bytes;
}

/** Sorted relative paths and a hash over paths and contents: stable for the same tree. */
export function describeTree(dir: string): { files: number; hash: string } {
  const paths: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else paths.push(relative(dir, path).split(sep).join('/'));
    }
  };
  walk(dir);
  paths.sort();
  const hash = createHash('sha256');
  for (const path of paths) hash.update(`${path}\0${createHash('sha256').update(readFileSync(join(dir, path))).digest('hex')}\n`);
  return { files: paths.length, hash: hash.digest('hex').slice(0, 12) };
}

type SnapshotNode = { d: Record<string, SnapshotNode> } | { f: { c: Uint8Array } };

/**
 * Reads a `@webcontainer/snapshot` file back into the FileSystemTree it stands for (a
 * MessagePack map: `{d: {name: {d: ...} | {f: {c: bytes}}}}`). Used to check the file at build
 * time and in tests; the page never decodes it, `mount()` takes the bytes as they are.
 */
export function readSnapshot(bytes: Uint8Array): FileSystemTree {
  const toTree = (folder: Record<string, SnapshotNode>): FileSystemTree => {
    const tree: FileSystemTree = {};
    for (const [name, node] of Object.entries(folder)) {
      if ('d' in node) tree[name] = { directory: toTree(node.d) };
      else if ('f' in node) tree[name] = { file: { contents: new Uint8Array(node.f.c) } };
      else throw new Error(`unexpected snapshot entry at ${name}`);
    }
    return tree;
  };
  const root = decode(bytes) as SnapshotNode;
  if (!root || typeof root !== 'object' || !('d' in root)) throw new Error('not a WebContainer snapshot: the root is not a folder');
  return toTree(root.d);
}

/** Counts the files of a FileSystemTree. */
export function countFiles(tree: FileSystemTree): number {
  let n = 0;
  for (const node of Object.values(tree)) n += 'directory' in node ? countFiles(node.directory) : 1;
  return n;
}

export interface BuildOptions {
  /** The repository root (package.json, package-lock.json, examples/). */
  root: string;
  /** Where deps-<hash>.bin.gz and manifest.json go. */
  outDir: string;
  log?: (line: string) => void;
}

export async function buildDepsSnapshot({ root, outDir, log = () => {} }: BuildOptions): Promise<DepsManifest> {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as Lockfile;
  const packages = productionPackages(lock);
  const work = mkdtempSync(join(tmpdir(), 'deps-snapshot-'));
  try {
    const nodeModules = join(work, 'node_modules');
    if (packages.length === 0) {
      log('no production dependencies in examples/*: the snapshot is an empty folder');
      mkdirSync(nodeModules);
    } else {
      // Only what npm needs: the root manifest and lockfile reduced to production entries (so
      // npm never looks at the site's own dev tooling), and each workspace's package.json.
      const { devDependencies: _dev, scripts: _scripts, ...manifest } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
      writeFileSync(join(work, 'package.json'), JSON.stringify(manifest, null, 2));
      writeFileSync(join(work, 'package-lock.json'), JSON.stringify(productionLockfile(lock), null, 2));
      for (const [key, entry] of Object.entries(lock.packages)) {
        if (key !== '' && !key.includes('node_modules/')) {
          // Without its devDependencies too: npm ci checks every declared dependency against
          // the lockfile even when told to omit dev ones, and the reduced lockfile has none.
          mkdirSync(join(work, key), { recursive: true });
          const { devDependencies: _workspaceDev, ...workspace } = JSON.parse(readFileSync(join(root, key, 'package.json'), 'utf8'));
          writeFileSync(join(work, key, 'package.json'), JSON.stringify(workspace, null, 2));
        } else if (!entry.dev && !entry.link && entry.resolved?.startsWith('file:')) {
          // A local tarball dependency: npm resolves it relative to the root, so bring it along.
          const tarball = entry.resolved.slice('file:'.length);
          mkdirSync(dirname(join(work, tarball)), { recursive: true });
          cpSync(join(root, tarball), join(work, tarball));
        }
      }
      const args = ['ci', '--omit=dev', '--ignore-scripts', '--bin-links=false', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];
      const result = spawnSync('npm', args, { cwd: work, encoding: 'utf8', shell: process.platform === 'win32' });
      if (result.status !== 0) {
        throw new Error(`npm ${args.join(' ')} failed (exit ${result.status}):\n${result.stderr || result.stdout || result.error?.message}`);
      }
      if (!existsSync(nodeModules)) mkdirSync(nodeModules);
      prune(nodeModules);
      log(`dropped ${(dropUnused(nodeModules) / 1024 / 1024).toFixed(1)} MB that no stage loads (PGlite's extensions, OpenTelemetry's ES module builds)`);
    }
    const { files, hash } = describeTree(nodeModules);
    const bytes = await snapshot(nodeModules);
    // Check that the file reads back as the tree we meant to ship.
    const readBack = countFiles(readSnapshot(bytes));
    if (readBack !== files) throw new Error(`the snapshot holds ${readBack} files, expected ${files}`);

    mkdirSync(outDir, { recursive: true });
    for (const old of readdirSync(outDir)) if (/^deps-[0-9a-f]+\.bin(\.gz)?$/.test(old)) rmSync(join(outDir, old));
    const file = `deps-${hash}.bin.gz`;
    const packed = gzipSync(bytes, { level: 9 });
    writeFileSync(join(outDir, file), packed);
    const manifest: DepsManifest = { format: 'webcontainer-snapshot', deps: { file, bytes: packed.byteLength, unpackedBytes: bytes.byteLength, files, packages } };
    writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    return manifest;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const root = dirname(dirname(import.meta.filename));
  const outDir = join(root, 'dist', 'runtime');
  const started = performance.now();
  try {
    const manifest = await buildDepsSnapshot({ root, outDir, log: (line) => console.log(`deps snapshot: ${line}`) });
    const { file, bytes, unpackedBytes, files, packages } = manifest.deps;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `deps snapshot: dist/runtime/${file}: ${(bytes / 1024).toFixed(1)} KiB (${(unpackedBytes / 1024).toFixed(1)} KiB unpacked), ${files} files, ` +
        `${packages.length} packages${packages.length ? ` (${packages.join(', ')})` : ''}, ${seconds} s`,
    );
  } catch (error) {
    console.error(`deps snapshot: ${(error as Error).message}`);
    process.exit(1);
  }
}
