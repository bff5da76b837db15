// TypeScript for a Node that cannot strip types itself: `node --import ../contract/strip-types.mjs
// src/start.ts` (from a stage's folder). Every stage runs its .ts files with Node's own type
// stripping; where that is missing or switched off (`process.features.typescript` is false,
// e.g. a Node built without it, or `--no-experimental-strip-types`), this hook does the same
// job with amaro, the stripper Node itself ships: types become spaces, so every line and
// column stays where it was and stack traces point at the real source.
//
// JavaScript on purpose: it must run before anything can strip types. Where Node strips types
// itself it registers nothing. The supervisors of stages 6-12 pass it on to every process they
// start (their `nodeArgs`), so it is needed once, on the command that starts the stage.
import module from 'node:module';
import { readFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

const typescript = /\.([mc]?)ts$/;
// amaro is 3.7 MB of JavaScript and WebAssembly: loaded on the first file it strips, never
// where Node strips types itself.
let amaro;
const strip = (source, filename) => {
  amaro ??= module.createRequire(import.meta.url)('amaro');
  return amaro.transformSync(source, { mode: 'strip-only', filename }).code;
};

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
