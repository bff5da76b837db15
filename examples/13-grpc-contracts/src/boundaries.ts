// The boundary checker: reads the source of src/ and reports every place where a module is
// reached other than through its public interface. src/main.ts runs it before the shop
// starts, and so does `npm test`. It is small on purpose: it only has to understand our own
// code (relative imports ending in .ts, SQL in string literals), and it takes a few
// milliseconds, in the browser too, with nothing to install.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// #region boundary-rules
// A module is a folder under src/modules/, and its name is also the name of its Postgres
// schema. Its index.ts is its public interface; every other file in the folder is private.
//   1. Code outside a module imports from it only its index.ts.
//   2. A module's SQL names no other module's schema: what it needs from another module,
//      it asks for through that module's index.ts.
const MODULES_DIR = 'modules';
const PUBLIC_FILE = 'index.ts';
// A string literal counts as SQL when it has one of these words in it.
const SQL_WORDS = /\b(SELECT|INSERT|UPDATE|DELETE|FROM|JOIN|INTO|TABLE)\b/i;
// #endregion boundary-rules

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    return entry.isDirectory() ? tsFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

// Every module specifier a file imports or re-exports: import ... from '...', import '...',
// export ... from '...', and import('...').
function importsOf(text: string): string[] {
  const found = [
    ...text.matchAll(/^\s*(?:import|export)\s[^;]*?\bfrom\s*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ];
  return found.map((m) => m[1] ?? '');
}

// The contents of every string literal, skipping comments (so an apostrophe in a comment
// does not start a string).
function stringsOf(text: string): string[] {
  const token = /(\/\/[^\n]*|\/\*[\s\S]*?\*\/)|(`(?:\\[\s\S]|[^`\\])*`|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*")/g;
  return [...text.matchAll(token)].flatMap((m) => (m[2] ? [m[2].slice(1, -1)] : []));
}

// #region boundary-check
export function checkModuleBoundaries(srcDir: URL): string[] {
  const src = fileURLToPath(srcDir);
  const modulesDir = join(src, MODULES_DIR);
  const modules = readdirSync(modulesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  // "src/modules/orders/service.ts", as a reader would write it
  const show = (path: string) => relative(join(src, '..'), path).split(sep).join('/');
  // the module a file belongs to, if any
  const moduleOf = (path: string) => {
    const inside = relative(modulesDir, path);
    return inside.startsWith('..') || inside === '' ? undefined : inside.split(sep)[0];
  };

  const problems: string[] = [];
  for (const file of tsFiles(src).sort()) {
    const text = readFileSync(file, 'utf8');
    const home = moduleOf(file);

    // Rule 1: into another module, only through its index.ts.
    for (const specifier of importsOf(text)) {
      if (!specifier.startsWith('.')) continue;
      const target = resolve(dirname(file), specifier);
      const owner = moduleOf(target);
      if (owner === undefined || owner === home || target === join(modulesDir, owner, PUBLIC_FILE)) continue;
      problems.push(`${show(file)} imports ${show(target)}: only src/${MODULES_DIR}/${owner}/${PUBLIC_FILE} is public`);
    }

    // Rule 2: a module's SQL stays in its own schema.
    if (home === undefined) continue;
    for (const sql of stringsOf(text).filter((s) => SQL_WORDS.test(s))) {
      for (const [name, schema] of sql.matchAll(/\b([a-z_]+)\.[a-z_]+\b/g)) {
        if (schema === home || !modules.includes(schema ?? '')) continue;
        const problem =
          `${show(file)} queries ${name}: the ${schema} schema belongs to the ${schema} module; ` +
          `ask for what you need through src/${MODULES_DIR}/${schema}/${PUBLIC_FILE}`;
        if (!problems.includes(problem)) problems.push(problem);
      }
    }
  }
  return problems;
}
// #endregion boundary-check
