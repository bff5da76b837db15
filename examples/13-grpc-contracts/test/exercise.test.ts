// Keeps the exercise honest: its check must fail on the starting code and pass once the
// solution's files are laid over a copy of the stage, exactly as a reader would do it.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const stageDir = fileURLToPath(new URL('..', import.meta.url));
const contractDir = fileURLToPath(new URL('../../contract', import.meta.url));
const nodeModules = fileURLToPath(new URL('../../../node_modules', import.meta.url));

function runCheck(cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['exercise/check.ts'], { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: stdout + stderr });
    });
  });
}

const skipNodeModules = (source: string) => !['node_modules', '.data'].includes(basename(source));

describe('exercise: a GetPayment RPC, end to end', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'shop-exercise-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('the check fails on the starting code and says what is wrong', async () => {
    const { code, output } = await runCheck(stageDir);
    assert.equal(code, 1, output);
    assert.match(output, /exercise not solved yet/);
    assert.match(output, /PaymentsService has no GetPayment RPC in src\/gen\/: add it to proto\/shop\/payments\/v1\/payments.proto, then run npm run generate/);
  });

  it('the check passes with the solution laid over a copy of the stage', async () => {
    const copy = join(tmp, 'examples', basename(stageDir));
    cpSync(stageDir, copy, { recursive: true, filter: skipNodeModules });
    cpSync(contractDir, join(tmp, 'examples', 'contract'), { recursive: true, filter: skipNodeModules });
    symlinkSync(nodeModules, join(tmp, 'node_modules'), 'dir');
    cpSync(join(stageDir, 'exercise', 'solution'), copy, { recursive: true });
    const { code, output } = await runCheck(copy);
    assert.equal(code, 0, output);
    assert.match(output, /✔ exercise solved/);
  });
});
