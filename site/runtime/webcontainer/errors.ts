// Errors that name the cause and the way out, for a WebContainer that cannot boot.
import { LOCAL_REMEDY } from '../remedy.ts';
import { RuntimeError } from '../port.ts';
import { seconds } from './time.ts';

export function notIsolated(): RuntimeError {
  return new RuntimeError(
    'The in-browser runtime (WebContainer) cannot start: this page is not cross-origin isolated (crossOriginIsolated is false), so the browser withholds SharedArrayBuffer.',
    'The site’s host must send "Cross-Origin-Opener-Policy: same-origin" and "Cross-Origin-Embedder-Policy: require-corp" with every page; where it cannot (GitHub Pages), the site’s isolation worker adds them and reloads once, unless the browser blocks service workers (private windows in some browsers do). A browser extension or an embedding page can also break it. ' +
      LOCAL_REMEDY,
  );
}

export function unsupported(missing: string[]): RuntimeError {
  return new RuntimeError(
    `The in-browser runtime (WebContainer) cannot start: this browser lacks ${missing.join(', ')}.`,
    'Use a recent Chrome, Edge or Firefox, or Safari 16.4 or later. ' + LOCAL_REMEDY,
  );
}

export function bootTimedOut(ms: number): RuntimeError {
  return new RuntimeError(
    `The in-browser runtime (WebContainer) did not boot within ${seconds(ms)} s: its runtime host (stackblitz.com) is probably unreachable from this network, or blocked by a firewall or content blocker.`,
    'Check the connection and that *.stackblitz.com and *.webcontainer-api.io are allowed, then reload the page. ' + LOCAL_REMEDY,
  );
}

export function bootFailed(error: unknown): RuntimeError {
  return new RuntimeError(`The in-browser runtime (WebContainer) failed to boot: ${(error as Error)?.message ?? String(error)}`, 'Reload the page to try again. ' + LOCAL_REMEDY);
}

/** An error as the status line shows it: message and remedy. */
export const describe = (error: unknown) => (error instanceof RuntimeError ? `${error.message} ${error.remedy}` : String(error));
