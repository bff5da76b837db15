// The disk cache of strip-types.mjs: a process whose .ts files were all stripped before gets
// them from the cache without loading amaro, the code Node receives is amaro's to the
// character (so lines and columns stay), and a damaged or unusable cache only costs the time
// to strip again. Each process here gets a temp folder of its own (TMPDIR), so the cache the
// suites on this machine share is never touched.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { sampleApp, writeSampleApp } from './strip-fixture.ts';

const hook = fileURLToPath(new URL('../strip-types.mjs', import.meta.url));
const amaro = module.createRequire(import.meta.url)('amaro') as { transformSync(source: string, options: { mode: string }): { code: string } };

const dir = mkdtempSync(join(tmpdir(), 'strip-types-cache-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const app = join(dir, 'app');
mkdirSync(app);
writeSampleApp(app);

// Registered after the hook, so it runs first and sees what the hook hands to Node (the last
// hook registered is the first called). At exit it writes that code, and whether amaro is in
// require's cache, which is where the hook's createRequire puts it once loaded.
const probe = join(dir, 'probe.mjs');
writeFileSync(
  probe,
  `import module from 'node:module';
import { writeFileSync } from 'node:fs';
const require = module.createRequire(import.meta.url);
const sources = {};
module.registerHooks({
  load(url, context, nextLoad) {
    const result = nextLoad(url, context);
    if (url.endsWith('.ts')) sources[url.slice(url.lastIndexOf('/') + 1)] = String(result.source);
    return result;
  },
});
process.on('exit', () => {
  const amaroLoaded = Object.keys(require.cache).some((path) => /[\\\\/]amaro[\\\\/]/.test(path));
  writeFileSync(process.env.PROBE_OUT, JSON.stringify({ sources, amaroLoaded }));
});
`,
);

type Seen = { stdout: string; stderr: string; sources: Record<string, string>; amaroLoaded: boolean };

// One process with Node's stripping off, the hook, then the probe; `temp` is its os.tmpdir().
let runs = 0;
function run(temp: string, entry = join(app, 'main.ts')): Seen {
  const out = join(dir, `probe-${++runs}.json`);
  const env = { ...process.env, NODE_OPTIONS: '', TMPDIR: temp, TMP: temp, TEMP: temp, PROBE_OUT: out };
  const result = spawnSync(process.execPath, ['--no-experimental-strip-types', '--import', hook, '--import', probe, entry], { encoding: 'utf8', env });
  return { stdout: result.stdout, stderr: result.stderr, ...JSON.parse(readFileSync(out, 'utf8')) };
}

const stripped = { 'main.ts': amaro.transformSync(sampleApp['main.ts']!, { mode: 'strip-only' }).code, 'helper.ts': amaro.transformSync(sampleApp['helper.ts']!, { mode: 'strip-only' }).code };

// The program's output and stack trace, and Node got amaro's code for both files.
function assertRanAsStripped(seen: Seen) {
  assert.equal(seen.stdout, 'A-1\n', seen.stderr);
  assert.match(seen.stderr, /Error: failed a-1\n\s+at fail \(file:\/\/\S+main\.ts:6:9\)/);
  assert.deepEqual(seen.sources, stripped);
}

const cacheFiles = (temp: string) => readdirSync(temp, { recursive: true, encoding: 'utf8' }).map((name) => join(temp, name)).filter((path) => statSync(path).isFile());

let temps = 0;
const freshTemp = () => {
  const temp = join(dir, `tmp-${++temps}`);
  mkdirSync(temp);
  return temp;
};

describe('strip-types.mjs cache', () => {
  it("strips with amaro when the cache is cold and hands Node amaro's output unchanged", () => {
    const cold = run(freshTemp());
    assert.equal(cold.amaroLoaded, true, 'the probe must see amaro when the hook loads it');
    assertRanAsStripped(cold);
  });

  it('a second process whose files were stripped before never loads amaro, and runs the same', () => {
    const temp = freshTemp();
    run(temp);
    const warm = run(temp);
    assert.equal(warm.amaroLoaded, false);
    assert.equal(cacheFiles(temp).length, 2, 'one entry per stripped file');
    assertRanAsStripped(warm);
  });

  it('a damaged entry is stripped again, and replaced by a sound one', () => {
    const temp = freshTemp();
    run(temp);
    const entries = cacheFiles(temp);
    assert.equal(entries.length, 2);
    // Valid JavaScript that exports the same name: only a check of the entry can reject it.
    for (const entry of entries) writeFileSync(entry, 'export const shout = () => "damaged";\n');
    const damaged = run(temp);
    assert.equal(damaged.amaroLoaded, true);
    assertRanAsStripped(damaged);
    const repaired = run(temp);
    assert.equal(repaired.amaroLoaded, false);
    assertRanAsStripped(repaired);
  });

  it('an entry that cannot be read, or a cache that cannot be written, falls back to amaro', () => {
    const temp = freshTemp();
    run(temp);
    const [entry] = cacheFiles(temp);
    rmSync(entry!);
    mkdirSync(entry!); // a folder where the entry was: reading it fails, and so does the rename over it
    assertRanAsStripped(run(temp));
    assertRanAsStripped(run(temp));

    // A temp folder under a regular file: no cache folder can be made there.
    writeFileSync(join(dir, 'not-a-folder'), '');
    const nowhere = run(join(dir, 'not-a-folder', 'tmp'));
    assert.equal(nowhere.amaroLoaded, true);
    assertRanAsStripped(nowhere);
  });

  // A stage's supervisor strips first; the services it starts next load other files of the same
  // folder, and each would load amaro (about 20 MiB a process) if the cache lacked them.
  it("the first file stripped brings the rest of its folder into the cache, so another process of the folder never loads amaro", () => {
    const folder = join(dir, 'stage');
    mkdirSync(join(folder, 'services'), { recursive: true });
    writeSampleApp(folder);
    writeFileSync(join(folder, 'services', 'other.ts'), 'const n: number = 2;\nconsole.log(`other ${n}`);\n');
    // never stripped: packages ship JavaScript, and dot folders are data
    for (const skipped of ['node_modules/pkg', '.data']) {
      mkdirSync(join(folder, skipped), { recursive: true });
      writeFileSync(join(folder, skipped, 'x.ts'), 'export const x: number = 1;\n');
    }
    const temp = freshTemp();
    const first = run(temp, join(folder, 'main.ts'));
    assert.equal(first.amaroLoaded, true);
    assert.equal(cacheFiles(temp).length, 3, 'main.ts, helper.ts and services/other.ts');
    const service = run(temp, join(folder, 'services', 'other.ts'));
    assert.equal(service.stdout, 'other 2\n', service.stderr);
    assert.equal(service.amaroLoaded, false);
  });
});
