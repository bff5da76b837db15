// No file over 1 MB in git: snapshots and bundles are built, never committed.
import { execFileSync } from 'node:child_process';
import { statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { result, type CheckResult } from './report.ts';

export const maxTrackedBytes = 1024 * 1024;

export function checkTrackedFileSizes(root: string): CheckResult {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  const problems = files
    .filter((file) => existsSync(join(root, file)))
    .map((file) => ({ file, bytes: statSync(join(root, file)).size }))
    .filter(({ bytes }) => bytes > maxTrackedBytes)
    .map(({ file, bytes }) => `${file} is ${(bytes / 1024 / 1024).toFixed(1)} MB; build it instead of committing it`);
  return result('no tracked file over 1 MB', problems, [`${files.length} tracked files`]);
}
