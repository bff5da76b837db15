import { describe, expect, it } from 'vitest';
import { assess, criteria, presets, scoresFromHash, scoresToHash, threshold, type Scores } from './decision.ts';

const scores = (scaling: number, team: number, deploy: number, compliance: number, communication: number) =>
  ({ scaling, team, deploy, compliance, communication }) as Scores;

describe('criteria', () => {
  it('are the five of the framework, each with three labelled levels', () => {
    expect(criteria.map((c) => c.id)).toEqual(['scaling', 'team', 'deploy', 'compliance', 'communication']);
    for (const c of criteria) {
      expect(c.levels).toHaveLength(3);
      expect(new Set(c.levels).size).toBe(3);
    }
  });
});

describe('assess', () => {
  it('keeps a module at 5 of 10 and extracts it at 6', () => {
    expect(threshold).toBe(6);
    const five = assess(scores(1, 1, 1, 1, 1));
    expect(five.total).toBe(5);
    expect(five.verdict).toBe('keep');
    expect(five.reasons[0]).toMatch(/5 of 10 is below the threshold of 6: 1 more point\b/);
    const six = assess(scores(1, 1, 1, 2, 1));
    expect(six.total).toBe(6);
    expect(six.verdict).toBe('extract');
    expect(six.reasons[0]).toBe('6 of 10 reaches the threshold of 6.');
  });

  it('adds every criterion to the total', () => {
    expect(assess(scores(0, 0, 0, 0, 0)).total).toBe(0);
    expect(assess(scores(2, 2, 2, 2, 2)).total).toBe(10);
    expect(assess(scores(2, 0, 1, 0, 2)).total).toBe(5);
  });

  it('warns instead of extracting a chatty module, however high its total', () => {
    const chatty = assess(scores(2, 2, 2, 2, 0));
    expect(chatty.total).toBe(8);
    expect(chatty.verdict).toBe('warning');
    expect(chatty.headline).toMatch(/chattiness/);
    expect(chatty.reasons.join(' ')).toMatch(/chatty.*network hop/);
    // One point more on communication lifts the warning.
    expect(assess(scores(2, 2, 2, 2, 1)).verdict).toBe('extract');
  });

  it('keeps a chatty module below the threshold and still says it is chatty', () => {
    const result = assess(scores(2, 1, 1, 1, 0));
    expect(result.verdict).toBe('keep');
    expect(result.reasons.join(' ')).toMatch(/chatty/);
  });

  it('names what the points came from', () => {
    const { reasons } = assess(scores(0, 2, 1, 0, 0));
    expect(reasons).toContain('Strong reasons: team ownership (a dedicated team).');
    expect(reasons).toContain('Partial reasons: deploy cadence (sometimes alone).');
    expect(assess(scores(0, 0, 0, 0, 0)).reasons).toContain('No criterion speaks for a split.');
  });

  it('refuses scores out of range, missing, unknown or not numbers', () => {
    expect(() => assess(scores(3, 0, 0, 0, 0))).toThrow(/scaling must be 0, 1 or 2/);
    expect(() => assess(scores(0, -1, 0, 0, 0))).toThrow(RangeError);
    expect(() => assess(scores(0, 0, 1.5, 0, 0))).toThrow(/deploy/);
    expect(() => assess({ ...scores(0, 0, 0, 0, 0), compliance: '1' } as unknown as Scores)).toThrow(/compliance/);
    const { communication: _, ...four } = scores(0, 0, 0, 0, 0);
    expect(() => assess(four as Scores)).toThrow(/missing score for communication/);
    expect(() => assess({ ...scores(0, 0, 0, 0, 0), latency: 2 } as unknown as Scores)).toThrow(/unknown criterion: latency/);
    expect(() => assess(null as unknown as Scores)).toThrow(TypeError);
  });
});

describe('presets', () => {
  it('score the four modules of the shop with one verdict of each kind', () => {
    const verdicts = Object.fromEntries(presets.map((p) => [p.id, assess(p.scores)]));
    expect(Object.keys(verdicts)).toEqual(['payments', 'inventory', 'notifications', 'orders']);
    expect(verdicts.payments).toMatchObject({ total: 6, verdict: 'extract' });
    expect(verdicts.inventory).toMatchObject({ total: 1, verdict: 'keep' });
    expect(verdicts.notifications).toMatchObject({ total: 5, verdict: 'keep' });
    expect(verdicts.orders).toMatchObject({ total: 6, verdict: 'warning' });
  });
});

describe('hash', () => {
  it('round-trips the scores', () => {
    const s = scores(1, 0, 2, 2, 1);
    expect(scoresToHash(s)).toBe('#scaling=1&team=0&deploy=2&compliance=2&communication=1');
    expect(scoresFromHash(scoresToHash(s))).toEqual(s);
  });

  it('keeps only known criteria with a level of 0, 1 or 2', () => {
    expect(scoresFromHash('#scaling=2&team=7&deploy=x&compliance=&latency=1&communication=01')).toEqual({ scaling: 2 });
    expect(scoresFromHash('')).toEqual({});
    expect(scoresToHash({})).toBe('');
    expect(scoresToHash({ team: 1 })).toBe('#team=1');
  });
});
