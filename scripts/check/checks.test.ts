// Each quality gate is shown to fail on a planted fault, so a green `npm run check` means something.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkAccessibility, pagesToCheck } from './accessibility.ts';
import { checkExamplesCompat, http2AtStart } from './examples-compat.ts';
import { checkExcerpts } from './excerpts.ts';
import { checkTrackedFileSizes } from './file-sizes.ts';
import { checkImportCircles } from './import-circles.ts';
import { checkLinks } from './links.ts';

const temps: string[] = [];
function tree(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'check-'));
  temps.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const page = (body: string) => `<!doctype html><html lang="en"><head><title>t</title></head><body><main>${body}</main></body></html>`;

describe('links and anchors', () => {
  it('passes when every link and anchor exists', () => {
    const dist = tree({ 'index.html': page('<a href="/a/#here">a</a>'), 'a/index.html': page('<h2 id="here">x</h2>') });
    expect(checkLinks(dist).problems).toEqual([]);
  });

  it('reports a missing page and a missing anchor', () => {
    const dist = tree({ 'index.html': page('<a href="/gone/">x</a><a href="/a/#nowhere">y</a>'), 'a/index.html': page('') });
    expect(checkLinks(dist).problems).toEqual(['/ links to /gone/: no such page', '/ links to /a/#nowhere: no element with id "nowhere" on that page']);
  });
});

describe('import circles', () => {
  it('reports a circle once, type-only and dynamic imports included, and passes without one', async () => {
    const root = tree({
      'site/a.ts': "import type { B } from './b.ts';\nexport type A = B;\n",
      'site/b.ts': "export type B = string;\nexport const load = () => import('./c.ts');\n",
      'site/c.ts': "import type { A } from './a.ts';\nexport const c: A = '';\n",
      'server/free.ts': "import { c } from '../site/c.ts';\nexport const d = c;\n",
    });
    expect((await checkImportCircles(root)).problems).toEqual(['import circle: site/a.ts -> site/b.ts -> site/c.ts -> site/a.ts']);
    writeFileSync(join(root, 'site/c.ts'), "export const c = '';\n");
    expect((await checkImportCircles(root)).problems).toEqual([]);
  });
});

describe('tracked file sizes', () => {
  it('reports a committed file over 1 MB', () => {
    const repo = tree({ 'small.txt': 'ok', 'big.bin': Buffer.alloc(1024 * 1024 + 1) });
    execFileSync('git', ['init', '-q'], { cwd: repo });
    execFileSync('git', ['add', '.'], { cwd: repo });
    expect(checkTrackedFileSizes(repo).problems).toEqual(['big.bin is 1.0 MB; build it instead of committing it']);
  });
});

describe('examples run in WebContainer', () => {
  const lock = (extra: object) => JSON.stringify({ packages: { 'examples/01-x': { dependencies: { dep: '1' } }, 'node_modules/dep': { dependencies: {} }, ...extra } });

  it('passes erasable TypeScript with pure-JS dependencies', () => {
    const root = tree({ 'package-lock.json': lock({}), 'examples/01-x/package.json': '{"scripts":{"start":"node src/main.ts"}}', 'examples/01-x/src/main.ts': 'const a: number = 1;\n', 'node_modules/dep/index.js': 'module.exports = 1;' });
    expect(checkExamplesCompat(root).problems).toEqual([]);
  });

  it('reports enums, install scripts, native binaries and run-time tools', () => {
    const root = tree({
      'package-lock.json': lock({ 'node_modules/dep': { hasInstallScript: true } }),
      'examples/01-x/package.json': '{"scripts":{"start":"tsx src/main.ts"}}',
      'examples/01-x/src/main.ts': 'enum Colour { Red }\n',
      'node_modules/dep/addon.node': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0]),
    });
    const problems = checkExamplesCompat(root).problems.join('\n');
    expect(problems).toContain('script "start" needs a tool or an install at run time');
    expect(problems).toContain('examples/01-x/src/main.ts: not erasable TypeScript');
    expect(problems).toContain('node_modules/dep runs an install script');
    expect(problems).toContain('node_modules/dep/addon.node is a native binary');
  });
});

