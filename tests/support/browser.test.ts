import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { findChromium, findTestChromium } from './browser.ts';

describe('the browser the tests drive', () => {
  let dir: string;
  let shell: string;
  let chosen: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'browser-'));
    shell = join(dir, 'chromium-headless-shell');
    chosen = join(dir, 'my-chrome');
    writeFileSync(shell, '');
    writeFileSync(chosen, '');
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('is the headless shell where there is one', () => {
    vi.stubEnv('CHROMIUM_PATH', '');
    expect(findTestChromium([join(dir, 'missing'), shell])).toBe(shell);
  });

  it('is the one CHROMIUM_PATH names, headless shell or not', () => {
    vi.stubEnv('CHROMIUM_PATH', chosen);
    expect(findTestChromium([shell])).toBe(chosen);
    expect(findChromium()).toBe(chosen);
  });

  it('is the desktop Chromium where there is no headless shell', () => {
    vi.stubEnv('CHROMIUM_PATH', '');
    // The path, or the message when the machine has no Chromium at all: either way the same.
    const outcome = (find: () => string | undefined) => {
      try {
        return find();
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(outcome(() => findTestChromium([join(dir, 'missing')]))).toBe(outcome(findChromium));
  });
});
