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
  // another service gave no answer (down, too slow, or its circuit breaker is open)
  | 'service_unavailable';

export class ShopError extends Error {
  code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export function invalid(message: string): ShopError {
  return new ShopError('invalid_request', message);
}
// #endregion errors
