// Shared by every module: the errors the rules can raise. Nothing here knows about HTTP.

// #region errors
// Anything the rules refuse is thrown as a ShopError with a code from this list. The
// modules do not know about HTTP: the HTTP adapter decides which status each code gets.
export type ErrorCode =
  | 'invalid_request'
  | 'not_found'
  | 'sku_exists'
  | 'unknown_sku'
  | 'not_cancellable'
  | 'idempotency_key_reused'
  // more unfinished work than the shop can finish in time: try again after retryAfterSeconds
  | 'overloaded';

export class ShopError extends Error {
  code: ErrorCode;
  retryAfterSeconds?: number;
  constructor(code: ErrorCode, message: string, retryAfterSeconds?: number) {
    super(message);
    this.code = code;
    if (retryAfterSeconds !== undefined) this.retryAfterSeconds = retryAfterSeconds;
  }
}

export function invalid(message: string): ShopError {
  return new ShopError('invalid_request', message);
}
// #endregion errors
