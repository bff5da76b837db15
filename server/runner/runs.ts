// The runs this server is hosting: one per slot, at most a few at a time, all stopped when the
// server closes. Finished runs are kept for a minute so a page that connects late still reads
// how its run ended.
import { fileURLToPath } from 'node:url';
import { RunnerError } from './errors.ts';
import { isRecord } from './http.ts';
import { createDataDirs } from './data-dirs.ts';
import { Run, type RunTimings } from './run.ts';
import { checkFiles, checkSlot, checkStageName, limits } from './security.ts';
import { checkStageFolder, createWorkspace, type WorkspacePaths } from './workspace.ts';

export interface RunnerOptions extends Partial<RunTimings> {
  /** The token pages and calls must carry; a fresh random one unless given (RUNNER_TOKEN, tests). */
  token?: string;
  /** Folder holding the stages and contract/ (tests point this at a fake one). */
  examplesRoot?: string;
  nodeModules?: string;
  tempRoot?: string;
  maxRuns?: number;
  /** How long a finished run's events stay readable. */
  retainMs?: number;
}

export interface StartInput {
  slot: string;
  stage: string;
  files: Record<string, string>;
  /** Slots are per page: the page's random id keeps two tabs from replacing each other's runs. */
  client: string;
}

export function checkStartInput(body: unknown): StartInput {
  if (!isRecord(body)) throw new RunnerError(400, 'bad_request', 'Start a run with a JSON object {slot, stage, files}.');
  const client = body.client ?? '';
  if (typeof client !== 'string' || !/^[A-Za-z0-9_-]{0,64}$/.test(client)) {
    throw new RunnerError(400, 'bad_request', '"client" must be a short id of letters, digits, "-" or "_".');
  }
  return { slot: checkSlot(body.slot), stage: checkStageName(body.stage), files: checkFiles(body.files ?? {}), client };
}

// Variables of the npm that may have started this server; the stage's own npm sets its own.
const inherited = (env: NodeJS.ProcessEnv) =>
  Object.fromEntries(Object.entries(env).filter(([name]) => !/^npm_/i.test(name) && name !== 'INIT_CWD'));

export type Runs = ReturnType<typeof createRuns>;

export function createRuns(options: RunnerOptions = {}) {
  const paths: WorkspacePaths = {
    examplesRoot: options.examplesRoot ?? fileURLToPath(new URL('../../examples', import.meta.url)),
    nodeModules: options.nodeModules ?? fileURLToPath(new URL('../../node_modules', import.meta.url)),
    ...(options.tempRoot ? { tempRoot: options.tempRoot } : {}),
  };
  const timings: RunTimings = {
    idleMs: options.idleMs ?? 15 * 60_000,
    disconnectGraceMs: options.disconnectGraceMs ?? 5_000,
    killGraceMs: options.killGraceMs ?? 5_000,
    readyTimeoutMs: options.readyTimeoutMs ?? 60_000,
    outputBytes: options.outputBytes ?? limits.outputBytes,
    diskBytes: options.diskBytes ?? limits.diskBytes,
    diskCheckMs: options.diskCheckMs ?? 2_000,
  };
  const maxRuns = options.maxRuns ?? limits.runs;
  const retainMs = options.retainMs ?? 60_000;
  const env = {
    ...inherited(process.env),
    NO_UPDATE_NOTIFIER: '1',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    // no debug log: npm would name its path (in the home folder) in the run's output
    npm_config_logs_max: '0',
  };

  const dataDirs = createDataDirs(options.tempRoot);
  const runs = new Map<string, Run>();
  const slots = new Map<string, Run>();
  const slotLocks = new Map<string, Promise<unknown>>();
  let closing = false;

  const active = () => [...runs.values()].filter((run) => run.active);

  async function startLocked(input: StartInput): Promise<Run> {
    await checkStageFolder(paths.examplesRoot, input.stage);
    const key = `${input.client}/${input.slot}`;
    await slots.get(key)?.stop('replaced');
    if (closing) throw new RunnerError(503, 'closing', 'The server is shutting down.');
    if (active().length >= maxRuns) {
      throw new RunnerError(
        429,
        'too_many_runs',
        `${maxRuns} stages are already running on this machine, the most the local runner allows at once. Stop one (in this or another tab) and try again.`,
      );
    }
    const run = new Run(key, input.stage, timings);
    runs.set(run.id, run);
    slots.set(key, run);
    run.touch();
    void run.finished.then(() => {
      if (slots.get(key) === run) slots.delete(key);
      setTimeout(() => runs.delete(run.id), retainMs).unref();
    });
    let workspace;
    try {
      workspace = await createWorkspace(paths, input.stage, input.files);
    } catch (error) {
      await run.stop('failed');
      runs.delete(run.id);
      throw error;
    }
    const dataDir = await dataDirs.forRun(input.client, input.slot, input.stage);
    void run.launch(workspace, { ...env, DATA_DIR: dataDir }).catch((error: Error) => run.fail(`The stage could not be started: ${error.message}`));
    return run;
  }

  return {
    /** Mounts the workspace and starts `npm start`; resolves once the run has an id. */
    start(input: StartInput): Promise<Run> {
      if (closing) return Promise.reject(new RunnerError(503, 'closing', 'The server is shutting down.'));
      // One start at a time per slot, so a double click cannot leave two runs in one slot.
      const key = `${input.client}/${input.slot}`;
      const result = (slotLocks.get(key) ?? Promise.resolve()).catch(() => {}).then(() => startLocked(input));
      slotLocks.set(key, result);
      void result.catch(() => {}).finally(() => {
        if (slotLocks.get(key) === result) slotLocks.delete(key);
      });
      return result;
    },

    get(id: string): Run {
      const run = runs.get(id);
      if (!run) throw new RunnerError(404, 'run_not_found', 'There is no such run: it ended some time ago or the server was restarted. Start the stage again.');
      return run;
    },

    count: () => active().length,

    /** Stops every run and waits until their processes and workspaces are gone. */
    async closeAll(): Promise<void> {
      closing = true;
      await Promise.all([...slotLocks.values()].map((lock) => lock.catch(() => {})));
      await Promise.all([...runs.values()].map((run) => run.stop('shutdown')));
      await dataDirs.removeAll();
    },
  };
}
