import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { savedToken } from './saved-token.ts';

const dir = mkdtempSync(join(tmpdir(), 'saved-token-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it.skipIf(process.platform === 'win32')('keeps one token in a file only this user can read, and replaces one others could read', () => {
  const file = join(dir, 'cache', 'runner-token');
  const first = savedToken(file);
  expect(first).toMatch(/^[0-9a-f]{64}$/);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(savedToken(file)).toBe(first);
  chmodSync(file, 0o644);
  const second = savedToken(file);
  expect(second).not.toBe(first);
  expect(readFileSync(file, 'utf8').trim()).toBe(second);
  expect(statSync(file).mode & 0o777).toBe(0o600);
});
