// The stats reader against a folder laid out like /proc, and once against the real one.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listProcesses, parseStat } from './proc.ts';
import { isLauncher, readRunStats, statsBelow } from './run-stats.ts';

const root = mkdtempSync(join(tmpdir(), 'm2d-proc-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** One process in the fake /proc: stat, status (with VmRSS unless it is a zombie) and cmdline. */
function fakeProcess(pid: number, ppid: number, command: string[], { rssKb = 1000, state = 'S', name = command[0] ?? '' } = {}) {
  const dir = join(root, String(pid));
  mkdirSync(dir);
  writeFileSync(join(dir, 'stat'), `${pid} (${name}) ${state} ${ppid} 100 100 0 -1 4194560 0 0`);
  writeFileSync(join(dir, 'status'), `Name:\t${name}\nState:\t${state}\n${state === 'Z' ? '' : `VmRSS:\t    ${rssKb} kB\n`}`);
  writeFileSync(join(dir, 'cmdline'), command.join('\0') + '\0');
}

// A run as the runner starts it: supervisor -> npm -> sh -> the stage's supervisor -> two
// services, one of which has ended but is not reaped yet; plus an unrelated process.
fakeProcess(100, 1, ['/usr/bin/node', '/srv/server/runner/supervisor.ts', '/tmp/m2d-run-x', 'npm', 'start'], { rssKb: 40_000 });
fakeProcess(101, 100, ['npm start'], { rssKb: 70_000, name: 'npm start' });
fakeProcess(102, 101, ['sh', '-c', 'node src/start.ts'], { rssKb: 1_500 });
fakeProcess(103, 102, ['node', 'src/start.ts'], { rssKb: 60_000 });
fakeProcess(104, 103, ['/usr/bin/node', 'src/main.ts'], { rssKb: 90_000, name: 'node (shop) )x' });
fakeProcess(105, 103, ['/usr/bin/node', 'src/payments-main.ts'], { state: 'Z' });
fakeProcess(200, 1, ['node', 'elsewhere.ts'], { rssKb: 5_000 });
mkdirSync(join(root, 'self')); // /proc has non-numeric entries too

describe('parseStat', () => {
  it('reads state, parent and group after the command name, even one with spaces and brackets', () => {
    expect(parseStat('42 (a) b)) R 7 42 42 0')).toEqual({ state: 'R', ppid: 7, pgrp: 42 });
  });
});

describe('run stats', () => {
  it('counts the stage’s own running processes below the supervisor and adds their memory', () => {
    expect(statsBelow(100, listProcesses(root))).toEqual({ processes: 2, rssBytes: (60_000 + 90_000) * 1024 });
  });

  it('leaves npm and the shell that runs the start script out', () => {
    expect(isLauncher('npm start')).toBe(true);
    expect(isLauncher('node /usr/lib/node_modules/npm/bin/npm-cli.js start')).toBe(true);
    expect(isLauncher('sh -c node src/shop.ts')).toBe(true);
    expect(isLauncher('/bin/sh -c node src/shop.ts')).toBe(true);
    expect(isLauncher('node src/shop.ts')).toBe(false);
    expect(isLauncher('node src/npm-like.ts')).toBe(false);
  });

  it('is null where there is no /proc to read, or no process yet', () => {
    expect(readRunStats(100, { platform: 'darwin', procRoot: root })).toBeNull();
    expect(readRunStats(100, { platform: 'linux', procRoot: join(root, 'missing') })).toBeNull();
    expect(readRunStats(undefined, { platform: 'linux', procRoot: root })).toBeNull();
    expect(readRunStats(100, { platform: 'linux', procRoot: root })).toEqual({ processes: 2, rssBytes: 150_000 * 1024 });
  });

  it.runIf(process.platform === 'linux')('reads the real /proc: this process’s parent sees it with memory', () => {
    const stats = readRunStats(process.ppid);
    expect(stats?.processes).toBeGreaterThan(0);
    expect(stats?.rssBytes).toBeGreaterThan(0);
  });
});
