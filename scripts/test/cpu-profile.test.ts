import { describe, expect, it } from 'vitest';
import { cpuByScript, scriptOf } from './cpu-profile.ts';

describe('the CPU profile of npm test', () => {
  it('names a stage process by its script within the stage, whichever copy of the stage ran it', () => {
    expect(scriptOf(['/work/examples/10-scaling-out/src/database-main.ts'])).toBe('src/database-main.ts');
    expect(scriptOf(['/tmp/x/examples/07-surviving-the-network/test/faults.test.ts'])).toBe('test/faults.test.ts');
    expect(scriptOf(['/repo/node_modules/.bin/astro', 'build'])).toBe('astro');
    expect(scriptOf(['/repo/scripts/check.ts'])).toBe('scripts/check.ts');
  });

  it('adds up the processes of one script and puts the largest first', () => {
    const rows = cpuByScript([
      { argv: ['/a/examples/09-saga/src/main.ts'], user: 1, system: 0.5 },
      { argv: ['/a/examples/10-scaling-out/src/database-main.ts'], user: 4, system: 1 },
      { argv: ['/a/examples/09-saga/src/database-main.ts'], user: 2, system: 1 },
    ]);
    expect(rows.map((row) => [row.script, row.processes, row.cpu, row.system])).toEqual([
      ['src/database-main.ts', 2, 8, 2],
      ['src/main.ts', 1, 1.5, 0.5],
    ]);
  });
});
