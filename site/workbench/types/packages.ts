// How declaration files are grouped for the browser: one served file per npm package, named
// by a slug of the package's folder, and each package.json cut to what module resolution reads.

/** "node_modules/@types/pg" for "node_modules/@types/pg/lib/index.d.ts"; nested packages too. */
export function packageDirOf(path: string): string | undefined {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(path);
  return match?.[1];
}

/** A file name for a package folder: "types__pg", "mqtt--ws" for node_modules/mqtt/node_modules/ws. */
export function packageSlug(dir: string): string {
  return dir
    .replace(/^node_modules\//, '')
    .split('/node_modules/')
    .map((name) => name.replace(/^@/, '').replace('/', '__'))
    .join('--');
}

// The fields TypeScript's module resolution looks at; the rest (scripts, dependencies,
// descriptions) is only weight.
const resolutionFields = ['name', 'version', 'type', 'main', 'module', 'types', 'typings', 'typesVersions', 'exports', 'imports'];

export function trimPackageJson(text: string): string {
  const json = JSON.parse(text) as Record<string, unknown>;
  return JSON.stringify(Object.fromEntries(resolutionFields.filter((field) => field in json).map((field) => [field, json[field]])));
}

/** Files grouped by their package folder; files outside node_modules are left out. */
export function groupByPackage(paths: Iterable<string>): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const path of paths) {
    const dir = packageDirOf(path);
    if (!dir) continue;
    const group = groups.get(dir) ?? [];
    group.push(path);
    groups.set(dir, group);
  }
  for (const group of groups.values()) group.sort();
  return new Map([...groups].sort(([a], [b]) => a.localeCompare(b)));
}
