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

const skipNodeModules = (source: string) => !['node_modules', '.data'].includes(basename(source));

describe('exercise: delete the in-process payments module', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'shop-exercise-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('the check fails on the starting code and says what is wrong', async () => {
    const { code, output } = await runCheck(stageDir);
    assert.equal(code, 1, output);
    assert.match(output, /exercise not solved yet/);
    assert.match(output, /src\/app\.ts still builds the in-process payments module \(createPayments\)/);
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

  it('a flag at 100 % without deleting the module is not enough', async () => {
    const copy = join(tmp, 'examples', basename(stageDir));
    const file = join(copy, 'src', 'app.ts');
    const solved = readFileSync(file, 'utf8');
    // the starting app.ts with the flag's default moved to 100 %
    const start = readFileSync(join(stageDir, 'src', 'app.ts'), 'utf8');
    const flagAt100 = start.replace('  paymentsService: 0,\n', '  paymentsService: 100,\n');
    assert.notEqual(flagAt100, start);
    writeFileSync(file, flagAt100);
    const { code, output } = await runCheck(copy);
    writeFileSync(file, solved);
    assert.equal(code, 1, output);
    assert.match(output, /still builds the in-process payments module/);
  });

  it('a shop that keeps charging in process is caught by what the payments service printed', async () => {
    // the solution, but the orders module gets an in-process module under another name
    const copy = join(tmp, 'examples', basename(stageDir));
    const file = join(copy, 'src', 'app.ts');
    const solved = readFileSync(file, 'utf8');
    writeFileSync(
      file,
      solved
        .replace("import type { Payments } from './modules/payments/index.ts';", "import type { Payments } from './modules/payments/index.ts';\nimport * as paymentsModule from './modules/payments/index.ts';\nimport { FakeCardProcessor } from './adapters/card-processor.ts';")
        .replace('options.payments ?? new HttpPayments({ baseUrl: paymentsUrlOf(options) })', "options.payments ?? paymentsModule['createPayments']({ db, cards: new FakeCardProcessor(), ids })"),
    );
    const { code, output } = await runCheck(copy);
    writeFileSync(file, solved);
    assert.equal(code, 1, output);
    assert.match(output, /3 of 3 charges were made inside the shop process/);
    assert.match(output, /the refund of the cancelled order ord_\w+ was not made by the payments service/);
  });
});
