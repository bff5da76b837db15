// Runs the stage through whichever runtime load.ts picks, and turns the runtime's steps into
// the status line. A run that is replaced (Run again) or stopped can no longer write to the
// page, and a step that takes long says so instead of spinning in silence.
import type { FileMap, RunListener, RunningStage, Runtime, RunStep, ShopRequest, ShopResponse } from '../../runtime/port.ts';
import type { StatusKind } from './dom.ts';

export interface RunnerView {
  status(text: string, kind: StatusKind, remedy?: string): void;
  output(text: string): void;
  /** Whether a run is under way (Stop enabled). */
  running(active: boolean): void;
}

const stepText: Record<RunStep, string> = {
  booting: 'Booting…',
  mounting: 'Mounting…',
  starting: 'Starting…',
  ready: 'Ready',
  stopped: 'Stopped',
  error: 'Error',
};

/** After this long in one step the status line adds that it is slow, and what to do. */
const slowAfterMs = 15_000;

export function describeError(error: unknown): { message: string; remedy: string } {
  const message = error instanceof Error ? error.message : String(error);
  const remedy = typeof error === 'object' && error !== null && 'remedy' in error && typeof error.remedy === 'string' ? error.remedy : 'Press Run to try again; if it keeps failing, reload the page.';
  return { message, remedy };
}

export class Runner {
  #generation = 0;
  #run: RunningStage | undefined;
  #ready: Promise<string> | undefined;
  #slowTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #stage: string;
  readonly #slot: string;
  readonly #view: RunnerView;
  readonly #getRuntime: (listener: RunListener) => Promise<Runtime>;

  /**
   * `getRuntime` gets a listener for the runtime's own boot progress, reported like a run's.
   * `slot` names the runtime's workspace: the workbench's "main", or one per side of a comparison.
   */
  constructor(stage: string, view: RunnerView, getRuntime: (listener: RunListener) => Promise<Runtime>, slot = 'main') {
    this.#stage = stage;
    this.#slot = slot;
    this.#view = view;
    this.#getRuntime = getRuntime;
  }

  get active(): boolean {
    return this.#ready !== undefined;
  }

  #step(generation: number, text: string, kind: StatusKind, remedy?: string): void {
    if (generation !== this.#generation) return;
    clearTimeout(this.#slowTimer);
    this.#view.status(text, kind, remedy);
    if (kind === 'busy') {
      const started = Date.now();
      this.#slowTimer = setTimeout(() => {
        if (generation !== this.#generation) return;
        const seconds = Math.round((Date.now() - started) / 1000);
        this.#view.status(`${text} (${seconds} s)`, 'busy', 'This is taking longer than usual. Keep waiting, or press Stop and then Run to try again.');
      }, slowAfterMs);
    }
  }

  /** Starts (or restarts) the stage; resolves with its URL once ready, rejects if it fails. */
  start(files: FileMap): Promise<string> {
    const generation = ++this.#generation;
    this.#run = undefined;
    this.#view.running(true);
    this.#step(generation, 'Loading the runtime…', 'busy');
    const listener: RunListener = {
      output: (text) => {
        if (generation === this.#generation) this.#view.output(text);
      },
      status: (step, detail) => {
        if (step === 'ready') this.#step(generation, stepText.ready, 'ok');
        else if (step === 'error') this.#step(generation, detail ? `Error: ${detail}` : 'Error', 'error');
        else if (step === 'stopped') this.#step(generation, stepText.stopped, 'idle');
        else this.#step(generation, stepText[step], 'busy');
      },
    };
    const ready = (async () => {
      const runtime = await this.#getRuntime(listener);
      if (generation !== this.#generation) throw new Error('replaced by a newer run');
      // Starting the slot again replaces any earlier run; stopping it first would only add a wait.
      const run = await runtime.start(this.#slot, this.#stage, files, listener);
      if (generation !== this.#generation) {
        void run.stop();
        throw new Error('replaced by a newer run');
      }
      this.#run = run;
      void run.exited.then((code) => {
        if (generation !== this.#generation) return;
        this.#ready = undefined;
        this.#run = undefined;
        this.#view.running(false);
        if (code === 0 || code === null) this.#step(generation, 'Stopped', 'idle');
        else this.#step(generation, `Stopped: the stage exited with code ${code}`, 'error', 'Read the Output for the reason, fix the code and press Run again.');
      });
      const url = await run.ready;
      this.#step(generation, stepText.ready, 'ok');
      return url;
    })();
    this.#ready = ready;
    ready.catch((error: unknown) => {
      if (generation !== this.#generation) return;
      this.#ready = undefined;
      this.#view.running(false);
      const { message, remedy } = describeError(error);
      this.#step(generation, `Error: ${message}`, 'error', remedy);
    });
    return ready;
  }

  async stop(): Promise<void> {
    const generation = ++this.#generation;
    const run = this.#run;
    this.#run = undefined;
    this.#ready = undefined;
    if (run) {
      this.#step(generation, 'Stopping…', 'busy');
      try {
        await run.stop();
      } catch (error) {
        const { message, remedy } = describeError(error);
        this.#step(generation, `Error while stopping: ${message}`, 'error', remedy);
        return;
      }
    }
    this.#view.running(false);
    this.#step(generation, 'Stopped', 'idle');
  }

  /** Sends a request once the stage is ready; rejects when nothing is running. */
  async request(request: ShopRequest): Promise<ShopResponse> {
    if (!this.#ready) throw new Error('the stage is not running');
    await this.#ready;
    const run = this.#run;
    if (!run) throw new Error('the stage is not running');
    return run.request(request);
  }
}
