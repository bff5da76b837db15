import { describe, expect, it } from 'vitest';
import { describeRun, findFigure, formatFigure, readMeasurements, renderFigure, type Measurements } from './measurements.ts';

const machine = { cpus: 2, cpuModel: 'test cpu', memoryBytes: 8 * 1024 ** 3, os: 'linux', node: 'v24.0.0', loadAverage: 0.5 };
const file: Measurements = {
  sections: {
    'run-ready': {
      command: 'npm run bench -- --only run-ready --record',
      date: '2026-12-07T00:00:00.000Z',
      machine,
      figures: {
        '09-saga/ready-median': { value: 6712, unit: 'ms' },
        '09-saga/rss': { value: 1.5 * 1024 ** 3, unit: 'bytes' },
        '09-saga/node-processes': { value: 9, unit: 'count' },
      },
    },
  },
};

describe('measurements.json figures', () => {
  it('formats a figure in the unit a sentence asks for', () => {
    const median = file.sections['run-ready']!.figures['09-saga/ready-median']!;
    expect(formatFigure(median)).toBe('6,712 ms');
    expect(formatFigure(median, { as: 's' })).toBe('6.7 s');
    expect(formatFigure(file.sections['run-ready']!.figures['09-saga/rss']!, { as: 'GB' })).toBe('1.50 GB');
    expect(formatFigure({ value: 1412, unit: 'bytes' }, { as: 'bytes' })).toBe('1,412 bytes');
    expect(() => formatFigure({ value: 30, unit: 'ms' }, { as: 'bytes' })).toThrow('a figure in ms cannot be shown as bytes');
    expect(formatFigure(file.sections['run-ready']!.figures['09-saga/node-processes']!)).toBe('9');
    expect(() => formatFigure(median, { as: 'GB' })).toThrow('a figure in ms cannot be shown as GB');
  });

  it('names the section or figure it cannot find', () => {
    expect(() => findFigure(file, 'load/09-saga/p99')).toThrow('measurements.json has no section "load"');
    expect(() => findFigure(file, 'run-ready/09-saga/p99')).toThrow('measurements.json has no figure "run-ready/09-saga/p99"');
  });

  it('accepts a typed number that says what the file says, and fails one that drifted', () => {
    expect(renderFigure(file, 'run-ready/09-saga/ready-median', { as: 's' }, ' 6.7 s ')).toBe('6.7 s');
    expect(() => renderFigure(file, 'run-ready/09-saga/ready-median', { as: 's' }, '19.9 s')).toThrow(
      'the prose says "19.9 s" for run-ready/09-saga/ready-median, but measurements.json gives 6.7 s',
    );
  });

  it('the real file says, for every section, what made it, when and on what machine', () => {
    const real = readMeasurements();
    expect(Object.keys(real.sections)).toContain('run-ready');
    for (const [name, section] of Object.entries(real.sections)) {
      expect(section.command, name).toMatch(/\S/);
      expect(Number.isNaN(Date.parse(section.date)), name).toBe(false);
      expect(section.machine.cpus, name).toBeGreaterThan(0);
      expect(section.machine.node, name).toMatch(/^v\d+/);
      for (const [key, figure] of Object.entries(section.figures)) {
        expect(Number.isFinite(figure.value), `${name}/${key}`).toBe(true);
        expect(['ms', 'bytes', 'count', 'per-s'], `${name}/${key}`).toContain(figure.unit);
      }
    }
  });
});

describe('describeRun', () => {
  it('says when, on how many CPUs and under what load', () => {
    expect(describeRun(file, 'run-ready')).toBe('on 7 December 2026, on 2 CPUs and 8 GB of memory under Node v24.0.0, with a load average of 0.5');
    expect(() => describeRun(file, 'load')).toThrow('no section "load"');
  });
});
