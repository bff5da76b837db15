// Keeps the exercise honest: its check must fail on the starting code and pass once the
// solution's files are laid over a copy of the stage, exactly as a reader would do it.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
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

// The solution, laid over the stage, must type-check with the options `tsc -p examples`
// uses (examples/tsconfig.json cannot check it where it lies: it imports the stage's files).
function typeErrors(examplesCopy: string): string[] {
  const ts = createRequire(import.meta.url)('typescript') as typeof import('typescript');
  const { config } = ts.readConfigFile(fileURLToPath(new URL('../../tsconfig.json', import.meta.url)), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent({ ...config, exclude: ['**/node_modules', '*/exercise/solution'] }, ts.sys, examplesCopy);
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
    return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
  });
}

// The reader's .data/ stays behind: a copy starts from an empty database, as in CI.
const skipNodeModules = (source: string) => !['node_modules', '.data'].includes(basename(source));

describe('exercise: the welcome email', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'shop-exercise-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('the check fails on the starting code and says what is wrong', async () => {
    const { code, output } = await runCheck(stageDir);
    assert.equal(code, 1, output);
    assert.match(output, /exercise not solved yet/);
    assert.match(output, /no welcome email for first-\w+ after their first order/);
  });

  it('the check passes with the solution laid over a copy of the stage', async () => {
    // Same layout as the repository, so the copy finds the contract and the dependencies.
    const copy = join(tmp, 'examples', basename(stageDir));
    cpSync(stageDir, copy, { recursive: true, filter: skipNodeModules });
    cpSync(contractDir, join(tmp, 'examples', 'contract'), { recursive: true, filter: skipNodeModules });
    symlinkSync(nodeModules, join(tmp, 'node_modules'), 'dir');
    cpSync(join(stageDir, 'exercise', 'solution'), copy, { recursive: true });
    const { code, output } = await runCheck(copy);
    assert.equal(code, 0, output);
    assert.match(output, /✔ exercise solved/);
  });

  it('the solution type-checks once laid over the stage', () => {
    assert.deepEqual(typeErrors(join(tmp, 'examples')), []);
  });

  it('a consumer that is not idempotent is refused', async () => {
    // The solution with its idempotency taken out: every delivery of OrderConfirmed welcomes.
    const copy = join(tmp, 'examples', basename(stageDir));
    const file = join(copy, 'src', 'modules', 'notifications', 'index.ts');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('if (!(await notifications.welcomeOnce(customerId, orderId))) return;', ''));
    const { code, output } = await runCheck(copy);
    writeFileSync(file, text);
    assert.equal(code, 1, output);
    assert.match(output, /was welcomed [2-9] times: every event was delivered twice/);
  });
});
