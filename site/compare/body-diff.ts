// Whether two stages gave the same answer. Ids and timestamps differ between any two runs, so
// the fields the scenario names as ignored are set aside first, and the page says which ones
// were; what is left must match exactly (key order aside).

export interface BodyComparison {
  same: boolean;
  /** Where the bodies differ, as paths like "items[0].quantity" (at most `limit`, then "…"). */
  differences: string[];
  /** Ignored fields present in either body, as paths without array indices ("items.id"). */
  ignored: string[];
}

const parse = (text: string): { json: true; value: unknown } | { json: false } => {
  try {
    return { json: true, value: JSON.parse(text) };
  } catch {
    return { json: false };
  }
};

/** "items[0].id" -> "items.id": ignore rules and the ignored list do not care which element. */
const withoutIndices = (path: string) => path.replace(/\[\d+\]/g, '').replace(/^\./, '');

/** A rule names a key anywhere ("id") or a path from the root ("error.message"). */
export function isIgnored(path: string, ignored: readonly string[]): boolean {
  const plain = withoutIndices(path);
  return ignored.some((field) => plain === field || plain.endsWith(`.${field}`));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** Collects the ignored paths of one value, so both sides' can be listed once. */
function collectIgnored(value: unknown, ignored: readonly string[], path: string, found: Set<string>): void {
  if (Array.isArray(value)) value.forEach((item, i) => collectIgnored(item, ignored, `${path}[${i}]`, found));
  else if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      const at = join(path, key);
      if (isIgnored(at, ignored)) found.add(withoutIndices(at));
      else collectIgnored(child, ignored, at, found);
    }
  }
}

function differ(a: unknown, b: unknown, ignored: readonly string[], path: string, out: string[]): void {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${path || '(body)'}: ${a.length} vs ${b.length} entries`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) differ(a[i], b[i], ignored, `${path}[${i}]`, out);
    return;
  }
  if (isObject(a) && isObject(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const at = join(path, key);
      if (isIgnored(at, ignored)) continue;
      if (!(key in a) || !(key in b)) out.push(`${at}: only in ${key in a ? 'the first' : 'the second'}`);
      else differ(a[key], b[key], ignored, at, out);
    }
    return;
  }
  if (a !== b) out.push(path || '(body)');
}

export function compareBodies(a: string, b: string, ignored: readonly string[], limit = 5): BodyComparison {
  const left = parse(a);
  const right = parse(b);
  if (!left.json || !right.json) {
    const same = a.trim() === b.trim();
    return { same, differences: same ? [] : ['(body text)'], ignored: [] };
  }
  const differences: string[] = [];
  differ(left.value, right.value, ignored, '', differences);
  const found = new Set<string>();
  collectIgnored(left.value, ignored, '', found);
  collectIgnored(right.value, ignored, '', found);
  const shown = differences.length > limit ? [...differences.slice(0, limit), `… ${differences.length - limit} more`] : differences;
  return { same: differences.length === 0, differences: shown, ignored: [...found].sort() };
}
