import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const copies: string[] = [];

/** Builds a copy of the site with one extra chapter and returns the build's exit code and output. */
function buildWith(chapterFile: string, chapter: string) {
  const dir = mkdtempSync(join(tmpdir(), 'broken-site-'));
  copies.push(dir);
  for (const part of ['site', 'chapters', 'public', 'deploy', 'astro.config.mjs', 'package.json', 'tsconfig.json']) cpSync(join(root, part), join(dir, part), { recursive: true });
  for (const shared of ['node_modules', 'examples']) symlinkSync(join(root, shared), join(dir, shared));
  writeFileSync(join(dir, 'chapters', chapterFile), chapter);
  const result = spawnSync(join(root, 'node_modules', '.bin', 'astro'), ['build'], { cwd: dir, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  // Astro colours its messages whatever FORCE_COLOR says; the assertions read plain text.
  return { code: result.status, output: (result.stdout + result.stderr).replace(/\u001b\[[0-9;]*m/g, '') };
}

const frontmatter = (stage: string) => `---\ntitle: Broken chapter\nsummary: A chapter that must not build.\nstage: ${stage}\ngoals: [See the build fail]\nminutes: 1\n---\n`;

afterEach(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the build refuses broken content', () => {
  it('fails on an excerpt of a region that does not exist, naming it', () => {
    const { code, output } = buildWith('98-broken.mdx', `${frontmatter('01-single-file')}\n<Excerpt stage="01-single-file" file="src/shop.ts" region="no-such-region" />\n`);
    expect(code).not.toBe(0);
    expect(output).toContain('region "no-such-region" not found in examples/01-single-file/src/shop.ts');
  });

  it('fails on an excerpt of a file that does not exist', () => {
    const { code, output } = buildWith('98-broken.mdx', `${frontmatter('01-single-file')}\n<Excerpt stage="01-single-file" file="src/gone.ts" region="x" />\n`);
    expect(code).not.toBe(0);
    expect(output).toContain('excerpt file not found: examples/01-single-file/src/gone.ts');
  });

  it('fails on a chapter whose stage folder is missing, naming chapter and stage', () => {
    const { code, output } = buildWith('97-lost.mdx', `${frontmatter('42-nowhere')}\nText.\n`);
    expect(code).not.toBe(0);
    expect(output).toContain('97-lost');
    expect(output).toContain('examples/42-nowhere/');
  });
});
