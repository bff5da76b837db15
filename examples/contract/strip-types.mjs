// TypeScript for a Node that cannot strip types itself: `node --import ../contract/strip-types.mjs
// src/start.ts` (from a stage's folder). Every stage runs its .ts files with Node's own type
// stripping; where that is missing or switched off (`process.features.typescript` is false,
// e.g. a Node built without it, or `--no-experimental-strip-types`), this hook does the same
// job with amaro, the stripper Node itself ships: types become spaces, so every line and
// column stays where it was and stack traces point at the real source.
//
// JavaScript on purpose: it must run before anything can strip types. Where Node strips types
// itself it registers nothing. The supervisors of stages 6-13 pass it on to every process they
// start (their `nodeArgs`), so it is needed once, on the command that starts the stage.
import module from 'node:module';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

const typescript = /\.([mc]?)ts$/;
const mode = 'strip-only';
// amaro is 3.7 MB of JavaScript and WebAssembly: loaded on the first file it strips that the
// cache below does not hold, never where Node strips types itself.
let amaro;
const stripWithAmaro = (source, filename) => {
  amaro ??= module.createRequire(import.meta.url)('amaro');
  return amaro.transformSync(source, { mode, filename }).code;
};

// A disk cache of stripped files, so that a process (a test suite starts dozens: every
// service of every stage, restarted) whose files were all stripped before never loads amaro.
// The output depends only on the source and amaro's version (the file name only appears in
// errors, which are never cached), so the key is the source's hash, not its path. It lives in
// the temp folder: in memory inside WebContainer, where it is harmless. Any failure of the
// cache only means stripping again.
const sha256 = (text) => createHash('sha256').update(text).digest('hex');
let cacheFolder; // undefined: not looked up yet; null: no cache in this process
function cacheFolderOnce() {
  if (cacheFolder !== undefined) return cacheFolder;
  cacheFolder = null;
  try {
    // The version from amaro's package.json, found without loading amaro (Node 22.14 and later).
    const { version } = JSON.parse(readFileSync(module.findPackageJSON('amaro', import.meta.url), 'utf8'));
    cacheFolder = join(tmpdir(), 'shop-strip-types', `amaro-${version}-${mode}`);
    mkdirSync(cacheFolder, { recursive: true });
  } catch {
    cacheFolder = null;
  }
  return cacheFolder;
}

// An entry is the hash of the stripped code, a newline, then the code: anything but what a
// writer wrote (a damaged disk, an edit by hand) fails the check and is stripped again.
function cached(folder, source) {
  try {
    const text = readFileSync(join(folder, sha256(source)), 'utf8');
    const newline = text.indexOf('\n');
    const code = text.slice(newline + 1);
    if (newline === 64 && text.slice(0, 64) === sha256(code)) return code;
  } catch {} // no entry yet (or unreadable)
  return undefined;
}

function strip(source, filename) {
  const folder = cacheFolderOnce();
  if (folder === null) return stripWithAmaro(source, filename);
  const hit = cached(folder, source);
  if (hit !== undefined) return hit;
  const first = amaro === undefined;
  const code = stripWithAmaro(source, filename);
  store(folder, source, code);
  // amaro is loaded now, and stays loaded (about 20 MiB a process). The first process of a stage
  // to strip anything (its supervisor, on a first Run) strips the rest of its folder too, so the
  // services it starts next find every file in the cache and never load amaro. Stage 13's light
  // profile on Node 22.22.0 without type stripping, first Run, 11 processes at Ready: 1571 and
  // 1597 MiB before, 1307-1385 MiB after, and Ready about a second sooner.
  if (first) stripFolder(folder, dirname(filename));
  return code;
}

// At most this many files: a stage has about a hundred; a hook run from a big folder (a home
// folder, say) must not walk all of it before its first module loads.
const FOLDER_FILES = 500;

function stripFolder(folder, dir) {
  const files = [];
  const walk = (at) => {
    let entries;
    try {
      entries = readdirSync(at, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (files.length >= FOLDER_FILES) return;
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (typescript.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(path);
    }
  };
  walk(dir);
  for (const path of files) {
    try {
      const source = readFileSync(path, 'utf8');
      if (cached(folder, source) === undefined) store(folder, source, stripWithAmaro(source, path));
    } catch {} // a file that does not strip fails where it is imported, with its own error
  }
}

function store(folder, source, code) {
  const entry = join(folder, sha256(source));
  // Written beside and renamed into place, so that a process starting at the same moment reads
  // a whole entry or none.
  const partial = `${entry}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    writeFileSync(partial, `${sha256(code)}\n${code}`);
    renameSync(partial, entry);
  } catch {
    try {
      rmSync(partial, { force: true });
    } catch {} // (a folder it could not write in holds no partial file)
  }
}

// "module" or "commonjs", as Node decides for a .js file in the same place: .mts and .cts say
// so; a .ts file follows the "type" of its nearest package.json.
function formatOf(url, extension) {
  if (extension === 'm') return 'module';
  if (extension === 'c') return 'commonjs';
  if (!module.findPackageJSON) return 'module'; // (before Node 22.14; every example is an ES module)
  const pkg = module.findPackageJSON(url);
  return pkg && JSON.parse(readFileSync(pkg, 'utf8')).type === 'module' ? 'module' : 'commonjs';
}

// One hook for both registration APIs: it never calls nextLoad for the files it strips, so it
// is the same whether the chain is synchronous (registerHooks) or not (register).
export function load(url, context, nextLoad) {
  const extension = typescript.exec(url.split(/[?#]/)[0])?.[1];
  // Like Node, leave TypeScript under node_modules alone: packages ship JavaScript.
  if (extension === undefined || !url.startsWith('file:') || url.includes('/node_modules/')) return nextLoad(url, context);
  const path = fileURLToPath(url);
  return { format: formatOf(url, extension), source: strip(readFileSync(path, 'utf8'), path), shortCircuit: true };
}

// registerHooks (Node 22.15 and later) runs the hook on the thread that loads the code, so it
// costs no worker and covers require() too. Older Nodes get register(), which loads this file
// again in a hooks thread of its own: that copy only provides `load` (hence isMainThread).
if (!process.features.typescript) {
  if (module.registerHooks) module.registerHooks({ load });
  else if (isMainThread) module.register(import.meta.url);
}
