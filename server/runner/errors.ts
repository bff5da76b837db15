// Every refusal of the runner is one of these: an HTTP status, a stable code the page maps to
// a remedy, and a message a reader can understand on its own.
export class RunnerError extends Error {
  override name = 'RunnerError';
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The JSON body of every refusal: {"error":{"code","message"}}. */
export function errorBody(error: RunnerError): { error: { code: string; message: string } } {
  return { error: { code: error.code, message: error.message } };
}
