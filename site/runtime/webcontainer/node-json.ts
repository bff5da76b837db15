// Runs a small Node script inside the container that writes one JSON document to a file, and
// reads it back through the file system. Process output goes through a pseudo-terminal (line
// endings, escape codes), so a file is the clean way back.
import { RuntimeError } from '../port.ts';
import type { WebContainerLike } from './api.ts';
import type { BootState } from './state.ts';
import { seconds, withTimeout } from './time.ts';

/** `node script ...args OUT_FILE`, then OUT_FILE's JSON. Throws a RuntimeError when there is none. */
export async function nodeJson<T>(state: BootState, instance: WebContainerLike, script: string, args: string[], timeoutMs: number, what: string): Promise<T> {
  const out = `runtime/out/${++state.requests}.json`;
  const helper = await instance.spawn('node', [script, ...args, out], { output: false });
  const code = await withTimeout(helper.exit, timeoutMs, () => new RuntimeError(`The ${what} did not finish within ${seconds(timeoutMs)} s.`, 'Look at the Output for what the stage is doing, then try again.'));
  let text: string;
  try {
    text = await instance.fs.readFile(out, 'utf8');
    await instance.fs.rm(out, { force: true });
  } catch {
    throw new RuntimeError(`The ${what} failed (exit code ${code}).`, 'Run the stage again; if it persists, reload the page.');
  }
  return JSON.parse(text) as T;
}
