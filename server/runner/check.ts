// The exercise check, run for the page: POST /__runner/checks {stage, files} runs the stage's
// `check:exercise` script on the reader's files and answers {passed, code, output} once it has
// ended. Narrow on purpose: the only command is the one the stage's ORIGINAL package.json names
// for check:exercise, and only in the form `node <file>.ts` (run as Node directly, no npm and
// no shell), inside a fresh workspace like a run's, in its own process group, time-limited,
// with its output capped, and the workspace and every process gone before the answer.
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkFileOf } from '../../site/runtime/check-script.ts';
import { RunnerError } from './errors.ts';
import { isRecord, readJson, sendJson } from './http.ts';
import { startGroup } from './processes.ts';
import type { RunnerOptions } from './runs.ts';
import { checkFiles, checkStageName, limits } from './security.ts';
import { checkStageFolder, createWorkspace, type WorkspacePaths } from './workspace.ts';
import { FolderRedactor } from './redact.ts';

export interface CheckOptions extends RunnerOptions {
  /** Stop a check that has not ended after this long. Default 60 s. */
  checkTimeoutMs?: number;
  /** Checks running at once on this server. Default 2. */
  maxChecks?: number;
}

export interface CheckAnswer {
  passed: boolean;
  code: number | null;
  output: string;
}

// What the check inherits: not the variables of an npm that may have started this server.
const inherited = () => Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== 'INIT_CWD'));

export function createChecks(options: CheckOptions = {}) {
  const paths: WorkspacePaths = {
    examplesRoot: options.examplesRoot ?? fileURLToPath(new URL('../../examples', import.meta.url)),
    nodeModules: options.nodeModules ?? fileURLToPath(new URL('../../node_modules', import.meta.url)),
    ...(options.tempRoot ? { tempRoot: options.tempRoot } : {}),
  };
  const timeoutMs = options.checkTimeoutMs ?? 60_000;
  const killGraceMs = options.killGraceMs ?? 5_000;
  const outputBytes = options.outputBytes ?? limits.outputBytes;
  const maxChecks = options.maxChecks ?? 2;
  let running = 0;

  async function run(stage: string, files: Record<string, string>): Promise<CheckAnswer> {
    const folder = await checkStageFolder(paths.examplesRoot, stage);
    const file = checkFileOf(await readFile(join(folder, 'package.json'), 'utf8').catch(() => undefined));
    if (!file) throw new RunnerError(404, 'no_check', `Stage "${stage}" has no exercise check to run (no "check:exercise": "node <file>.ts" in its package.json).`);

    const workspace = await createWorkspace(paths, stage, files);
    const dataDir = join(workspace.root, '.data');
    // This machine's folders as the page is shown them, as for a run: ./examples/..., $DATA_DIR.
    // One redactor per pipe, so that a folder split between two chunks is still taken out.
    const folders: [string, string][] = [[dataDir, '$DATA_DIR'], [workspace.root, '.']];
    const redactors = { stdout: new FolderRedactor(folders), stderr: new FolderRedactor(folders), runner: new FolderRedactor(folders) };
    let output = '';
    let truncated = false;
    const collect = (text: string) => {
      if (truncated) return;
      if (Buffer.byteLength(output + text) <= outputBytes) output += text;
      else {
        truncated = true;
        output += `\n[output truncated: the check printed more than ${Math.round(outputBytes / 1024)} KB]\n`;
      }
    };
    try {
      const group = startGroup({
        command: ['node', file],
        cwd: workspace.stageDir,
        env: { ...inherited(), DATA_DIR: dataDir },
        workspace: workspace.root,
        output: (text, stream) => collect(redactors[stream].push(text)),
      });
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
      const ended = await Promise.race([group.exited, timedOut]);
      clearTimeout(timer);
      // Whatever the check started and left behind (a stage it launched) goes with it.
      await group.stop(killGraceMs);
      for (const redactor of Object.values(redactors)) collect(redactor.end());
      if (ended === 'timeout') {
        collect(`\nThe check did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped.\n`);
        return { passed: false, code: null, output };
      }
      return { passed: ended === 0, code: ended, output };
    } finally {
      await workspace.remove().catch((error: unknown) => console.error(`Could not remove ${workspace.root}:`, error));
    }
  }

  return {
    /** Answers POST /__runner/checks. */
    async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
      if (req.method !== 'POST') throw new RunnerError(405, 'method_not_allowed', 'This runner endpoint only accepts POST.');
      const body = await readJson(req, limits.bodyBytes);
      if (!isRecord(body)) throw new RunnerError(400, 'bad_request', 'Run a check with a JSON object {stage, files}.');
      const stage = checkStageName(body.stage);
      const files = checkFiles(body.files ?? {});
      if (running >= maxChecks) {
        throw new RunnerError(429, 'too_many_checks', `${maxChecks} exercise checks are already running on this machine; wait for one to finish and press Check again.`);
      }
      running++;
      try {
        sendJson(res, 200, await run(stage, files));
      } finally {
        running--;
      }
    },
  };
}
