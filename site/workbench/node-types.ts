// Build time: Node's type declarations (@types/node and the undici-types it imports), so the
// editor resolves `node:http` and friends. Fetched by the editor only once it is opened.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const root = join(process.cwd(), 'node_modules');
const packages = ['@types/node', 'undici-types'];
// Copies for TypeScript versions older than the editor's (it ships TypeScript 5.9).
const skipped = new Set(['ts5.6', 'ts5.7', 'node_modules']);

function declarations(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    if (skipped.has(name)) return [];
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return declarations(full);
    return name.endsWith('.d.ts') ? [full] : [];
  });
}

/** {"node_modules/@types/node/http.d.ts": text, ...} */
export function readNodeTypes(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of packages) {
    for (const file of declarations(join(root, name))) {
      files[relative(process.cwd(), file).split(sep).join('/')] = readFileSync(file, 'utf8');
    }
  }
  return files;
}
