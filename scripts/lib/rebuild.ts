// Whether `npm start` must rebuild the site: only when what the build reads has changed since
// the last build it made. Folder times cannot tell: a stage run from its own folder (`npm start`
// there) creates its ignored .data/ folder, which touches the stage folder's time, and a rebuild
// costs about a minute. So the decision compares the content of the sources instead: the files
// git tracks under the build's inputs, plus untracked files it does not ignore (a file a reader
// added to a stage is built into the site too), plus the lockfile. Without git (an unpacked
// archive) the same files are found by walking the inputs and honouring the .gitignore files.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';

/** What `npm run build` reads, relative to the project root. */
export const buildInputs = ['site', 'chapters', 'examples', 'public', 'deploy', 'astro.config.mjs', 'tsconfig.json', 'package.json', 'package-lock.json', 'scripts/build-deps-snapshot.ts'];

export interface RebuildDecision {
  rebuild: boolean;
  reason: string;
  /** The fingerprint of the sources as they are now: recordBuild() keeps it once the build succeeds. */
  sources: string;
}

const recordFile = (root: string) => join(root, 'node_modules', '.cache', 'monolith-to-distributed', 'last-build.json');
const builtPage = (root: string) => join(root, 'dist', 'index.html');

interface BuildRecord {
  sources: string;
  /** dist/index.html's time when it was recorded: a build made another way changes it. */
  builtAtMs: number;
}

/** The input files in git's view, or undefined where the root is not a git work tree's top. */
export function filesByGit(root: string): string[] | undefined {
  const top = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: root, encoding: 'utf8' });
  if (top.status !== 0 || realpathSync(top.stdout.trim()) !== realpathSync(root)) return undefined;
  // --cached lists tracked files even when deleted from disk: a deleted source reads as missing.
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...buildInputs], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (listed.status !== 0) return undefined;
  return [...new Set(listed.stdout.split('\0').filter(Boolean))];
}

interface IgnoreRule {
  /** The folder of the .gitignore that holds the rule, '' for the root. */
  base: string;
  pattern: RegExp;
  /** Matched against the path below `base` (the rule has a slash) rather than the name alone. */
  anchored: boolean;
  dirOnly: boolean;
  negated: boolean;
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** The rules of one .gitignore: blank lines and comments skipped, `!`, a trailing `/` and slashes honoured. */
function readIgnoreRules(root: string, base: string): IgnoreRule[] {
  const file = join(root, base, '.gitignore');
  if (!existsSync(file)) return [];
  const rules: IgnoreRule[] = [];
  for (const raw of readFileSync(file, 'utf8').split(/\r?\n/)) {
    let line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    if (negated) line = line.slice(1);
    const dirOnly = line.endsWith('/');
    if (dirOnly) line = line.replace(/\/+$/, '');
    const anchored = line.includes('/');
    rules.push({ base, pattern: globToRegExp(line.replace(/^\//, '')), anchored, dirOnly, negated });
  }
  return rules;
}

/** As git decides: the last rule that matches wins. */
function isIgnored(path: string, isDir: boolean, rules: IgnoreRule[]): boolean {
  let ignored = false;
  for (const rule of rules) {
    if (rule.dirOnly && !isDir) continue;
    const below = rule.base ? path.slice(rule.base.length + 1) : path;
    if (rule.pattern.test(rule.anchored ? below : below.slice(below.lastIndexOf('/') + 1))) ignored = !rule.negated;
  }
  return ignored;
}

/** The input files found by walking the folders, for a copy without git. */
export function filesByWalking(root: string): string[] {
  const files: string[] = [];
  const visit = (path: string, rules: IgnoreRule[]) => {
    const full = join(root, path);
    if (!existsSync(full)) return;
    const isDir = statSync(full).isDirectory();
    if (path.split('/').at(-1) === '.git' || isIgnored(path, isDir, rules)) return;
    if (!isDir) {
      files.push(path);
      return;
    }
    const inside = [...rules, ...readIgnoreRules(root, path)];
    for (const name of readdirSync(full).sort()) visit(`${path}/${name}`, inside);
  };
  const rootRules = readIgnoreRules(root, '');
  for (const input of buildInputs) visit(input, rootRules);
  return files;
}

/** One hash over every input file's path and content (missing files count too). */
export function sourcesFingerprint(root: string): string {
  const files = (filesByGit(root) ?? filesByWalking(root)).sort();
  const all = createHash('sha256');
  for (const path of files) {
    const full = join(root, path);
    const content = existsSync(full) && statSync(full).isFile() ? createHash('sha256').update(readFileSync(full)).digest('hex') : 'missing';
    all.update(`${path}\0${content}\n`);
  }
  return all.digest('hex');
}

function readRecord(root: string): BuildRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(recordFile(root), 'utf8')) as Partial<BuildRecord>;
    return typeof record.sources === 'string' && typeof record.builtAtMs === 'number' ? (record as BuildRecord) : undefined;
  } catch {
    return undefined;
  }
}

export function needsRebuild(root: string): RebuildDecision {
  const sources = sourcesFingerprint(root);
  if (!existsSync(builtPage(root))) return { rebuild: true, reason: 'no built site yet', sources };
  const record = readRecord(root);
  if (!record || record.builtAtMs !== statSync(builtPage(root)).mtimeMs) return { rebuild: true, reason: 'the built site has no record of its sources', sources };
  if (record.sources !== sources) return { rebuild: true, reason: 'sources changed', sources };
  return { rebuild: false, reason: 'the sources and the lockfile are as at the last build', sources };
}

/** After a successful build: the sources it was made from (fingerprinted before it started). */
export function recordBuild(root: string, sources: string): void {
  const file = recordFile(root);
  mkdirSync(dirname(file), { recursive: true });
  const record: BuildRecord = { sources, builtAtMs: statSync(builtPage(root)).mtimeMs };
  writeFileSync(file, `${JSON.stringify(record)}\n`);
}
