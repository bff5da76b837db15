// Shared by every module: small checks of the data a client sent.

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isIntegerBetween(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

// Text a client sent, checked so that it can be stored and passed on: no U+0000 (Postgres
// text cannot hold it) and no unpaired UTF-16 surrogate (it has no UTF-8 form, so it cannot
// be stored or put in a URL). The length counts characters (code points), as the contract's
// JSON Schema does, so an emoji is one character, not two.
export function isText(value: unknown, min: number, max: number): value is string {
  if (typeof value !== 'string' || /[\u0000\p{Cs}]/u.test(value)) return false;
  const length = [...value].length;
  return length >= min && length <= max;
}
