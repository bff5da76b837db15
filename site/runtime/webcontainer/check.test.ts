// The exercise check in the WebContainer adapter, against the fake WebContainer: which command
// runs where, with which files, and how its exit becomes a verdict.
import { describe, expect, it } from 'vitest';
import type { FileMap } from '../port.ts';
import { createFakeApi, type SpawnHandler } from '../testing/fake-webcontainer.ts';
import { createWebContainerRuntime } from '../webcontainer.ts';

const contract: FileMap = { 'src/launch.ts': 'export {};\n' };
const stage: FileMap = {
  'package.json': JSON.stringify({ scripts: { start: 'node src/start.ts', 'check:exercise': 'node exercise/check.ts' } }),
  'src/answer.ts': 'export const answer = 41;\n',
  'exercise/check.ts': '// reads src/answer.ts\n',
};

const site = (async (input: RequestInfo | URL) => {
  const url = String(input);
  if (url === '/runtime/manifest.json') return Response.json({ deps: { file: 'deps.bin', files: 0 } });
  if (url === '/runtime/files/contract.json') return Response.json({ files: contract });
  return new Response('not found', { status: 404 });
}) as typeof fetch;

/** `node exercise/check.ts` that judges the answer it finds in the container's files. */
const judging: SpawnHandler = async (process, container) => {
  const answer = container.fs.text(`${process.options.cwd}/src/answer.ts`) ?? '';
  if (answer.includes('42')) {
    process.print('✔ exercise solved\r\n');
    process.finish(0);
  } else {
    process.print('✘ exercise not solved yet: the answer is not 42\r\n');
    process.finish(1);
  }
};

function setup(handler: SpawnHandler = judging, startTimeoutMs = 5_000) {
  const fake = createFakeApi();
  fake.container.handle('node', handler);
  const runtime = createWebContainerRuntime({ api: fake.api, fetch: site, facts: { isolated: true, missing: [], ios: false }, baseUrl: '/', startTimeoutMs });
  return { ...fake, runtime };
}

describe('an exercise check in the WebContainer', () => {
  it('runs `node exercise/check.ts` in a workspace of its own with the reader’s files, and fails with the check’s words', async () => {
    const { runtime, container } = setup();
    let output = '';
    const result = await runtime.check!('main', '07-x', stage, { output: (text) => (output += text) });
    expect(result).toMatchObject({ passed: false, code: 1 });
    expect(output).toContain('✘ exercise not solved yet: the answer is not 42');
    const node = container.spawned.find((p) => p.command === 'node' && p.args[0] === 'exercise/check.ts');
    expect(node?.args).toEqual(['exercise/check.ts']);
    expect(node?.options.cwd).toBe('slots/main-check/examples/07-x');
    // The contract sits beside the stage, as in the repo, and the running slot is not touched.
    expect(container.fs.text('slots/main-check/examples/contract/src/launch.ts')).toBe(contract['src/launch.ts']);
    expect(container.fs.text('slots/main/examples/07-x/src/answer.ts')).toBeUndefined();
  });

  it('passes once the edited files solve it', async () => {
    const { runtime } = setup();
    await runtime.check!('main', '07-x', stage, { output: () => {} });
    const result = await runtime.check!('main', '07-x', { ...stage, 'src/answer.ts': 'export const answer = 42;\n' }, { output: () => {} });
    expect(result).toMatchObject({ passed: true, code: 0 });
    expect(result.output).toContain('✔ exercise solved');
  });

  it('stops a check that does not end and says so', async () => {
    const { runtime, container } = setup(() => {}, 200);
    const result = await runtime.check!('main', '07-x', stage, { output: () => {} });
    expect(result).toMatchObject({ passed: false, code: null });
    expect(result.output).toMatch(/did not finish within/);
    expect(container.spawned.find((p) => p.command === 'node' && p.args[0] === 'exercise/check.ts')?.killed).toBe(true);
  });

  it('runs nothing when package.json names no `node <file>.ts` check', async () => {
    const { runtime, container } = setup();
    const files = { ...stage, 'package.json': JSON.stringify({ scripts: { 'check:exercise': 'rm -rf / && node exercise/check.ts' } }) };
    await expect(runtime.check!('main', '07-x', files, { output: () => {} })).rejects.toMatchObject({ name: 'RuntimeError', message: expect.stringMatching(/no exercise check/) });
    expect(container.spawned).toEqual([]);
  });
});
