// `npm start` rebuilds the site only when what the build reads changed: the tracked sources
// (and files a reader added beside them) and the lockfile, never a folder's time.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { filesByGit, filesByWalking, needsRebuild, recordBuild, sourcesFingerprint } from './rebuild.ts';

const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const write = (root: string, path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};

/** A small copy of the project's layout, built a minute ago; with or without git. */
function builtProject(withGit: boolean): string {
  const root = mkdtempSync(join(tmpdir(), 'rebuild-'));
  temps.push(root);
  write(root, '.gitignore', 'node_modules/\ndist/\n*.log\n');
  write(root, 'package.json', '{"name":"p"}\n');
  write(root, 'package-lock.json', '{"lockfileVersion":3}\n');
  write(root, 'astro.config.mjs', 'export default {};\n');
  write(root, 'chapters/01-single-file.mdx', '# One\n');
  write(root, 'site/pages/index.astro', '<p>home</p>\n');
  write(root, 'examples/05-events-and-outbox/.gitignore', '# the database when run from here\n.data/\n');
  write(root, 'examples/05-events-and-outbox/src/shop.ts', 'export {};\n');
  write(root, 'examples/05-events-and-outbox/package.json', '{"scripts":{"start":"node src/shop.ts"}}\n');
  if (withGit) {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'ignore' });
    git('init', '-q');
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'sources');
  }
  // The build ran a minute after the sources were written, and the next steps come later still.
  const minuteAgo = new Date(Date.now() - 60_000);
  const twoMinutesAgo = new Date(Date.now() - 120_000);
  for (const path of ['.', ...readdirSync(root, { recursive: true, encoding: 'utf8' })]) utimesSync(join(root, path), twoMinutesAgo, twoMinutesAgo);
  write(root, 'dist/index.html', '<p>built</p>\n');
  utimesSync(join(root, 'dist/index.html'), minuteAgo, minuteAgo);
  recordBuild(root, sourcesFingerprint(root));
  return root;
}

for (const withGit of [true, false]) {
  describe(`deciding to rebuild, ${withGit ? 'in a git checkout' : 'without git (an unpacked archive)'}`, () => {
    it('does not rebuild when a stage that ran from its folder made its ignored data folder', () => {
      const root = builtProject(withGit);
      expect(needsRebuild(root).rebuild).toBe(false);
      write(root, 'examples/05-events-and-outbox/.data/pgdata/PG_VERSION', '17\n');
      write(root, 'examples/05-events-and-outbox/node_modules/.package-lock.json', '{}\n');
      write(root, 'npm-debug.log', 'noise\n');
      expect(needsRebuild(root)).toMatchObject({ rebuild: false, reason: 'the sources and the lockfile are as at the last build' });
    });

    it('rebuilds when a source, the lockfile, or the set of files changed', () => {
      const cases: [string, (root: string) => void][] = [
        ['a changed source', (root) => write(root, 'examples/05-events-and-outbox/src/shop.ts', 'export const changed = 1;\n')],
        ['a changed lockfile', (root) => write(root, 'package-lock.json', '{"lockfileVersion":3,"packages":{}}\n')],
        ['a new file beside the sources', (root) => write(root, 'chapters/02-modules.mdx', '# Two\n')],
        ['a deleted source', (root) => unlinkSync(join(root, 'site/pages/index.astro'))],
      ];
      for (const [what, change] of cases) {
        const root = builtProject(withGit);
        change(root);
        expect(needsRebuild(root).rebuild, what).toBe(true);
      }
    });

    it('builds when there is no built site', () => {
      const root = builtProject(withGit);
      rmSync(join(root, 'dist'), { recursive: true });
      expect(needsRebuild(root)).toMatchObject({ rebuild: true, reason: 'no built site yet' });
    });
  });
}

describe('the files the decision reads', () => {
  it('are the same in this project with git and by walking its folders', () => {
    const project = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
    const byGit = filesByGit(project);
    expect(byGit?.length).toBeGreaterThan(500);
    // Tracked files deleted in this checkout are listed by git only.
    expect(filesByWalking(project).sort()).toEqual(byGit!.filter((path) => existsSync(join(project, path))).sort());
  });
});
