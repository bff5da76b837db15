// Numbers a reader sends or is told to expect. A request body in a chapter's frontmatter and the
// output a chapter quotes (a `text` block, or inline code shaped like an answer or a log line)
// hold numbers no component renders: what the stage prints is not a constant in its code. Such a
// number is checked when the chapter's lesson spec (tests/e2e/lessons/NN-*.spec.ts), which
// follows the experiment in the workbench, asserts it, and this check looks for it there: the
// number with a word it stands beside in the chapter (`captured 1200`, `"totalCents": 10800`),
// or for a body the setting as the stage echoes it (`"latencyMs": 300`). A number the spec
// does not contain is typed by hand. Exempt by form (CONTRIBUTING.md, rule 7): 0 and 1, digits
// inside a name (`ord_1`, `shop-2`, `003-payments.sql`), ports and addresses (`:3000`,
// `127.0.0.1`), HTTP status codes (`201`, `429 rate_limited`), an event's `version(s)` (a
// name, like `v2`: the stage's answer says which versions it publishes), and an order's `quantity`,
// whose total is quoted and checked instead.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bodyOf, frontmatterOf, withoutElements } from './chapter-text.ts';
import { result, type CheckResult } from './report.ts';

/** The numbers in `text` that no exemption covers: 0 and 1, names, ports, addresses, statuses. */
export function checkableNumbers(text: string): string[] {
  const found: string[] = [];
  const masked = text
    .replace(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g, (ip) => ' '.repeat(ip.length)) // addresses
    .replace(/:\d{2,5}\b|\bPORT\s*[+=]\s*\d+/g, (port) => ' '.repeat(port.length)) // ports
    // a status: alone, before its reason (`201 Created`, `429 rate_limited`) or after "answered"
    .replace(/(?<=^|answered |[\s(])[1-5]\d\d(?=$|\s+(?:[A-Z][a-z]|[a-z]+_[a-z_]+|…))/g, (status) => ' '.repeat(status.length));
  for (const match of masked.matchAll(/(?<![\w\-.…])\$?\d+(?:,\d{3})*(?:\.\d+)?(?![\w-]|\.\d)/g)) {
    const number = match[0].replace(/^\$/, '');
    if (number === '0' || number === '1' || /^0\d/.test(number)) continue; // `08`, `003`: codes, not amounts
    found.push(match[0]);
  }
  return found;
}

// Settings whose numbers name something or are checked through what they add up to.
const notAmounts = new Set(['quantity', 'version', 'versions']);

/** A chapter's request bodies, each setting that holds a checkable number, as `key: value`. */
export function bodySettings(mdx: string): string[] {
  const requests = (frontmatterOf(mdx) as { requests?: { label: string; body?: unknown }[] }).requests ?? [];
  const found: string[] = [];
  const walk = (value: unknown, key: string): void => {
    if (Array.isArray(value)) value.forEach((item) => walk(item, key));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
    else if (typeof value === 'number' && value !== 0 && value !== 1 && !notAmounts.has(key)) found.push(`${key}: ${value}`);
  };
  for (const request of requests) walk(request.body, '');
  return found;
}

// An inline code span quotes output when it looks like an answer (a JSON member, a price, a
// bare number) or a log line (`payments: …`, `shop     | …`), or ends in a time or an amount.
const outputShaped = /"[\w-]+": |\$\d|^\$?\d[\d,.]*$|^[a-z][\w-]*(?: +\||:) |\b\d+(?:\.\d+)? ?(?:ms|s|cents)\b/;

/** The output a chapter quotes: each line of its `text` blocks and each output-shaped inline code span. */
export function quotedOutput(mdx: string): string[] {
  // An exercise shows what the reader's solution should print; its exercise/check.ts checks that.
  const body = bodyOf(mdx).replace(/^## Exercise\b[\s\S]*?(?=^## |(?![\s\S]))/gm, '');
  const quotes: string[] = [];
  const outsideBlocks = body.replace(/^([ \t]*)```(\w*)\n([\s\S]*?)^\1```/gm, (_block, _indent, lang: string, code: string) => {
    if (lang === 'text') quotes.push(...code.split('\n').map((line) => line.trim()).filter(Boolean));
    return '\n';
  });
  const prose = withoutElements(outsideBlocks);
  for (const match of prose.matchAll(/`([^`\n]+)`/g)) if (outputShaped.test(match[1]!)) quotes.push(match[1]!);
  return quotes;
}

/** A spec's text as its assertions read, regex escapes undone (`\$120\.00` is `$120.00`). */
export function asserted(spec: string): string {
  return spec.replace(/\\([^dwsbnDWSB])/g, '$1').replace(/\s+/g, ' ');
}

/** Is `number` in `quote` also in the spec, beside the same word as in the quote (or alone, when the quote is just the number)? */
export function inSpec(quote: string, number: string, spec: string): boolean {
  const words = quote.trim().split(/\s+/);
  if (words.length === 1 && words[0] === number) return new RegExp(`(?<![\\w.])${escape(number)}(?![\\w]|\\.\\d)`).test(spec);
  // a word ends where a JSON string does: `$24.00.","trace_id"…` in a log line is `$24.00.`
  const cut = (word: string) => word.replace(/(?<=.)["'`].*$/, '');
  const bare = (word: string) => cut(word).replace(/^[("'`]+|[)"'`:;,.]+$/g, '');
  const at = words.findIndex((word) => bare(word) === number);
  if (at === -1) return false;
  const pairs = [[words[at - 1], cut(words[at]!)], [words[at]!, words[at + 1]]].filter((pair): pair is string[] => pair.every(Boolean));
  // the pair as the chapter has it, without the punctuation that ends a sentence or a list
  // item, and without a JSON name's quotes (`"attempts": 2` is `attempts: 2` in toMatchObject)
  const forms = pairs.flatMap((pair) => {
    const text = pair.join(' ').replace(/^\(/, '').replace(/[:;,)]+$/, '');
    return [text, text.replace(/"(\w+)":/, '$1:')];
  });
  return forms.some((form) => spec.includes(form));
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Numbers in a chapter's bodies and quoted output that its lesson specs do not assert. */
export function uncheckedQuotedFigures(mdx: string, specs: string[]): string[] {
  const spec = asserted(specs.join('\n'));
  const found: string[] = [];
  for (const setting of bodySettings(mdx)) {
    const [key, value] = setting.split(': ');
    if (!spec.includes(`"${key}": ${value}`) && !spec.includes(`${key}: ${value}`)) found.push(`request body ${setting}`);
  }
  for (const quote of quotedOutput(mdx)) {
    for (const number of checkableNumbers(quote)) {
      if (!inSpec(quote, number, spec)) found.push(`"${number}" in the quoted output "${quote.slice(0, 120)}"`);
    }
  }
  return found;
}

export function checkQuotedFigures(chaptersDir: string, lessonsDir: string): CheckResult {
  const problems: string[] = [];
  const specNames = readdirSync(lessonsDir).filter((n) => n.endsWith('.spec.ts'));
  for (const name of readdirSync(chaptersDir).filter((n) => n.endsWith('.mdx')).sort()) {
    const specs = specNames.filter((spec) => spec.slice(0, 3) === name.slice(0, 3)).map((spec) => readFileSync(join(lessonsDir, spec), 'utf8'));
    for (const figure of uncheckedQuotedFigures(readFileSync(join(chaptersDir, name), 'utf8'), specs)) {
      problems.push(`${name}: ${figure} is not asserted by tests/e2e/lessons/${name.slice(0, 3)}*.spec.ts; assert it there, render it (<CodeValue />, <Measured />), or show it as a pattern (N)`);
    }
  }
  return result('numbers in request bodies and quoted output are asserted', problems);
}