describe('examples that need node:http2', () => {
  it('finds a static import of a module that loads node:http2, not a type-only or a lazy one', () => {
    expect(http2AtStart("import { createGrpcTransport } from '@connectrpc/connect-node';\nimport http2 from 'node:http2';")).toEqual(['@connectrpc/connect-node', 'node:http2']);
    expect(http2AtStart("import * as h2 from 'http2';\nconst grpc = require('@grpc/grpc-js');\nexport { x } from '@connectrpc/connect-node';")).toEqual(['http2', '@grpc/grpc-js', '@connectrpc/connect-node']);
    expect(http2AtStart("import type { Http2Session } from 'node:http2';\nconst h2 = await import('node:http2');\nimport { createClient } from '@connectrpc/connect';")).toEqual([]);
  });

  it('reports it in a stage\'s src/, and leaves its tests alone', () => {
    const lock = JSON.stringify({ packages: { 'examples/13-x': { dependencies: {} } } });
    const root = tree({
      'package-lock.json': lock,
      'examples/13-x/package.json': '{}',
      'examples/13-x/src/rpc.ts': "import { createGrpcTransport } from '@connectrpc/connect-node';\n",
      'examples/13-x/test/interop.test.ts': "import * as grpc from '@grpc/grpc-js';\n",
    });
    const problems = checkExamplesCompat(root).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('examples/13-x/src/rpc.ts: imports @connectrpc/connect-node as it starts, which loads node:http2');
  });

  it('finds nothing in the stages as they are', () => {
    const project = join(import.meta.dirname, '../..');
    expect(checkExamplesCompat(project).problems.filter((p) => p.includes('node:http2'))).toEqual([]);
  });
});

describe('excerpts', () => {
  const shop = readFileSync(new URL('../../examples/01-single-file/src/shop.ts', import.meta.url), 'utf8');
  const pasted = shop.split('\n').filter((l) => l.trim().length >= 25 && !l.trim().startsWith('//')).slice(10, 14).join('\n');

  it('reports a missing region and a pasted copy of example code', () => {
    const chapters = tree({
      '01-x.mdx': `Text\n\n<Excerpt stage="01-single-file" file="src/shop.ts" region="missing-one" />\n\n\`\`\`ts\n${pasted}\n\`\`\`\n`,
    });
    const problems = checkExcerpts(chapters).problems.join('\n');
    expect(problems).toContain('region "missing-one" not found');
    expect(problems).toContain('block repeats example code');
  });

  it('passes real excerpts and code of the chapter’s own', () => {
    const chapters = tree({ '01-x.mdx': '<Excerpt stage="01-single-file" file="src/shop.ts" region="routes" />\n\n```ts\nconst mine = "not from the examples at all";\n```\n' });
    expect(checkExcerpts(chapters).problems).toEqual([]);
  });
});

describe('accessibility', () => {
  it('checks every page but the comparisons of stages that are not neighbours (the widest pair stays) and the stage pages between the first and the last', () => {
    const compare = (a: number, b: number) => `/compare/0${a}-s${a}/0${b}-s${b}/`;
    const stages = ['/stages/01-s1/', '/stages/02-s2/', '/stages/03-s3/', '/stages/04-s4/'];
    const paths = ['/', '/chapters/01-x/', '/compare/', '/compare/01-s1/', compare(1, 2), compare(1, 3), compare(1, 4), compare(2, 3), compare(2, 4), compare(3, 4), ...stages];
    expect(pagesToCheck(paths)).toEqual(['/', '/chapters/01-x/', '/compare/', '/compare/01-s1/', compare(1, 2), compare(1, 4), compare(2, 3), compare(3, 4), '/stages/01-s1/', '/stages/04-s4/']);
  });

  it('reports an image without alternative text, and text too faint in the dark theme only', async () => {
    const faintInDark = '<style>@media (prefers-color-scheme: dark) { body { background: #222; color: #444; } }</style>';
    const dist = tree({ 'index.html': page(`${faintInDark}<h1>Hi</h1><p>Some words</p><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">`) });
    const problems = (await checkAccessibility(dist)).problems;
    expect(problems.filter((p) => p.includes(': image-alt:'))).toEqual([expect.stringMatching(/^\/ \(light\): image-alt/)]);
    expect(problems.filter((p) => p.includes(': color-contrast:'))).toEqual([expect.stringMatching(/^\/ \(dark\): color-contrast/)]);
  });
});
