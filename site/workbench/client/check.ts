// The Check button: runs the stage's exercise check (`npm run check:exercise`) on the reader's
// current files in the page's runtime. The check's own words go to Output as they arrive, and
// its verdict, with the lines that say why, to the notice bar (a polite live region), so a
// reader who stays in the code still hears whether the exercise is solved.
import type { FileMap, RunListener, Runtime } from '../../runtime/port.ts';
import type { Parts } from './dom.ts';
import { showNotice } from './notice.ts';
import { describeError } from './runner.ts';

export interface CheckContext {
  parts: Parts;
  /** The files as the reader has them now, edits applied. */
  files(): FileMap;
  getRuntime(listener: RunListener): Promise<Runtime>;
  output: { append(text: string): void };
}

/** The check's verdict in a few lines: its ✔/✘ line and the reasons under it. */
export function verdictOf(output: string, maxLines = 6): string {
  const lines = output.replace(/\r/g, '').split('\n').map((line) => line.trimEnd()).filter((line) => line.trim() !== '');
  const start = lines.findIndex((line) => /^[✔✘]/.test(line.trim()));
  const picked = start >= 0 ? lines.slice(start, start + maxLines) : lines.slice(-maxLines);
  return picked.join('\n');
}

let checking = false;

export async function runCheck({ parts, files, getRuntime, output }: CheckContext): Promise<void> {
  if (checking) return;
  checking = true;
  const button = parts.root.querySelector<HTMLButtonElement>('[data-action="check"]');
  button?.setAttribute('aria-disabled', 'true');
  parts.root.dataset.checking = '';
  showNotice(parts.notice, 'Checking the exercise on your files…');
  output.append(`${parts.output.textContent ? '\n' : ''}$ npm run check:exercise\n`);
  try {
    // The runtime's boot progress is the run's business (the status line); only its output shows.
    const runtime = await getRuntime({ output: (text) => output.append(text), status: () => {} });
    if (!runtime.check) throw Object.assign(new Error('This runtime cannot run the exercise check.'), { remedy: 'Run `npm run check:exercise` in the stage folder instead.' });
    const result = await runtime.check('main', parts.stage, files(), { output: (text) => output.append(text) });
    const verdict = verdictOf(result.output);
    output.append(result.passed ? '\nCheck passed.\n' : `\nCheck failed${result.code === null ? '' : ` (exit code ${result.code})`}.\n`);
    showNotice(parts.notice, `${result.passed ? 'Check passed' : 'Check failed'}${verdict ? `:\n${verdict}` : '.'}`, { kind: result.passed ? 'ok' : 'error' });
  } catch (error) {
    const { message, remedy } = describeError(error);
    output.append(`\nThe check could not run: ${message}\n`);
    showNotice(parts.notice, `The check could not run: ${message} ${remedy}`, { kind: 'error' });
  } finally {
    checking = false;
    button?.removeAttribute('aria-disabled');
    delete parts.root.dataset.checking;
  }
}
