// Every refusal of the runner is one of these: an HTTP status, a stable code the page maps to
// a remedy, and a message a reader can understand on its own. The codes and the body's shape
// are the wire's (site/runtime/wire.ts), shared with the page.
import type { RunnerErrorBody, RunnerErrorCode } from '../../site/runtime/wire.ts';

export class RunnerError extends Error {
  override name = 'RunnerError';
  readonly status: number;
  readonly code: RunnerErrorCode;
  constructor(status: number, code: RunnerErrorCode, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The JSON body of every refusal: {"error":{"code","message"}}. */
export function errorBody(error: RunnerError): RunnerErrorBody {
  return { error: { code: error.code, message: error.message } };
}
