// The request console's Send: reads the form, fills placeholders, sends through the runtime
// and shows status, headers, pretty JSON body and latency in the Response region.
import type { ShopRequest, ShopResponse } from '../../runtime/port.ts';
import { formToRequest, missingPlaceholders, orderIdIn } from '../requests.ts';
import { placeholders } from './presets.ts';
import { lastTraceIdFrom, traceIn } from '../trace-console.ts';
import { renderWaterfall } from '../trace-waterfall.ts';

const reasons: Record<number, string> = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized',
  403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 429: 'Too Many Requests', 409: 'Conflict', 413: 'Payload Too Large', 422: 'Unprocessable Content',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

const explain: Record<string, string> = {
  lastOrderId: 'it is filled from the last response that held an order: place an order first.',
  lastTraceId: 'it is filled from the x-trace-id header of the last shop request: place an order first.',
};

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** Reads the form into a request, or throws an Error whose message tells the reader what to fix. */
export function readForm(form: HTMLFormElement): ShopRequest {
  const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value;
  const raw = { method: value('method') as ShopRequest['method'], path: value('path'), headers: value('headers'), body: value('body') };
  const missing = missingPlaceholders(`${raw.path}\n${raw.headers}\n${raw.body}`, placeholders);
  if (missing.length) throw new Error(missing.map((name) => `{${name}}: ${explain[name] ?? 'no value is known yet.'}`).join(' '));
  return formToRequest(raw, placeholders);
}

function summary(region: HTMLElement): HTMLElement {
  const existing = region.querySelector<HTMLElement>('[data-response-summary]');
  if (existing) return existing;
  const p = el('p');
  p.dataset.responseSummary = '';
  p.setAttribute('aria-live', 'polite');
  return p;
}

export function showPending(region: HTMLElement, request: ShopRequest): void {
  const line = summary(region);
  line.className = 'wb-muted';
  line.textContent = `Sending ${request.method} ${request.path}…`;
  region.replaceChildren(line);
}

export function showProblem(region: HTMLElement, message: string): void {
  const line = summary(region);
  line.className = 'wb-code-err';
  line.textContent = message;
  region.replaceChildren(line);
}

export function showResponse(region: HTMLElement, request: ShopRequest, response: ShopResponse): void {
  const line = summary(region);
  const family = Math.floor(response.status / 100);
  line.className = family === 2 ? 'wb-code-2xx' : family === 4 ? 'wb-code-4xx' : 'wb-code-5xx';
  const reason = reasons[response.status] ?? '';
  line.textContent = `${response.status} ${reason}`.trim() + ` · ${Math.round(response.ms)} ms · ${request.method} ${request.path}`;

  const headers = Object.entries(response.headers);
  const details = el('details');
  details.append(el('summary', `Headers (${headers.length})`));
  const list = el('dl');
  for (const [name, value] of headers) list.append(el('dt', name), el('dd', value));
  details.append(list);

  let body = response.body;
  try {
    body = JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    // Not JSON (or empty): show it as it came.
  }
  const pre = el('pre');
  pre.append(el('code', body || '(empty body)'));
  pre.tabIndex = 0;
  pre.setAttribute('aria-label', 'Response body');
  // Stage 11: a trace (GET /ops/traces/:id) is drawn as a waterfall above its JSON
  const trace = traceIn(response);
  if (trace) region.replaceChildren(line, renderWaterfall(document, trace.traceId, trace.spans) as HTMLElement, details, pre);
  else region.replaceChildren(line, details, pre);
  region.scrollTop = 0;

  const orderId = orderIdIn(response.body);
  if (orderId) placeholders.lastOrderId = orderId;
  const traceId = lastTraceIdFrom(request, response);
  if (traceId) placeholders.lastTraceId = traceId;
}
