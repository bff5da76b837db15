// The one interface the workbench talks to. Two adapters implement it: WebContainer (in the
// browser) and Local (the project's own server runs the stage in real Node processes).
// Adapters are loaded by dynamic import (see ./load.ts) so a chapter page ships neither
// until the reader starts using the workbench.
import type { RunStats } from './wire.ts';

/** A stage's files by path relative to the stage folder ("src/shop.ts"), as text. */
export type FileMap = Record<string, string>;

export type RuntimeKind = 'webcontainer' | 'local';

/** The steps a reader sees in the status line, in order. */
export type RunStep = 'booting' | 'mounting' | 'starting' | 'ready' | 'stopped' | 'error';

export interface RunListener {
  /** Text the stage's processes printed, stdout and stderr interleaved as they arrived. */
  output(text: string): void;
  /** A step of the run; `detail` explains errors and carries the URL when ready. */
  status(step: RunStep, detail?: string): void;
}

export interface ShopRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query on the stage's public entry, e.g. "/orders?customerId=ada". */
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface ShopResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Round trip as measured from inside the runtime, so it excludes the page-to-runner hop. */
  ms: number;
}

export interface RunningStage {
  /** Resolves with the stage's URL once its ready line was printed and /health answered. */
  readonly ready: Promise<string>;
  /** Resolves with the exit code when every process of the stage has ended. */
  readonly exited: Promise<number | null>;
  request(request: ShopRequest): Promise<ShopResponse>;
  stop(): Promise<void>;
}

/** What a running stage costs on the reader's machine (the same shape on the Local runner's wire). */
export type { RunStats };

/** How a stage's exercise check (`npm run check:exercise`) ended. */
export interface CheckResult {
  /** The check exited with 0 in time. */
  passed: boolean;
  /** Everything it printed: its own verdict and the reasons. */
  output: string;
  /** Its exit code; null when it was stopped (too slow) or could not start. */
  code: number | null;
}

export interface Runtime {
  readonly kind: RuntimeKind;
  /**
   * Starts a stage (what its `npm start` runs) with these files. `slot` names a workspace, so two stages
   * can run side by side ("main", "compare"); starting a slot again replaces its run.
   */
  start(slot: string, stage: string, files: FileMap, listener: RunListener): Promise<RunningStage>;
  /**
   * Processes and memory of the stage running in a slot. Optional, and null when the runtime
   * cannot see them (WebContainer exposes no process table; the Local runner reads Linux's
   * /proc): a caller shows "not measurable", never an estimate.
   */
  stats?(slot: string): Promise<RunStats | null>;
  /**
   * Runs the stage's exercise check, `npm run check:exercise`, on these files in a workspace of
   * its own (a running stage in `slot` is left alone), and resolves once it has ended, with its
   * verdict. Output arrives through `listener` as it is printed. Optional so a runtime without
   * it says so instead of failing: both adapters of this project have it.
   */
  check?(slot: string, stage: string, files: FileMap, listener: Pick<RunListener, 'output'>): Promise<CheckResult>;
}

export class RuntimeError extends Error {
  override name = 'RuntimeError';
  /** What the reader can do about it, shown under the message. */
  readonly remedy: string;
  constructor(message: string, remedy: string) {
    super(message);
    this.remedy = remedy;
  }
}
