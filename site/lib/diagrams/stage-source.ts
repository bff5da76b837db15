// Reading the names a stage's code declares (a union of string literals, a list, a record of
// strings), so a diagram draws what the code has: rename or add a state there and the picture
// follows at the next build, or the build stops, naming the file, if it cannot find the name.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stageDir } from '../stages.ts';

export function readStageFile(stage: string, file: string): string {
  return readFileSync(join(stageDir(stage), file), 'utf8');
}

const quoted = (text: string) => [...text.matchAll(/'([^']*)'/g)].map((m) => m[1]!);

function missing(where: string, what: string): never {
  throw new Error(`${where} has no ${what}: the diagram drawn from it is out of date`);
}

/** `type Name = 'a' | 'b';` → ['a', 'b'] (also exported, and over several lines). */
export function unionIn(source: string, name: string, where = 'the source'): string[] {
  const match = new RegExp(`\\btype ${name}\\s*=\\s*((?:\\s*\\|?\\s*'[^']*')+)\\s*;`).exec(source);
  if (!match) missing(where, `type ${name} = '…' | '…';`);
  return quoted(match[1]!);
}

/** `const NAME: … = ['a', 'b'];` → ['a', 'b']. */
export function listIn(source: string, name: string, where = 'the source'): string[] {
  const match = new RegExp(`\\bconst ${name}\\b[^=]*=\\s*\\[([^\\]]*)\\]`).exec(source);
  if (!match) missing(where, `const ${name} = ['…'];`);
  return quoted(match[1]!);
}

/** `const NAME: … = { a: 'x', b: 'y' };` → { a: 'x', b: 'y' }. */
export function recordIn(source: string, name: string, where = 'the source'): Record<string, string> {
  const match = new RegExp(`\\bconst ${name}\\b[^=]*=\\s*\\{([^}]*)\\}`).exec(source);
  if (!match) missing(where, `const ${name} = { key: '…' };`);
  return Object.fromEntries([...match[1]!.matchAll(/(\w+)\s*:\s*'([^']*)'/g)].map((m) => [m[1]!, m[2]!]));
}

export const readUnion = (stage: string, file: string, name: string) => unionIn(readStageFile(stage, file), name, `examples/${stage}/${file}`);
export const readList = (stage: string, file: string, name: string) => listIn(readStageFile(stage, file), name, `examples/${stage}/${file}`);
export const readRecord = (stage: string, file: string, name: string) => recordIn(readStageFile(stage, file), name, `examples/${stage}/${file}`);
