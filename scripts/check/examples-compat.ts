// Every example must run inside WebContainer: no native addons, no install scripts, no
// binaries among its dependencies, TypeScript that Node can run by stripping types, and no
// module loaded at start that needs node:http2 (nothing says WebContainer's Node has it).
import { existsSync, readdirSync, readFileSync, statSync, openSync, readSync, closeSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { join } from 'node:path';
import { result, type CheckResult } from './report.ts';

interface LockPackage {
  dependencies?: Record<string, string>;
  hasInstallScript?: boolean;
  link?: boolean;
  resolved?: string;
}

const binaryMagic = [Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.from([0xcf, 0xfa, 0xed, 0xfe]), Buffer.from([0x4d, 0x5a])];

function isBinary(file: string): boolean {
  if (file.endsWith('.node')) return true;
  const head = Buffer.alloc(4);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  return binaryMagic.some((magic) => head.subarray(0, magic.length).equals(magic));
}

function walk(dir: string, visit: (file: string) => void): void {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const info = statSync(full);
    if (info.isDirectory()) {
      if (name !== 'node_modules') walk(full, visit);
    } else visit(full);
  }
}

/** The packages a workspace needs at run time, following the lockfile from its dependencies. */
function runtimeDependencies(lock: Record<string, LockPackage>, workspace: string): string[] {
  const seen = new Set<string>();
  const queue = Object.keys(lock[workspace]?.dependencies ?? {});
  while (queue.length) {
    const name = queue.shift()!;
    const key = [`${workspace}/node_modules/${name}`, `node_modules/${name}`].find((k) => lock[k]);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    queue.push(...Object.keys(lock[key]!.dependencies ?? {}));
  }
  return [...seen];
}

// Modules that load node:http2 as they load. A stage's code (src/) may use them only through
// `await import()` where HTTP/2 is really used, with a way on without it (stage 13 falls back
// to the Connect protocol over HTTP/1.1). Tests and scripts run on the reader's machine.
const needsHttp2 = ['http2', 'node:http2', '@connectrpc/connect-node', '@grpc/grpc-js'];
const staticImport = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]|\brequire\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** The modules a source loads as it starts that need node:http2 (type-only imports excepted). */
export function http2AtStart(source: string): string[] {
  return [...source.matchAll(staticImport)].map((m) => m[1] ?? m[2]!).filter((name) => needsHttp2.includes(name));
}

export function checkExamplesCompat(root: string): CheckResult {
  const problems: string[] = [];
  const lock = (JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockPackage> }).packages;
  const workspaces = readdirSync(join(root, 'examples')).filter((name) => existsSync(join(root, 'examples', name, 'package.json')));
  let files = 0;
  const deps = new Set<string>();
  for (const name of workspaces) {
    const dir = join(root, 'examples', name);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    for (const [script, command] of Object.entries(pkg.scripts ?? {})) {
      if (/\b(tsx|ts-node|npm (i|install|ci))\b/.test(command)) problems.push(`examples/${name}: script "${script}" needs a tool or an install at run time: ${command}`);
    }
    walk(dir, (file) => {
      // a .d.ts is never run (generated code ships .js beside it), so its enums are no problem
      if (!file.endsWith('.ts') || file.endsWith('.d.ts')) return;
      files++;
      const inSrc = file.slice(dir.length + 1).startsWith('src/');
      for (const name of inSrc ? http2AtStart(readFileSync(file, 'utf8')) : []) {
        problems.push(`${file.slice(root.length + 1)}: imports ${name} as it starts, which loads node:http2; WebContainer's Node may not have it: load it with await import() where HTTP/2 is used, and go on without it`);
      }
      try {
        stripTypeScriptTypes(readFileSync(file, 'utf8'), { mode: 'strip' });
      } catch (error) {
        problems.push(`${file.slice(root.length + 1)}: not erasable TypeScript (${(error as Error).message.split('\n')[0]})`);
      }
    });
    for (const dep of runtimeDependencies(lock, `examples/${name}`)) deps.add(dep);
  }
  for (const dep of deps) {
    if (lock[dep]?.hasInstallScript) problems.push(`${dep} runs an install script, which WebContainer cannot rely on`);
    const dir = join(root, dep);
    if (!existsSync(dir)) continue;
    walk(dir, (file) => {
      if (isBinary(file)) problems.push(`${file.slice(root.length + 1)} is a native binary; WebContainer runs no native code`);
    });
  }
  return result('examples run in WebContainer', problems, [`${workspaces.length} example projects, ${files} TypeScript files, ${deps.size} runtime dependencies`]);
}
