// The contracts evolve safely: `buf lint` and `buf breaking` (against proto-previous/, the
// contract before ChargeResponse gained amount_cents) pass; renumbering or retyping a field is
// caught before anything runs; and the generated code in src/gen/ is what buf makes today.
// buf is a native binary (the npm package @bufbuild/buf carries it): where it cannot run (in
// WebContainer, say) these tests are SKIPPED, never passed; under CI=true they fail instead.

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findBuf, runBuf as runBufIn } from './buf-support.ts';

const stage = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'shop-buf-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

// #region find-buf
const buf = findBuf();
if (buf.reason && process.env.CI) throw new Error(`CI must run buf lint and buf breaking: ${buf.reason}`);
const skip = buf.reason ?? false;
// #endregion find-buf

const runBuf = (cwd: string, args: string[]) => runBufIn(buf.bin ?? '', cwd, args);

// A copy of proto/ with one edit, as a learner would make it.
function editedContract(name: string, from: string, to: string): string {
  const dir = join(scratch, name);
  cpSync(join(stage, 'proto'), dir, { recursive: true });
  const file = join(dir, 'shop/payments/v1/payments.proto');
  const text = readFileSync(file, 'utf8');
  assert.ok(text.includes(from), `the contract has "${from}"`);
  writeFileSync(file, text.replace(from, to));
  return dir;
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

describe('buf: the contracts', () => {
  it('pass buf lint', { skip }, () => {
    const lint = runBuf(join(stage, 'proto'), ['lint']);
    assert.equal(lint.status, 0, lint.stdout + lint.stderr);
  });

  it('have changed compatibly since proto-previous/ (buf breaking)', { skip }, () => {
    const breaking = runBuf(join(stage, 'proto'), ['breaking', '--against', '../proto-previous']);
    assert.equal(breaking.status, 0, breaking.stdout + breaking.stderr);
  });

  // #region caught-before-running
  it('a renumbered field is caught before anything runs', { skip }, () => {
    const dir = editedContract('renumbered', 'int32 amount_cents = 2;', 'int32 amount_cents = 5;');
    const breaking = runBuf(dir, ['breaking', '--against', join(stage, 'proto-previous')]);
    assert.notEqual(breaking.status, 0);
    assert.match(breaking.stdout, /ChargeRequest/);
  });

  it('a retyped field is caught before anything runs', { skip }, () => {
    const dir = editedContract('retyped', 'int32 amount_cents = 2;\n}\n\nenum', 'string amount_cents = 2;\n}\n\nenum');
    const breaking = runBuf(dir, ['breaking', '--against', join(stage, 'proto-previous')]);
    assert.notEqual(breaking.status, 0);
    assert.match(breaking.stdout, /type/i);
  });
  // #endregion caught-before-running

  it('the committed generated code is what buf generates today (src/gen/ and test/gen-previous/)', { skip }, () => {
    for (const [contract, committed] of [['proto', 'src/gen'], ['proto-previous', 'test/gen-previous']] as const) {
      const out = join(scratch, `gen-${contract}`);
      const generate = runBuf(join(stage, contract), ['generate', '--output', out]);
      assert.equal(generate.status, 0, generate.stdout + generate.stderr);
      // buf.gen.yaml's out is relative to --output: find the files wherever it put them
      const made = join(out, relative(join(stage, contract), join(stage, committed)));
      assert.deepEqual(files(made), files(join(stage, committed)), `${committed} has the files buf makes from ${contract}/`);
      for (const file of files(made)) {
        assert.equal(readFileSync(join(stage, committed, file), 'utf8'), readFileSync(join(made, file), 'utf8'), `${committed}/${file} is stale: run npm run generate`);
      }
    }
  });
});
