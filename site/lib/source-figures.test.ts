import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeValue, countLines, countMatchingLines, readConstant, renderCodeValue } from './source-figures.ts';
import { stageDir } from './stages.ts';

describe('figures read from the stages', () => {
  it('counts matching lines as grep -cF does', () => {
    const text = 'unitPriceCents * line.quantity';
    const file = join(stageDir('01-single-file'), 'src/shop.ts');
    expect(countMatchingLines('01-single-file', 'src/shop.ts', text)).toBe(Number(execFileSync('grep', ['-cF', text, file], { encoding: 'utf8' })));
    const folder = join(stageDir('02-ports-and-adapters'), 'src');
    const perFile = execFileSync('grep', ['-rcF', text, folder], { encoding: 'utf8' }).trim().split('\n');
    expect(countMatchingLines('02-ports-and-adapters', 'src', text)).toBe(perFile.reduce((sum, line) => sum + Number(line.split(':').at(-1)), 0));
    expect(() => countMatchingLines('01-single-file', 'src/shop.ts', 'no line says this')).toThrow('the prose that quotes this search is out of date');
  });

  it('counts lines of several files and folders as wc -l does', () => {
    const stage = '12-running-it-for-real';
    const paths = ['Dockerfile', 'compose.yaml', 'deploy', 'k8s'];
    const total = execFileSync('sh', ['-c', 'find Dockerfile compose.yaml deploy k8s -type f -exec cat {} + | wc -l'], { cwd: stageDir(stage), encoding: 'utf8' });
    expect(countLines(stage, paths)).toBe(Number(total.trim()));
  });

  it('reads a number from a const or a setting, and says when there is none', () => {
    expect(readConstant('01-single-file', 'src/shop.ts', 'CARD_LIMIT_CENTS')).toBe(500_000);
    expect(readConstant('07-surviving-the-network', 'src/adapters/http-payments.ts', 'capMs')).toBe(1_000);
    expect(() => readConstant('01-single-file', 'src/shop.ts', 'NO_SUCH_NUMBER')).toThrow('gives NO_SUCH_NUMBER no number');
  });

  it('reads the default of a setting: a fallback after ??, or what the environment gets when it says nothing', () => {
    expect(readConstant('10-scaling-out', 'src/shared/job-worker.ts', 'pollMs')).toBe(250);
    expect(readConstant('10-scaling-out', 'src/worker-main.ts', 'SEND_MS')).toBe(1_500);
    expect(readConstant('10-scaling-out', 'src/worker-main.ts', 'LEASE_MS')).toBe(5_000);
    expect(() => readConstant('10-scaling-out', 'src/worker-main.ts', 'NO_SUCH_SETTING')).toThrow('gives NO_SUCH_SETTING no number');
  });

  it('reads a setting written inline, { name: 200, … }', () => {
    expect(readConstant('11-gateway-and-observability', 'src/observability/tracing.ts', 'scheduledDelayMillis')).toBe(200);
    expect(readConstant('11-gateway-and-observability', 'src/observability/tracing.ts', 'exportTimeoutMillis')).toBe(2_000);
  });

  it('adds constants of one file or several for a time made of them, then scales and renders it', () => {
    const stage = '07-surviving-the-network';
    const file = 'src/adapters/http-payments.ts';
    expect(codeValue({ stage, file, name: 'timeoutMs' })).toBe(3_000);
    expect(codeValue({ stage, file, name: 'timeoutMs', plus: 'breakerCooldownMs' })).toBe(8_000);
    expect(codeValue({ stage, file, name: 'timeoutMs', plus: 'breakerCooldownMs src/modules/orders/ask-again.ts:everyMs', times: 0.001 })).toBe(9);
    expect(renderCodeValue({ stage, file, name: 'breakerCooldownMs', plus: 'src/modules/orders/ask-again.ts:everyMs', times: 0.001, unit: 's' })).toBe('6 s');
    expect(renderCodeValue({ stage, file, name: 'capMs', unit: 'ms' })).toBe('1,000 ms');
    expect(() => codeValue({ stage, file, name: 'timeoutMs', plus: 'src/modules/orders/ask-again.ts:noSuchMs' })).toThrow('ask-again.ts gives noSuchMs no number');
  });
});
