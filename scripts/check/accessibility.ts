// axe-core on every built page: every rule in the light theme, and in the dark theme the one
// rule a theme can break, colour contrast (a contrast problem often hides in one theme only).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { startSiteServer } from '../../server/main.ts';
import { newToken } from '../../server/runner/security.ts';
import { runnerCookieState } from '../../tests/support/runner-token.ts';
import { findTestChromium, launchChromium } from '../../tests/support/browser.ts';
import { result, type CheckResult } from './report.ts';

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: string[] }[];
}

function pagePaths(dist: string): string[] {
  const paths: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name === 'index.html') paths.push('/' + relative(dist, dir).split(sep).join('/') + (dir === dist ? '' : '/'));
    }
  };
  walk(dist);
  return paths.map((p) => p.replace('//', '/')).sort();
}

/**
 * Every page but some made by the same template as others that are checked:
 * - of the comparison pages (one per pair of stages, 78 for thirteen stages) the neighbouring
 *   pairs, which the chapters link to, and the widest pair; the others differ only in how long
 *   the diff is;
 * - of the stage pages (each every file of a stage, highlighted) the first and the last; the
 *   last has every kind of file the others have (TypeScript, SQL, JSON, YAML, Dockerfile ...),
 *   so every token colour, and the others only hold more or less of the same.
 */
export function pagesToCheck(paths: string[]): string[] {
  const pairs = paths.map((path) => /^\/compare\/(\d\d)-[^/]+\/(\d\d)-[^/]+\/$/.exec(path)).filter((m) => m !== null);
  const widest = Math.max(...pairs.map((m) => Number(m[2]) - Number(m[1])));
  const skipped = new Set(pairs.filter((m) => Number(m[2]) - Number(m[1]) !== 1 && Number(m[2]) - Number(m[1]) !== widest).map((m) => m[0]));
  const stages = paths.filter((path) => /^\/stages\/\d\d-[^/]+\/$/.test(path)).sort();
  for (const path of stages.slice(1, -1)) skipped.add(path);
  return paths.filter((path) => !skipped.has(path));
}

export async function checkAccessibility(dist: string): Promise<CheckResult> {
  const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // Pages as a reader's browser gets them from `npm start`: with the runner token.
  const token = newToken();
  const server = await startSiteServer({ port: 0, root: dist, runner: { token } });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const origin = `http://127.0.0.1:${port}`;
  const browser = await launchChromium(findTestChromium());
  const problems: string[] = [];
  const all = pagePaths(dist);
  const paths = pagesToCheck(all);
  // One load per page: every rule in the light theme, then the dark theme's contrast on the
  // same page (the themes are CSS media queries, so switching the emulated scheme restyles
  // the page at once). Loading each page again for the dark theme took half the check's time.
  const rulesOf = { light: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'], dark: ['color-contrast'] };
  try {
    const page = await browser.newPage({ storageState: runnerCookieState(port, token) });
    for (const path of paths) {
      await page.emulateMedia({ colorScheme: 'light' });
      await page.goto(origin + path);
      await page.addScriptTag({ content: axeSource });
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        const violations = await page.evaluate(async (runOnly) => {
          const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
          // Only violations are read; axe then skips listing every node that passed (the
          // accessibility check took 75 s with that list and 67 s without, on two cores).
          const report = await axe.run(document, { runOnly, resultTypes: ['violations'] });
          return report.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
        }, rulesOf[colorScheme]);
        for (const v of violations) {
          problems.push(`${path} (${colorScheme}): ${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
        }
      }
    }
    await page.close();
  } finally {
    await browser.close();
    server.close();
  }
  return result('accessibility (axe-core; contrast in light and dark)', problems, [`${paths.length} pages, in both themes (left out, as made by the same template: ${all.length - paths.length} comparisons of stages that are not neighbours and stage pages between the first and the last)`]);
}
