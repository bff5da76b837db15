// Keeps the exercise honest: its check must fail on the starting code and pass once the
// solution's files are laid over a copy of the stage, exactly as a reader would do it.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const stageDir = fileURLToPath(new URL('..', import.meta.url));
const contractDir = fileURLToPath(new URL('../../contract', import.meta.url));

function runCheck(cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['exercise/check.ts'], { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: stdout + stderr });
    });
  });
}

const skipNodeModules = (source: string) => basename(source) !== 'node_modules';

describe('exercise: bulk discount', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'shop-exercise-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('the check fails on the starting code and says what is wrong', async () => {
    const { code, output } = await runCheck(stageDir);
    assert.equal(code, 1, output);
    assert.match(output, /exercise not solved yet/);
    assert.match(output, /no discount was applied/);
  });

  it('the check passes with the solution laid over a copy of the stage', async () => {
    // Same layout as the repository, so the check finds the contract launcher beside it.
    const copy = join(tmp, 'examples', '01-single-file');
    cpSync(stageDir, copy, { recursive: true, filter: skipNodeModules });
    cpSync(contractDir, join(tmp, 'examples', 'contract'), { recursive: true, filter: skipNodeModules });
    cpSync(join(stageDir, 'exercise', 'solution'), copy, { recursive: true });
    const { code, output } = await runCheck(copy);
    assert.equal(code, 0, output);
    assert.match(output, /✔ exercise solved/);
  });

  it('the solution is src/shop.ts with the discount added and nothing else changed', () => {
    const start = readFileSync(join(stageDir, 'src', 'shop.ts'), 'utf8');
    const solution = readFileSync(join(stageDir, 'exercise', 'solution', 'src', 'shop.ts'), 'utf8');
    const discounted =
      /for \(const line of order\.items\) \{\n\s*let lineCents = line\.unitPriceCents \* line\.quantity;\n\s*\/\/ Bulk discount[^\n]*\n\s*if \(line\.quantity >= 10\) lineCents = Math\.floor\(\(lineCents \* 90\) \/ 100\);\n\s*(\w+) \+= lineCents;\n\s*\}/g;
    assert.equal([...solution.matchAll(discounted)].length, 3, 'the discount goes in three places');
    const undone = solution.replace(
      discounted,
      (_match, total: string) => `for (const line of order.items) ${total} += line.unitPriceCents * line.quantity;`,
    );
    assert.equal(undone, start, 'apart from the discount, the solution must match src/shop.ts line for line');
  });
});
