// What this browser and page offer WebContainer: isolation, the platform features it needs, and
// whether it is iOS (boot only on a tap). Its own module so that both the runtime choice
// (load.ts) and the WebContainer adapter read it without importing each other.

/** Facts about this browser and page that decide whether WebContainer can run. */
export interface BrowserFacts {
  /** `crossOriginIsolated`: the page was served with COOP/COEP, so SharedArrayBuffer is allowed. */
  isolated: boolean;
  /** Web platform features WebContainer needs that this browser lacks; empty when supported. */
  missing: string[];
  /** Safari on iPhone/iPad (every iOS browser is Safari underneath). */
  ios: boolean;
}

type Scope = {
  crossOriginIsolated?: boolean;
  SharedArrayBuffer?: unknown;
  Atomics?: { waitAsync?: unknown };
  ReadableStream?: unknown;
  WritableStream?: unknown;
  Worker?: unknown;
  navigator?: { userAgent?: string; maxTouchPoints?: number };
};

export function browserFacts(scope: Scope = globalThis as Scope): BrowserFacts {
  const missing: string[] = [];
  if (typeof scope.SharedArrayBuffer !== 'function') missing.push('SharedArrayBuffer');
  if (typeof scope.Atomics?.waitAsync !== 'function') missing.push('Atomics.waitAsync');
  if (typeof scope.ReadableStream !== 'function' || typeof scope.WritableStream !== 'function') missing.push('Streams');
  if (typeof scope.Worker !== 'function') missing.push('Web Workers');
  const agent = scope.navigator?.userAgent ?? '';
  // iPadOS reports itself as a Mac; a touch screen gives it away.
  const ios = /\b(iPhone|iPad|iPod)\b/.test(agent) || (agent.includes('Macintosh') && (scope.navigator?.maxTouchPoints ?? 0) > 1);
  return { isolated: scope.crossOriginIsolated === true, missing, ios };
}

/**
 * True on iOS/iPadOS until the reader has pressed something: there a WebContainer boots only
 * on an explicit request (a tab's memory is tight, so the page never boots one on its own).
 * The workbench shows a "Start" button while this is true; the adapter's boot waits for the
 * next tap or key press when it is asked to boot without one.
 */
export function needsUserGestureToBoot(scope: Scope & { navigator?: { userActivation?: { isActive?: boolean } } } = globalThis as Scope): boolean {
  return browserFacts(scope).ios && scope.navigator?.userActivation?.isActive !== true;
}
