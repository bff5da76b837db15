// Reads pass/fail counts out of the different test runners' output, so `npm test` can end
// with one line that adds up every suite.
export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

export const zero = (): Counts => ({ passed: 0, failed: 0, skipped: 0 });

export function add(a: Counts, b: Counts): Counts {
  return { passed: a.passed + b.passed, failed: a.failed + b.failed, skipped: a.skipped + b.skipped };
}

/** node --test prints a summary per run ("ℹ pass 12" with spec, "# pass 12" with TAP); sums them all. */
export function parseNodeTestSummaries(output: string): Counts | undefined {
  const counts = zero();
  let found = false;
  for (const match of output.matchAll(/^\s*(?:#|ℹ)\s+(pass|fail|skipped|todo|cancelled)\s+(\d+)\s*$/gm)) {
    found = true;
    const n = Number(match[2]);
    if (match[1] === 'pass') counts.passed += n;
    else if (match[1] === 'fail' || match[1] === 'cancelled') counts.failed += n;
    else counts.skipped += n;
  }
  return found ? counts : undefined;
}

/** A script of our own that ends with the plain "N passed, N failed" line. */
export function parsePlainSummary(output: string): Counts | undefined {
  const matches = [...output.matchAll(/^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/gm)];
  const last = matches.at(-1);
  return last ? { passed: Number(last[1]), failed: Number(last[2]), skipped: Number(last[3] ?? 0) } : undefined;
}

/** Vitest's JSON reporter file. */
export function parseVitestJson(json: string): Counts {
  const report = JSON.parse(json) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  return { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + report.numTodoTests };
}

/** Playwright's JSON reporter file: flaky tests passed on retry, so they count as passed. */
export function parsePlaywrightJson(json: string): Counts {
  const { stats } = JSON.parse(json) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };
  return { passed: stats.expected + stats.flaky, failed: stats.unexpected, skipped: stats.skipped };
}

export function summaryLine(c: Counts): string {
  return `${c.passed} passed, ${c.failed} failed` + (c.skipped ? `, ${c.skipped} skipped` : '');
}
