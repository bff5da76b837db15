import { describe, expect, it } from 'vitest';
import { parseNodeTestSummaries, parsePlainSummary, parsePlaywrightJson, parseVitestJson, summaryLine } from './counts.ts';

describe('parseNodeTestSummaries', () => {
  it('sums spec and TAP summaries of several runs', () => {
    const output = ['ℹ tests 5', 'ℹ pass 4', 'ℹ fail 1', 'ℹ skipped 0', '# pass 3', '# fail 0', '# todo 2'].join('\n');
    expect(parseNodeTestSummaries(output)).toEqual({ passed: 7, failed: 1, skipped: 2 });
  });

  it('reports nothing when no summary was printed', () => {
    expect(parseNodeTestSummaries('Error: cannot find module')).toBeUndefined();
  });
});

describe('parsePlainSummary', () => {
  it('reads the last summary line of a script', () => {
    expect(parsePlainSummary('✔ a\n3 passed, 1 failed\nnoise\n5 passed, 0 failed, 2 skipped\n')).toEqual({ passed: 5, failed: 0, skipped: 2 });
    expect(parsePlainSummary('nothing here')).toBeUndefined();
  });
});

describe('report files', () => {
  it('reads Vitest counts', () => {
    expect(parseVitestJson('{"numPassedTests":3,"numFailedTests":1,"numPendingTests":1,"numTodoTests":0}')).toEqual({ passed: 3, failed: 1, skipped: 1 });
  });

  it('counts flaky Playwright tests as passed', () => {
    expect(parsePlaywrightJson('{"stats":{"expected":5,"unexpected":1,"flaky":1,"skipped":2}}')).toEqual({ passed: 6, failed: 1, skipped: 2 });
  });
});

describe('summaryLine', () => {
  it('mentions skipped tests only when there are some', () => {
    expect(summaryLine({ passed: 2, failed: 0, skipped: 0 })).toBe('2 passed, 0 failed');
    expect(summaryLine({ passed: 2, failed: 1, skipped: 3 })).toBe('2 passed, 1 failed, 3 skipped');
  });
});
