import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

const frontmatter = (stage: string) => `---\ntitle: Broken chapter\nsummary: A chapter that must not build.\nstage: ${stage}\ngoals: [See the build fail]\nminutes: 1\n---\n`;

// Each chapter is built on its own (one broken chapter per build, the rest of the real site
// beside it). The excerpt chapters are numbered 00 so they are the first chapters rendered: the
// build stops at them instead of rendering the real chapters first.
const chapters = {
  lostStage: { file: '97-lost.mdx', text: `${frontmatter('42-nowhere')}\nText.\n` },
  missingRegion: { file: '00-broken-region.mdx', text: `${frontmatter('01-single-file')}\n<Excerpt stage="01-single-file" file="src/shop.ts" region="no-such-region" />\n` },
  missingFile: { file: '00-broken-file.mdx', text: `${frontmatter('01-single-file')}\n<Excerpt stage="01-single-file" file="src/gone.ts" region="x" />\n` },
  // A planted drift: a number typed into the prose that is not what measurements.json says.
  driftedFigure: {
    file: '00-drifted-figure.mdx',
    text: `${frontmatter('01-single-file')}\nRun → Ready took <Measured figure="run-ready/01-single-file/ready-median">0 ms</Measured>.\n`,
  },
};
type Case = keyof typeof chapters;
interface Outcome {
  failed: boolean;
  message: string;
}

// One copy of the site and one process for the three builds: Astro and Vite load once. Every build
// is still the whole site through Astro's build(), the function the `astro build` command calls.
let copy: string;
let builder: ChildProcess;
const outcomes = new Map<Case, Promise<Outcome>>();

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'broken-site-'));
  for (const part of ['site', 'chapters', 'public', 'deploy', 'astro.config.mjs', 'measurements.json', 'package.json', 'tsconfig.json']) cpSync(join(root, part), join(copy, part), { recursive: true });
  for (const shared of ['node_modules', 'examples']) symlinkSync(join(root, shared), join(copy, shared));

  const order = Object.keys(chapters) as Case[];
  // Without vitest's NODE_ENV=test, as `npm run build` runs it.
  const { NODE_ENV: _test, ...env } = process.env;
  builder = fork(join(root, 'tests/build/build-each-chapter.ts'), [copy, JSON.stringify(order.map((name) => chapters[name]))], { cwd: copy, env, execArgv: [], stdio: 'pipe' });
  let log = '';
  builder.stdout!.on('data', (chunk) => (log += chunk));
  builder.stderr!.on('data', (chunk) => (log += chunk));
  const settle = new Map<Case, { resolve: (outcome: Outcome) => void; reject: (error: Error) => void }>();
  for (const name of order) {
    const outcome = new Promise<Outcome>((resolve, reject) => settle.set(name, { resolve, reject }));
    // Handled by the test that awaits it; this keeps an early exit from reading as an unhandled rejection.
    outcome.catch(() => {});
    outcomes.set(name, outcome);
  }
  builder.on('message', ({ index, ...outcome }: Outcome & { index: number }) => settle.get(order[index]!)!.resolve(outcome));
  // A builder that dies early fails the builds it never reported, with its output to show why.
  builder.on('exit', (code) => {
    for (const { reject } of settle.values()) reject(new Error(`the builder exited (${code}) before reporting:\n${log}`));
  });
});

afterAll(async () => {
  // The builder is exiting by now, or was left mid-build by a failed test: either way it is stopped
  // and waited for, so the copy is out of use before it goes.
  if (builder.exitCode === null && builder.signalCode === null) {
    const exited = once(builder, 'exit');
    builder.kill();
    await exited;
  }
  rmSync(copy, { recursive: true, force: true });
});

describe('the build refuses broken content', () => {
  it('fails on an excerpt of a region that does not exist, naming it', async () => {
    const { failed, message } = await outcomes.get('missingRegion')!;
    expect(failed).toBe(true);
    expect(message).toContain('region "no-such-region" not found in examples/01-single-file/src/shop.ts');
  });

  it('fails on an excerpt of a file that does not exist', async () => {
    const { failed, message } = await outcomes.get('missingFile')!;
    expect(failed).toBe(true);
    expect(message).toContain('excerpt file not found: examples/01-single-file/src/gone.ts');
  });

  it('fails on a measured figure typed into the prose that drifted from measurements.json', async () => {
    const { failed, message } = await outcomes.get('driftedFigure')!;
    expect(failed).toBe(true);
    expect(message).toMatch(/the prose says "0 ms" for run-ready\/01-single-file\/ready-median, but measurements.json gives [\d,]+ ms/);
  });

  it('fails on a chapter whose stage folder is missing, naming chapter and stage', async () => {
    const { failed, message } = await outcomes.get('lostStage')!;
    expect(failed).toBe(true);
    expect(message).toContain('97-lost');
    expect(message).toContain('stage folder examples/42-nowhere/ does not exist');
  });
});
