// buf, from the npm package @bufbuild/buf (a native binary inside), for the contract tests and
// the exercise's check. Where it cannot run (in WebContainer, say) findBuf says why, and the
// callers skip what needs it, saying so.

import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export function findBuf(): { bin?: string; reason?: string } {
  try {
    const bin = require.resolve('@bufbuild/buf/bin/buf');
    const probe = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    return probe.status === 0 ? { bin } : { reason: `buf does not run here: ${(probe.stderr || probe.error?.message || '').trim().split('\n')[0]}` };
  } catch (error) {
    return { reason: `@bufbuild/buf is not installed (${(error as Error).message.split('\n')[0]})` };
  }
}

export function runBuf(bin: string, cwd: string, args: string[]) {
  // protoc-gen-es is found on PATH, where npm puts its bin
  const bins = join(dirname(require.resolve('@bufbuild/protoc-gen-es/package.json')), '..', '..', '.bin');
  return spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, PATH: `${bins}${delimiter}${process.env.PATH}` } });
}
