// `npm run check`: the quality gates a maintainer relies on to accept a pull request.
// Needs a built site (`npm run build`). Ends with "N passed, N failed" over the checks.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkAccessibility } from './check/accessibility.ts';
import { checkExamplesCompat } from './check/examples-compat.ts';
import { checkExcerpts } from './check/excerpts.ts';
import { checkTrackedFileSizes } from './check/file-sizes.ts';
import { checkImportCircles } from './check/import-circles.ts';
import { checkLinks } from './check/links.ts';
import { result, type CheckResult } from './check/report.ts';
import { checkStageDiffs } from './check/stage-diffs.ts';
import { checkQuotedFigures } from './check/quoted-figures.ts';
import { checkTypedFigures } from './check/typed-figures.ts';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');

function checkFrontmatter(): CheckResult {
  // astro sync validates every chapter against the content schema, without a full build.
  const sync = spawnSync(join(root, 'node_modules', '.bin', 'astro'), ['sync'], { cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  const output = (sync.stdout + sync.stderr).replace(/\u001b\[[0-9;]*m/g, '');
  return result('chapter frontmatter valid', sync.status === 0 ? [] : [output.trim().split('\n').slice(-15).join('\n')]);
}

const checks: (() => CheckResult | Promise<CheckResult>)[] = [
  checkFrontmatter,
  () => checkExcerpts(join(root, 'chapters')),
  () => checkTypedFigures(join(root, 'chapters')),
  () => checkQuotedFigures(join(root, 'chapters'), join(root, 'tests', 'e2e', 'lessons')),
  () => checkExamplesCompat(root),
  () => checkTrackedFileSizes(root),
  checkStageDiffs,
  () => checkImportCircles(root),
];
if (existsSync(join(dist, 'index.html'))) {
  checks.push(() => checkLinks(dist), () => checkAccessibility(dist));
} else {
  checks.push(() => result('built site present', ['dist/ is missing: run "npm run build" before "npm run check"']));
}

let passed = 0;
let failed = 0;
for (const check of checks) {
  const started = performance.now();
  const { name, problems, notes } = await check();
  // The time of each check, so that a slow `npm test` can be traced to one of them.
  console.log(`${problems.length ? '✘' : '✔'} ${name} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  for (const note of notes) console.log(`    ${note}`);
  for (const problem of problems) console.log(`    ✘ ${problem}`);
  if (problems.length) failed++;
  else passed++;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
