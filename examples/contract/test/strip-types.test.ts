// The hook of strip-types.mjs, on a Node whose own type stripping is off: it runs what Node
// would refuse, keeps every line and column where they were, and the stage launcher gives it
// to a stage's entry exactly when this Node cannot strip types.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startCommand } from '../src/launch.ts';

import { writeSampleApp } from './strip-fixture.ts';

const hook = fileURLToPath(new URL('../strip-types.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'strip-types-'));
after(() => rmSync(dir, { recursive: true, force: true }));
writeSampleApp(dir);

// Node's stripping off, as on a Node that has none; the environment's NODE_OPTIONS would not
// reach further than this test.
const run = (...args: string[]) => spawnSync(process.execPath, ['--no-experimental-strip-types', ...args, join(dir, 'main.ts')], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });

describe('strip-types.mjs', () => {
  it('is needed: without it, Node without type stripping refuses a .ts file', () => {
    const result = run();
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /ERR_UNKNOWN_FILE_EXTENSION|Unknown file extension "\.ts"/);
  });

  it('runs the .ts files, imports and all, and the stack trace points at the real line and column', () => {
    const result = run('--import', hook);
    assert.equal(result.stdout, 'A-1\n', result.stderr);
    assert.match(result.stderr, /Error: failed a-1\n\s+at fail \(file:\/\/\S+main\.ts:6:9\)/);
  });
});

describe('startCommand', () => {
  const stage = fileURLToPath(new URL('../../10-scaling-out', import.meta.url));

  it("is the start script's `node <entry>` on this Node, without npm, where Node strips types itself", () => {
    assert.deepEqual(startCommand(stage, { typescript: 'strip' }), [process.execPath, ['src/start.ts']]);
  });

  it('is `npm start` for a start script of another form where Node strips types', () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { start: 'tsx src/start.ts' } }));
    assert.deepEqual(startCommand(dir, { typescript: 'strip' }), ['npm', ['start']]);
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
  });

  it("is the start script's entry with the hook where it does not", () => {
    assert.deepEqual(startCommand(stage, { typescript: false }), [process.execPath, ['--import', hook, 'src/start.ts']]);
  });

  it('says so when the start script is not `node <file>.ts`', () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { start: 'tsx src/start.ts' } }));
    assert.throws(() => startCommand(dir, { typescript: false }), /start script must be "node <file>\.ts".*tsx src\/start\.ts/);
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
  });
});
