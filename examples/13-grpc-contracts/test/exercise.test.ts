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

// `env`: added to this process's environment (a runtime without node:http2, say).
function runCheck(cwd: string, env: Record<string, string> = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['exercise/check.ts'], { cwd, timeout: 60_000, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
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
    assert.match(output, /✔ exercise solved: .* answers over gRPC and Connect\./);
  });

  // As in a browser's container that has no node:http2: the check still judges the exercise,
  // over the Connect protocol, and says it left gRPC out.
  it('without node:http2 the check judges the solution over Connect alone, and says so', async () => {
    const copy = join(tmp, 'examples', basename(stageDir));
    const noHttp2 = fileURLToPath(new URL('no-http2.ts', import.meta.url));
    const { code, output } = await runCheck(copy, { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${JSON.stringify(noHttp2)}`.trim() });
    assert.equal(code, 0, output);
    assert.match(output, /gRPC skipped: this runtime has no node:http2/);
    assert.match(output, /✔ exercise solved: .* answers over Connect\./);
  });
});
