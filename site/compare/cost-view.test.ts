import { describe, expect, it } from 'vitest';
import { costCells } from './cost-view.ts';
import { summarise } from './measure.ts';

describe('costCells', () => {
  const latency = summarise([2, 4, 4, 10]);

  it('shows what was measured', () => {
    expect(costCells({ latency, failed: 0, stats: { processes: 4, rssBytes: 300 * 1024 * 1024 } }, 'local')).toEqual({
      rps: '200', p50: '4.0 ms', p95: '10.0 ms', requests: '4', processes: '4', memory: '300 MB',
    });
  });

  it('says plainly what the runtime cannot measure, and never invents it', () => {
    const cells = costCells({ latency, failed: 2, stats: null }, 'webcontainer');
    expect(cells.processes).toBe('not measurable in WebContainer');
    expect(cells.memory).toBe('not measurable in WebContainer');
    expect(cells.requests).toBe('4 (2 without an answer)');
    expect(costCells({ latency, failed: 0, stats: null }, 'local').processes).toMatch(/not measurable here/);
    expect(costCells({ latency: summarise([]), failed: 7, stats: null }, 'local').rps).toBe('no answers');
  });
});
