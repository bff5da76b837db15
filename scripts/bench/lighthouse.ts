// Lighthouse scores of a page, with the same Chromium the end-to-end tests use.
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { chromiumArgs, findChromium } from '../../tests/support/browser.ts';
import { median } from './run-ready.ts';

export type Scores = Record<'performance' | 'accessibility' | 'best-practices' | 'seo', number>;

const categories = ['performance', 'accessibility', 'best-practices', 'seo'] as const;

// A run that could not measure (Lighthouse's runtimeError, such as a page that never painted
// within its timeout on a busy machine) has null scores. Counting that as a score of 0 would
// report a slow page that is not slow, so such a run is repeated, and named if it keeps failing.
async function scoresOf(url: string, port: number, extraHeaders: Record<string, string>, attempts = 3): Promise<Scores> {
  let problem = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const result = await lighthouse(url, { port, output: 'json', logLevel: 'error', onlyCategories: [...categories], extraHeaders });
    const lhr = result?.lhr;
    const values = categories.map((id) => lhr?.categories[id]?.score);
    if (lhr && !lhr.runtimeError && values.every((v) => typeof v === 'number')) {
      return Object.fromEntries(categories.map((id, i) => [id, Math.round((values[i] as number) * 100)])) as Scores;
    }
    problem = lhr?.runtimeError ? `${lhr.runtimeError.code}: ${lhr.runtimeError.message}` : 'no scores in the report';
    console.warn(`  (Lighthouse attempt ${attempt} on ${url} measured nothing: ${problem})`);
  }
  throw new Error(`Lighthouse could not measure ${url} in ${attempts} attempts (${problem})`);
}

// One Lighthouse run's performance score moves by several points from run to run on the same
// page and machine (the home page scored 88, 99 and 95 in three runs in a row), so a page is
// measured `runs` times and each category scored by its median, as Lighthouse's own guidance
// on variability suggests.

/** `extraHeaders`: sent with every request, such as the runner's cookie. */
export async function lighthouseScores(urls: string[], runs = 5, extraHeaders: Record<string, string> = {}): Promise<Map<string, Scores>> {
  const chrome = await chromeLauncher.launch({
    chromePath: findChromium() ?? undefined,
    chromeFlags: ['--headless=new', ...chromiumArgs],
  });
  const scores = new Map<string, Scores>();
  try {
    for (const url of urls) {
      const measured: Scores[] = [];
      for (let run = 0; run < runs; run++) measured.push(await scoresOf(url, chrome.port, extraHeaders));
      scores.set(url, Object.fromEntries(categories.map((id) => [id, median(measured.map((m) => m[id]))])) as Scores);
    }
  } finally {
    chrome.kill();
  }
  return scores;
}
