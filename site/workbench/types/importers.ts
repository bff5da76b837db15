// Which stage files an edit can change the type errors of: the edited file and every file
// that imports it, directly or through others. Read from the files' relative imports, so
// after an edit the checker asks again about those files only, not the whole stage.

const importPattern = /\b(?:import|export)\s[^;]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|\bimport\s*(?:\(\s*)?['"](\.{1,2}\/[^'"]+)['"]/g;

/** "src/a/../b.ts" -> "src/b.ts"; undefined when it climbs out of the stage. */
function normalize(path: string): string | undefined {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '.' || part === '') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

/** The stage paths a file's relative imports name (imports name the .ts file). */
export function relativeImports(path: string, text: string): string[] {
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
  const found = new Set<string>();
  for (const match of text.matchAll(importPattern)) {
    const target = normalize(dir + (match[1] ?? match[2]));
    if (target) found.add(target);
  }
  return [...found];
}

/** `edited` first, then every file in `files` that reaches it through relative imports. */
export function affectedBy(edited: string, files: Record<string, string>): string[] {
  const importers = new Map<string, string[]>();
  for (const [path, text] of Object.entries(files)) {
    for (const target of relativeImports(path, text)) importers.set(target, [...(importers.get(target) ?? []), path]);
  }
  const affected = [edited];
  const seen = new Set(affected);
  for (let i = 0; i < affected.length; i++) {
    for (const importer of importers.get(affected[i]!) ?? []) {
      if (seen.has(importer)) continue;
      seen.add(importer);
      affected.push(importer);
    }
  }
  return affected;
}
