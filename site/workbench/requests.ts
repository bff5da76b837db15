// Ready-made requests: what a chapter's frontmatter may list, and how one fills the form.
import type { ShopRequest } from '../runtime/port.ts';

export const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export interface ReadyRequest {
  label: string;
  method: ShopRequest['method'];
  path: string;
  /** A JSON value (an object in frontmatter) or text sent as it is. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** What the form shows: the body pretty-printed, headers one "Name: value" per line. */
export interface RequestForm {
  method: ShopRequest['method'];
  path: string;
  headers: string;
  body: string;
}

/** Used when a chapter lists none: the one request that works against every stage. */
export const fallbackRequests: ReadyRequest[] = [{ label: 'List products', method: 'GET', path: '/products' }];

export function toForm(request: ReadyRequest): RequestForm {
  const body = request.body === undefined ? '' : typeof request.body === 'string' ? request.body : JSON.stringify(request.body, null, 2);
  const headers = Object.entries(request.headers ?? {})
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');
  return { method: request.method, path: request.path, headers, body };
}

/** Values a ready-made request can refer to, learnt from earlier responses (or set by a scenario). */
export interface Placeholders {
  lastOrderId?: string;
  [name: string]: string | undefined;
}

const placeholder = /\{(\w+)\}/g;

/** Names in `{...}` that have no value yet, so the console can say what to do first. */
export function missingPlaceholders(text: string, values: Placeholders): string[] {
  const missing = new Set<string>();
  for (const [, name] of text.matchAll(placeholder)) {
    if (name && values[name as keyof Placeholders] === undefined) missing.add(name);
  }
  return [...missing];
}

export function fillPlaceholders(text: string, values: Placeholders): string {
  return text.replace(placeholder, (whole, name: string) => values[name as keyof Placeholders] ?? whole);
}

/** Parses "Name: value" lines; blank lines are skipped, a line without a colon is an error. */
export function parseHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const colon = line.indexOf(':');
    if (colon < 1) throw new Error(`Header line ${i + 1} needs the form "Name: value".`);
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/**
 * The request a filled form sends: placeholders filled, headers parsed, and a body typed as
 * JSON unless the headers say otherwise. Throws an Error that tells the reader what to fix.
 */
export function formToRequest(form: RequestForm, values: Placeholders): ShopRequest {
  const missing = missingPlaceholders(`${form.path}\n${form.headers}\n${form.body}`, values);
  if (missing.length) throw new Error(`No value is known yet for ${missing.map((name) => `{${name}}`).join(', ')}.`);
  const path = fillPlaceholders(form.path.trim(), values);
  if (!path.startsWith('/')) throw new Error('The path must start with "/", for example /products.');
  const headers = parseHeaders(fillPlaceholders(form.headers, values));
  const body = fillPlaceholders(form.body, values);
  const hasType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  if (body.trim() && !hasType) headers['content-type'] = 'application/json';
  return { method: form.method, path, headers, ...(body.trim() ? { body } : {}) };
}

/** The order id in a response body: an order itself, or the newest in a page of orders. */
export function orderIdIn(body: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  const idOf = (v: unknown) =>
    typeof v === 'object' && v !== null && 'id' in v && 'items' in v && typeof v.id === 'string' ? v.id : undefined;
  if (idOf(value)) return idOf(value);
  if (typeof value === 'object' && value !== null && 'items' in value && Array.isArray(value.items)) return idOf(value.items[0]);
  return undefined;
}
