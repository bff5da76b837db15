// When a stage counts as ready, the same for every runtime (the WebContainer adapter in the
// page, the Local runner in server/runner/run.ts): it printed a line containing the word
// "ready", and then GET /health answered 200. The ready line alone is not enough (a process
// may print it before it listens), and /health alone would be asked of a stage still
// installing or migrating. Neutral code: no DOM, no Node built-ins, erasable TypeScript, so
// the server runs it under Node's type stripping and the page bundles it.

export const HEALTH_PATH = '/health';

export const isHealthy = (status: number) => status === 200;

// Escape sequences a pseudo-terminal adds (colours, cursor moves, titles).
const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/\u001b\][^\u0007]*\u0007/g, '');

/**
 * Returns a function to feed output to, chunk by chunk as it arrives; it answers true from the
 * chunk that completes a line with the word "ready" on. A word split across two chunks still
 * counts, and colour codes around it do not hide it.
 */
export function readyLineDetector(): (chunk: string) => boolean {
  let seen = false;
  let tail = '';
  return (chunk) => {
    if (seen) return true;
    const lines = stripAnsi(tail + chunk).split(/\r?\n|\r/);
    tail = (lines.pop() ?? '').slice(-1000);
    seen = [...lines, tail].some((line) => /\bready\b/.test(line));
    return seen;
  };
}

export interface ReadinessProbe {
  /** True once the stage printed its ready line (and anything else the runtime must see first). */
  printedReadyLine(): boolean;
  /** The status of GET /health; throws while nothing listens yet. */
  health(): Promise<number>;
  /** True when the run is being stopped or has ended: stop asking. */
  stopped(): boolean;
  /** Epoch ms after which the stage is too slow. */
  deadline: number;
  /** Pause between two questions to /health. */
  pauseMs: number;
}

/** Waits for the ready line, then asks /health until it answers 200. Never throws. */
export async function waitUntilReady(probe: ReadinessProbe): Promise<'ready' | 'stopped' | 'timed-out'> {
  while (!probe.stopped()) {
    if (Date.now() > probe.deadline) return 'timed-out';
    if (probe.printedReadyLine()) {
      try {
        if (isHealthy(await probe.health()) && !probe.stopped()) return 'ready';
      } catch {
        // not listening yet
      }
    }
    await new Promise((resolve) => setTimeout(resolve, probe.printedReadyLine() ? probe.pauseMs : Math.min(20, probe.pauseMs)));
  }
  return 'stopped';
}

/** The message of a stage that was not ready in time. */
export function notReadyInTime(ms: number): string {
  return `The stage did not print a line containing "ready" and answer GET ${HEALTH_PATH} with 200 within ${Number((ms / 1000).toFixed(2))} s.`;
}
