// Booting the one WebContainer of the page: the browser checks first (each failure names its
// cause and the way out), iOS's wait for a tap, the API key, and our own timeout, because
// without its host (stackblitz.com) the API's boot never settles.
import type { BootOptions } from '@webcontainer/api';
import { browserFacts, needsUserGestureToBoot, type BrowserFacts } from '../browser-facts.ts';
import { RuntimeError, type RunListener } from '../port.ts';
import { loadRealApi, type WebContainerApi, type WebContainerLike } from './api.ts';
import { bootFailed, bootTimedOut, notIsolated, unsupported } from './errors.ts';
import { portEvent, type BootState } from './state.ts';
import { withTimeout } from './time.ts';
import { keepAcrossViewTransitions } from './view-transitions.ts';

export interface BootSettings {
  timeoutMs: number;
  apiKey: string | undefined;
  coep: BootOptions['coep'];
  api: WebContainerApi | undefined;
  /** Set in tests; otherwise read from this browser. */
  facts: BrowserFacts | undefined;
  waitForGesture: (() => Promise<void>) | undefined;
}

function nextGesture(): Promise<void> {
  return new Promise((resolve) => {
    const events = ['pointerup', 'keydown', 'touchend'] as const;
    const done = () => {
      for (const type of events) document.removeEventListener(type, done, true);
      resolve();
    };
    for (const type of events) document.addEventListener(type, done, true);
  });
}

/** The booted instance, booting it on the first call; later calls share that boot. */
export async function bootInstance(state: BootState, settings: BootSettings, listener: Partial<RunListener>): Promise<WebContainerLike> {
  if (state.instance) return state.instance;
  const { isolated, missing } = settings.facts ?? browserFacts();
  if (!isolated) throw notIsolated();
  if (missing.length) throw unsupported(missing);
  // iOS: boot only on the reader's request (a tap on Start or Run); an automatic start waits for one.
  if (!state.booting && (settings.facts ? settings.facts.ios : needsUserGestureToBoot())) {
    listener.status?.('booting', 'Press Start to boot the in-browser runtime.');
    await (state.gesture ??= (settings.waitForGesture ?? nextGesture)());
  }
  listener.status?.('booting', 'Booting the in-browser runtime (WebContainer)…');
  state.booting ??= (async () => {
    const api = settings.api ?? (await loadRealApi());
    if (settings.apiKey) {
      try {
        api.configureAPIKey(settings.apiKey);
      } catch (error) {
        listener.output?.(`WebContainer API key not applied: ${(error as Error).message}\n`);
      }
    }
    const instance = await api.boot({ coep: settings.coep ?? 'require-corp', workdirName: 'shop' });
    state.instance = instance;
    instance.on('port', (port, type, url) => portEvent(state, port, type === 'open', url));
    instance.on('server-ready', (port, url) => portEvent(state, port, true, url));
    // One container runs every slot, so its errors concern each running stage.
    instance.on('error', (error) => {
      for (const report of state.reportError.values()) report(`WebContainer error: ${error.message}\n`);
    });
    if (typeof document !== 'undefined') keepAcrossViewTransitions(document);
    return instance;
  })();
  const booting = state.booting;
  try {
    return await withTimeout(booting, settings.timeoutMs, () => bootTimedOut(settings.timeoutMs));
  } catch (error) {
    if (error instanceof RuntimeError) throw error; // timed out: keep waiting on the same boot next time
    if (state.booting === booting) state.booting = undefined;
    throw bootFailed(error);
  }
}
