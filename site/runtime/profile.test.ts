import { describe, expect, it } from 'vitest';
import { chooseProfile, deviceFacts } from './profile.ts';

const desktopChrome = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';
const androidChrome = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Mobile Safari/537.36';
const iPhone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1';
const iPadAsMac = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15';

describe('chooseProfile', () => {
  it('runs the full stage on a desktop with memory to spare, or one that does not say', () => {
    expect(chooseProfile({ deviceMemoryGiB: 8, mobile: false })).toEqual({ name: 'full', env: {}, note: undefined });
    expect(chooseProfile({ deviceMemoryGiB: undefined, mobile: false }).name).toBe('full');
  });

  it('asks for the small profile at 4 GB or less, and says why in Output', () => {
    for (const deviceMemoryGiB of [4, 2, 0.5]) {
      const profile = chooseProfile({ deviceMemoryGiB, mobile: false });
      expect(profile.env).toEqual({ SHOP_PROFILE: 'small' });
      expect(profile.note).toContain(`reports ${deviceMemoryGiB} GB of memory`);
    }
  });

  it('always asks for the small profile on a phone or tablet, whatever its memory', () => {
    const profile = chooseProfile({ deviceMemoryGiB: 8, mobile: true });
    expect(profile.env).toEqual({ SHOP_PROFILE: 'small' });
    expect(profile.note).toMatch(/phone or tablet.*one shop and one worker/);
  });
});

describe('deviceFacts', () => {
  it('reads navigator.deviceMemory, and leaves it out where the browser does not tell', () => {
    expect(deviceFacts({ navigator: { userAgent: desktopChrome, deviceMemory: 4 } })).toEqual({ deviceMemoryGiB: 4, mobile: false });
    expect(deviceFacts({ navigator: { userAgent: desktopChrome } }).deviceMemoryGiB).toBeUndefined();
  });

  it('knows a phone or tablet by iOS, by userAgentData.mobile, or by its user agent', () => {
    expect(deviceFacts({ navigator: { userAgent: iPhone } }).mobile).toBe(true);
    expect(deviceFacts({ navigator: { userAgent: iPadAsMac, maxTouchPoints: 5 } }).mobile).toBe(true);
    expect(deviceFacts({ navigator: { userAgent: iPadAsMac, maxTouchPoints: 0 } }).mobile).toBe(false);
    expect(deviceFacts({ navigator: { userAgent: androidChrome } }).mobile).toBe(true);
    expect(deviceFacts({ navigator: { userAgent: desktopChrome, userAgentData: { mobile: true } } }).mobile).toBe(true);
  });
});
