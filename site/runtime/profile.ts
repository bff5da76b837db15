// Which profile a stage runs with in the browser. In WebContainer every Node process of a stage
// lives in the reader's tab, and stages 10-13 start 13-14 of them. On a small device the
// adapter asks those stages for fewer copies with SHOP_PROFILE=small (one shop replica and one
// worker; see examples/10-scaling-out/src/replicas.ts): 10-11 processes. Measured on the Local
// runtime (npm start, one GET /products, RSS of the stage's Node processes summed), full ->
// small: stage 10 1.66 -> 1.17 GiB, stage 11 1.57 -> 1.32 GiB, stage 12 1.90 -> 1.34 GiB.
// The other stages ignore it. Pure, so it is tested without a browser; deviceFacts() reads
// the page's own navigator.
import { browserFacts } from './browser-facts.ts';

export interface DeviceFacts {
  /** navigator.deviceMemory: GiB, rounded and capped at 8 by the browser; undefined where not told (Firefox, Safari). */
  deviceMemoryGiB: number | undefined;
  /** A phone or tablet: iOS and iPadOS, or a browser that says it is mobile. */
  mobile: boolean;
}

export interface Profile {
  name: 'full' | 'small';
  /** Added to the stage's environment. */
  env: Record<string, string>;
  /** One line for Output saying what runs and why; undefined for the full profile. */
  note: string | undefined;
}

/** At or below this much memory (navigator.deviceMemory) a device gets the small profile. */
export const smallDeviceGiB = 4;

export function chooseProfile(facts: DeviceFacts): Profile {
  const lowMemory = facts.deviceMemoryGiB !== undefined && facts.deviceMemoryGiB <= smallDeviceGiB;
  if (!facts.mobile && !lowMemory) return { name: 'full', env: {}, note: undefined };
  const why = facts.mobile ? 'this is a phone or tablet' : `this device reports ${facts.deviceMemoryGiB} GB of memory`;
  return {
    name: 'small',
    env: { SHOP_PROFILE: 'small' },
    note:
      `Small profile (SHOP_PROFILE=small), as ${why}: stages that run copies start one shop and one worker ` +
      'instead of two and three, so fewer processes share this tab. The chapter describes the full set; ' +
      'run the project on your computer (npm start) to see it.',
  };
}

type Scope = Parameters<typeof browserFacts>[0] & {
  navigator?: { deviceMemory?: number; userAgentData?: { mobile?: boolean } };
};

/** The facts of this browser, for chooseProfile. */
export function deviceFacts(scope: Scope = globalThis as Scope): DeviceFacts {
  const nav = scope.navigator;
  const memory = nav?.deviceMemory;
  const mobile = browserFacts(scope).ios || nav?.userAgentData?.mobile === true || /\b(Android|Mobile)\b/.test(nav?.userAgent ?? '');
  return { deviceMemoryGiB: typeof memory === 'number' && memory > 0 ? memory : undefined, mobile };
}
