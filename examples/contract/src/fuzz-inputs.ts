// What the contract fuzz sends: for every operation of openapi.json, requests the schema
// allows and requests it forbids. Forbidden ones take a valid request and spoil one part with
// a hostile value: U+0000, a lone surrogate, numbers no column holds, the wrong type, text far
// over any limit, emoji at the limit, or a body that is not the expected shape at all.

import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';

// No unpaired UTF-16 surrogate: with the u flag a pair is one code point, so \p{Cs} only
// matches a lone half. (String.prototype.isWellFormed is ES2024, past the examples' lib.)
export const wellFormed = (s: string): boolean => !/\p{Cs}/u.test(s);

// Text the contract accepts: 1..max code points, no U+0000, no unpaired surrogate.
export function validText(max: number): Arbitrary<string> {
  return fc
    .oneof(
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: Math.min(max, 24) }),
      fc.string({ unit: 'binary', minLength: 1, maxLength: Math.min(max, 24) }),
      fc.constantFrom('\u{1F600}'.repeat(max), `${'a'.repeat(max - 1)}\u{1FAD6}`, 'caf\u00e9', ' ', '\u2028'),
    )
    .filter((s) => s.length > 0 && [...s].length <= max && !s.includes('\u0000') && wellFormed(s));
}

export const hostileStrings: Arbitrary<string> = fc.constantFrom(
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u{1F600}'.repeat(65),
  '\u{1F600}'.repeat(501),
  'x'.repeat(10_000),
  '',
  '%00',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  "'; drop table orders; --",
);

export const hostileNumbers: Arbitrary<number> = fc.constantFrom(
  0,
  -1,
  -0,
  1.5,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32 + 1,
  2 ** 53 + 2,
  1e20,
  -1e20,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
);

export const hostileValue: Arbitrary<unknown> = fc.oneof(
  hostileStrings,
  hostileNumbers,
  fc.constantFrom(null, true, false, [], {}, ['a'], { a: 1 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

// How a valid body is spoiled: one field (a dotted path such as items.0.sku) replaced by a
// hostile value or dropped, the whole body swapped for something that is not the expected
// object, or text that is not JSON at all.
export type Spoil =
  | { kind: 'replace'; field: string; value: unknown }
  | { kind: 'drop'; field: string }
  | { kind: 'whole'; value: unknown }
  | { kind: 'text'; raw: string };

export function spoil(fields: string[]): Arbitrary<Spoil> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('replace' as const), field: fc.constantFrom(...fields), value: hostileValue }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), field: fc.constantFrom(...fields) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('whole' as const), value: fc.constantFrom<unknown>(null, [], 'text', 42, [{}], { '': '' }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('text' as const), raw: notJson }) },
  );
}

// The body to send: an object (sent as JSON) or, for kind text, the raw string.
export function applySpoil(body: Record<string, unknown>, how: Spoil): unknown {
  if (how.kind === 'whole') return how.value;
  if (how.kind === 'text') return how.raw;
  const copy = structuredClone(body);
  const parts = how.field.split('.');
  let node: Record<string, unknown> = copy;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null) return copy;
    node = next as Record<string, unknown>;
  }
  const last = parts.at(-1) ?? '';
  if (how.kind === 'drop') delete node[last];
  else node[last] = how.value;
  return copy;
}

// Raw text that is not JSON, sent as the body with content-type application/json.
export const notJson: Arbitrary<string> = fc.constantFrom('{', '{"a":', 'nul', '\u0000', '{"customerId": "\\ud800"', '[1,2', "{'a':1}");

// A query-string value, already percent-encoded: a valid one encoded as a browser would, or a
// hostile escape (%00, a lone surrogate in UTF-8, bytes that are not UTF-8, a broken escape).
export function queryValue(valid: Arbitrary<string>): Arbitrary<{ raw: string; valid: boolean }> {
  return fc.oneof(
    valid.map((s) => ({ raw: encodeURIComponent(s), valid: true })),
    fc.constantFrom('%00', 'a%00b', '%ED%A0%80', '%FF%FE', '%', '%zz', 'a%2', '', 'x'.repeat(5000), '%F0%9F%98%80'.repeat(65)).map((raw) => ({ raw, valid: false })),
  );
}
