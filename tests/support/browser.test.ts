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
    vi.unstubAllEnvs();
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
    let desktop: string | undefined | Error;
    try {
      desktop = findChromium();
    } catch (error) {
      desktop = error as Error;
    }
    if (desktop instanceof Error) expect(() => findTestChromium([join(dir, 'missing')])).toThrow(desktop.message);
    else expect(findTestChromium([join(dir, 'missing')])).toBe(desktop);
  });
});
