// What the project's local server (server/runner/) and the Local adapter (./local.ts) say to
// each other over HTTP. One module, imported by both sides, so a change to the wire is a type
// error on the side that was not updated. Types only: the server runs it under Node's type
// stripping and the page ships nothing from it.

/** Why a run ended. */
export type StopReason = 'exited' | 'stopped' | 'replaced' | 'idle' | 'disconnected' | 'failed' | 'shutdown';

/** One line of GET /__runner/runs/:id/events (newline-delimited JSON). */
export type RunEvent =
  | { type: 'output'; text: string }
  | { type: 'status'; step: 'mounting' | 'starting' }
  | { type: 'status'; step: 'ready'; url: string }
  | { type: 'status'; step: 'error'; message: string }
  | { type: 'status'; step: 'stopped'; code: number | null; reason: StopReason };

/** What a running stage costs on the reader's machine (GET /__runner/runs/:id/stats). */
export interface RunStats {
  /** The stage's own processes (the `npm start` launcher left out). */
  processes: number;
  /** Their resident memory added up (memory shared between processes counts once each). */
  rssBytes: number;
}

/**
 * The stable codes of the runner's refusals, {"error":{"code","message"}}. The page maps each
 * to a remedy (./local.ts); the server never sends a code outside this list.
 */
export type RunnerErrorCode =
  | 'missing_token'
  | 'bad_token'
  | 'forbidden_host'
  | 'forbidden_origin'
  | 'method_not_allowed'
  | 'not_found'
  | 'bad_json'
  | 'bad_request'
  | 'bad_slot'
  | 'bad_stage'
  | 'unknown_stage'
  | 'bad_files'
  | 'bad_path'
  | 'file_too_large'
  | 'files_too_large'
  | 'too_many_files'
  | 'body_too_large'
  | 'too_many_runs'
  | 'run_not_found'
  | 'bad_run_id'
  | 'run_stopped'
  | 'not_ready'
  | 'bad_request_path'
  | 'stage_unreachable'
  | 'stage_timeout'
  | 'response_too_large'
  | 'closing'
  | 'no_check'
  | 'too_many_checks'
  | 'internal';

/** The JSON body of every refusal. */
export interface RunnerErrorBody {
  error: { code: RunnerErrorCode; message: string };
}
