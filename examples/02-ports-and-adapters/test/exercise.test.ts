// Keeps the exercise honest: its check must fail on the starting code and pass once the
// solution's files are laid over a copy of the stage, exactly as a reader would do it.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

const skipNodeModules = (source: string) => basename(source) !== 'node_modules';

describe('exercise: SMS notifier', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'shop-exercise-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('the check fails on the starting code and says what is wrong', async () => {
    const { code, output } = await runCheck(stageDir);
    assert.equal(code, 1, output);
    assert.match(output, /exercise not solved yet/);
    assert.match(output, /there is no src\/adapters\/sms-notifier\.ts yet/);
  });

  it('the check passes with the solution laid over a copy of the stage', async () => {
    // Same layout as the repository, so the check finds the contract launcher beside it.
    const copy = join(tmp, 'examples', '02-ports-and-adapters');
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

  it('the check notices a change to the domain', async () => {
    const copy = join(tmp, 'examples', '02-ports-and-adapters');
    const shopFile = join(copy, 'src', 'domain', 'shop.ts');
    const text = readFileSync(shopFile, 'utf8');
    cpSync(join(stageDir, 'exercise', 'solution'), copy, { recursive: true });
    writeFileSync(shopFile, text.replace('await shop.notifier.send(', 'await shop.notifier.send(/* sms */ '));
    const { code, output } = await runCheck(copy);
    writeFileSync(shopFile, text);
    assert.equal(code, 1, output);
    assert.match(output, /src\/domain\/shop\.ts was changed/);
  });

  it('the solution touches no domain file, and the check knows the domain as it is', () => {
    const solved = readdirSync(join(stageDir, 'exercise', 'solution'), { recursive: true }).map(String);
    assert.ok(!solved.some((path) => path.startsWith('src/domain')), `the solution changes ${solved.join(', ')}`);
    // The check carries fingerprints of the starting domain files; after a deliberate
    // change to the domain, update them in exercise/check.ts.
    const check = readFileSync(join(stageDir, 'exercise', 'check.ts'), 'utf8');
    const domain = join(stageDir, 'src', 'domain');
    for (const name of readdirSync(domain)) {
      const text = readFileSync(join(domain, name), 'utf8').replace(/\r\n/g, '\n');
      const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
      assert.ok(check.includes(`'${name}': '${hash}'`), `exercise/check.ts: set '${name}': '${hash}'`);
    }
  });
});
