// The exercise check inside the WebContainer: `node <the check file>` in a workspace of its own,
// with the reader's files, so a running stage is left alone. The adapter (index.ts) boots the
// container and writes the files; this runs the check and reads its verdict.
import type { WebContainerLike } from './api.ts';
import { checkFileOf } from '../check-script.ts';
import { RuntimeError, type CheckResult, type FileMap, type RunListener } from '../port.ts';
import type { NodeProbe } from './state.ts';
import { withTypeStripping } from './spawn.ts';

export interface CheckWorkspace {
  instance: WebContainerLike;
  /** The stage folder inside the container, with the reader's files in it. */
  cwd: string;
  /** What the container's Node can do: without type stripping the check runs with the hook too. */
  probe?: NodeProbe;
}

export interface ContainerCheckOptions {
  /** Stop a check that has not ended after this long. Default 60 s. */
  timeoutMs?: number;
}

export async function checkInContainer(
  prepare: () => Promise<CheckWorkspace>,
  stage: string,
  files: FileMap,
  listener: Pick<RunListener, 'output'>,
  { timeoutMs = 60_000 }: ContainerCheckOptions = {},
): Promise<CheckResult> {
  const file = checkFileOf(files['package.json']);
  if (!file) {
    throw new RuntimeError(`Stage ${stage} has no exercise check to run (no "check:exercise": "node <file>.ts" in its package.json).`, 'Press Reset files if you changed package.json; otherwise the chapter says how to try its exercise.');
  }
  const { instance, cwd, probe } = await prepare();
  const command = withTypeStripping({ command: 'node', args: [file], text: `node ${file}` }, probe);
  const process = await instance.spawn(command.command, command.args, { cwd });
  let output = '';
  void process.output
    .pipeTo(
      new WritableStream({
        write(chunk) {
          output += chunk;
          listener.output(chunk);
        },
      }),
    )
    .catch(() => {});
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tooSlow = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const ended = await Promise.race([process.exit, tooSlow]);
  clearTimeout(timer);
  if (ended === 'timeout') {
    process.kill();
    const note = `\nThe check did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped.\n`;
    listener.output(note);
    return { passed: false, code: null, output: output + note };
  }
  return { passed: ended === 0, code: ended, output };
}
