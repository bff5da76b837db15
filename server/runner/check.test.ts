// The exercise check endpoint end to end: a real server runs a fake stage's check in real
// processes, on the files the page posts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkScriptFile } from '../../site/runtime/check-script.ts';
import type { RunnerOptions } from './runs.ts';
import { api, call, eventually, makeFakeProject, workspacesLeft, type FakeProject, type TestServer, startTestServer } from './testing.ts';

const checkable = '03-checkable';
const checkScript = `
import { answer } from '../src/answer.ts';
if (answer === -1) setInterval(() => {}, 1000);
else if (answer === 7) {
  console.log('thrown at ' + new URL(import.meta.url).pathname);
  process.exit(1);
}
else if (answer !== 42) {
  console.log('✘ exercise not solved yet: answer is ' + answer + ', the check wants 42');
  process.exit(1);
} else console.log('✔ exercise solved: the answer is 42');
`;

let project: FakeProject;
let server: TestServer;
beforeAll(async () => {
  project = makeFakeProject();
  const write = (path: string, text: string) => {
    mkdirSync(join(project.examplesRoot, path, '..'), { recursive: true });
    writeFileSync(join(project.examplesRoot, path), text);
  };
  write(`${checkable}/package.json`, JSON.stringify({ type: 'module', scripts: { start: 'node src/answer.ts', 'check:exercise': 'node exercise/check.ts' } }));
  write(`${checkable}/src/answer.ts`, 'export const answer = 41;\n');
  write(`${checkable}/exercise/check.ts`, checkScript);
  write('04-shell-check/package.json', JSON.stringify({ scripts: { 'check:exercise': 'node exercise/check.ts && touch pwned' } }));
  server = await startTestServer(project, { killGraceMs: 500, checkTimeoutMs: 2_000 } as RunnerOptions);
});
afterAll(async () => {
  await server.close();
  project.remove();
});
afterEach(async () => {
  // A check leaves nothing behind: its workspace is gone before it answers.
  expect(await eventually(() => workspacesLeft(project).length === 0)).toBe(true);
});

const answerIs = (value: number) => ({ 'src/answer.ts': `export const answer = ${value};\n` });

describe('POST /__runner/checks', () => {
  it('fails the unchanged stage with the check’s own message', async () => {
    const res = await api(server, 'POST', '/checks', { stage: checkable, files: {} });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ passed: false, code: 1 });
    expect(res.json.output).toContain('✘ exercise not solved yet: answer is 41, the check wants 42');
  });

  it('passes once the posted files solve the exercise', async () => {
    const res = await api(server, 'POST', '/checks', { stage: checkable, files: answerIs(42) });
    expect(res.json).toMatchObject({ passed: true, code: 0 });
    expect(res.json.output).toContain('✔ exercise solved');
  });

  it('runs the script the stage’s own package.json names, not one a posted package.json names', async () => {
    const files = {
      'package.json': JSON.stringify({ type: 'module', scripts: { 'check:exercise': 'node exercise/cheat.ts' } }),
      'exercise/cheat.ts': "console.log('cheated'); process.exit(0);\n",
    };
    const res = await api(server, 'POST', '/checks', { stage: checkable, files });
    expect(res.json.passed).toBe(false);
    expect(res.json.output).not.toContain('cheated');
  });

  it('shows the workspace as ./, not this machine’s temp folder', async () => {
    const res = await api(server, 'POST', '/checks', { stage: checkable, files: answerIs(7) });
    expect(res.json.output).toContain('thrown at ./examples/03-checkable/exercise/check.ts');
    expect(res.json.output).not.toContain(project.tempRoot);
  });

  it('stops a check that takes too long and says so', async () => {
    const res = await api(server, 'POST', '/checks', { stage: checkable, files: answerIs(-1) });
    expect(res.json).toMatchObject({ passed: false, code: null });
    expect(res.json.output).toContain('did not finish within 2 s');
  });

  it('refuses a stage whose check is anything but `node <file>.ts`, and bad input', async () => {
    const shell = await api(server, 'POST', '/checks', { stage: '04-shell-check', files: {} });
    expect(shell.status).toBe(404);
    expect(shell.json.error.code).toBe('no_check');
    expect((await api(server, 'POST', '/checks', { stage: '01-fake', files: {} })).json.error.code).toBe('no_check');
    expect((await api(server, 'POST', '/checks', { stage: '../etc', files: {} })).json.error.code).toBe('bad_stage');
    expect((await api(server, 'POST', '/checks', { stage: checkable, files: { '../escape.ts': '' } })).json.error.code).toBe('bad_path');
    expect((await api(server, 'POST', '/checks', { stage: '09-missing', files: {} })).json.error.code).toBe('unknown_stage');
    expect((await api(server, 'GET', '/checks')).status).toBe(405);
    const noToken = await call(server.port, { method: 'POST', path: '/__runner/checks', body: { stage: checkable, files: {} } });
    expect(noToken.status).toBe(401);
  });
});

describe('checkScriptFile', () => {
  it('accepts only `node <path>.ts` inside the stage', () => {
    expect(checkScriptFile('node exercise/check.ts')).toBe('exercise/check.ts');
    expect(checkScriptFile('node ../../check.ts')).toBeUndefined();
    expect(checkScriptFile('node exercise/../../check.ts')).toBeUndefined();
    expect(checkScriptFile('node ./check.ts')).toBeUndefined();
    expect(checkScriptFile('node /tmp/check.ts')).toBeUndefined();
    expect(checkScriptFile('node exercise/check.ts; rm -rf ~')).toBeUndefined();
    expect(checkScriptFile('npx tsx exercise/check.ts')).toBeUndefined();
    expect(checkScriptFile(undefined)).toBeUndefined();
  });
});
