// The workbench's trace view (stage 11): one trace's spans as a waterfall. Each span is a row,
// under its parent, with a bar from when it started to when it ended on the trace's own
// clock. The bars are decoration: every fact they show (service, span, start, duration,
// slowest, failed) is also text in the row, so the table reads the same without them.
//
// Two parts, no framework: `waterfallRows` (pure: spans in, rows out, tested on its own) and
// `renderWaterfall` (rows to DOM, against the few DOM calls it needs so a test can pass a
// stand-in document).

// What the collector answers for a span (GET /ops/traces/:traceId); extra fields are ignored.
export interface TraceSpan {
  spanId: string;
  parentSpanId?: string;
  service: string;
  name: string;
  kind?: string;
  startMs: number;
  durationMs: number;
  status?: string;
}

export interface WaterfallRow {
  spanId: string;
  depth: number;
  service: string;
  name: string;
  kind: string;
  /** Start relative to the trace's first span, and the share of the whole trace before it. */
  offsetMs: number;
  offsetPct: number;
  durationMs: number;
  widthPct: number;
  /** Time in this span not covered by its children: where the time really went. */
  selfMs: number;
  /** The parent's "service name", or undefined for a root (or a span whose parent never arrived). */
  parentLabel?: string;
  error: boolean;
  slowest: boolean;
}

export interface Waterfall {
  startMs: number;
  totalMs: number;
  services: string[];
  rows: WaterfallRow[];
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const clamp = (n: number) => Math.min(100, Math.max(0, n));

/** "0.42 ms", "12.3 ms", "250 ms", "1.25 s". */
export function formatMs(ms: number): string {
  if (ms < 1) return `${round(ms, 2)} ms`;
  if (ms < 100) return `${round(ms, 1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${round(ms / 1000, 2)} s`;
}

// Total length of the union of intervals, each clipped to [from, to].
function covered(intervals: [number, number][], from: number, to: number): number {
  const clipped = intervals
    .map(([a, b]): [number, number] => [Math.max(a, from), Math.min(b, to)])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let end = from;
  for (const [a, b] of clipped) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total;
}

// #region waterfall-rows
/**
 * Rows in reading order: each span under its parent, siblings by start time. A span whose
 * parent is not among the spans (not arrived yet, or dropped) is shown as a root rather than
 * hidden. The slowest row is the one with the most self time: a parent that only waits for
 * its children is not "slow", the child that keeps it waiting is.
 */
export function waterfallRows(spans: TraceSpan[]): Waterfall {
  if (spans.length === 0) return { startMs: 0, totalMs: 0, services: [], rows: [] };
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const children = new Map<string | undefined, TraceSpan[]>();
  for (const span of spans) {
    const parent = span.parentSpanId && byId.has(span.parentSpanId) && span.parentSpanId !== span.spanId ? span.parentSpanId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  for (const list of children.values()) list.sort((a, b) => a.startMs - b.startMs || a.name.localeCompare(b.name));

  const startMs = Math.min(...spans.map((s) => s.startMs));
  const endMs = Math.max(...spans.map((s) => s.startMs + s.durationMs));
  const totalMs = Math.max(endMs - startMs, 0.001);
  const rows: WaterfallRow[] = [];
  const seen = new Set<string>();

  const visit = (span: TraceSpan, depth: number, parent?: TraceSpan) => {
    if (seen.has(span.spanId)) return; // a cycle in broken data: show each span once
    seen.add(span.spanId);
    const kids = children.get(span.spanId) ?? [];
    const end = span.startMs + span.durationMs;
    const selfMs = span.durationMs - covered(kids.map((k) => [k.startMs, k.startMs + k.durationMs]), span.startMs, end);
    rows.push({
      spanId: span.spanId,
      depth,
      service: span.service,
      name: span.name,
      kind: span.kind ?? 'internal',
      offsetMs: round(span.startMs - startMs),
      offsetPct: round(clamp(((span.startMs - startMs) / totalMs) * 100)),
      durationMs: round(span.durationMs),
      widthPct: round(clamp((span.durationMs / totalMs) * 100)),
      selfMs: round(selfMs),
      ...(parent ? { parentLabel: `${parent.service} ${parent.name}` } : {}),
      error: span.status === 'error',
      slowest: false,
    });
    for (const kid of kids) visit(kid, depth + 1, span);
  };
  for (const root of children.get(undefined) ?? []) visit(root, 0);
  // spans caught in a parent cycle have no root: show them at the top level
  for (const span of spans) if (!seen.has(span.spanId)) visit(span, 0);

  const slowest = rows.reduce((a, b) => (b.selfMs > a.selfMs ? b : a));
  slowest.slowest = true;
  return { startMs, totalMs: round(totalMs), services: [...new Set(rows.map((r) => r.service))], rows };
}
// #endregion waterfall-rows

/** The span where the most time went (self time), for "find the slow span". */
export function slowestSpan<S extends TraceSpan>(spans: S[]): S | undefined {
  const row = waterfallRows(spans).rows.find((r) => r.slowest);
  return row && spans.find((s) => s.spanId === row.spanId);
}

// The DOM calls the renderer makes; `document` has them all.
export interface ElementLike {
  setAttribute(name: string, value: string): void;
  append(...nodes: (ElementLike | string)[]): void;
  className: string;
  style: { setProperty(name: string, value: string): void };
}
export interface DocumentLike {
  createElement(tag: string): ElementLike;
}

// #region render-waterfall
/**
 * A table: a caption that sums the trace up, one row per span with its service, its name
 * (indented by depth; "(under <parent>)" for screen readers), when it started, how long it
 * took, and the bar. Styles are left to the workbench's CSS (classes `trace-*`, and the
 * custom properties --offset and --width on each bar).
 */
export function renderWaterfall(doc: DocumentLike, traceId: string, spans: TraceSpan[]): ElementLike {
  const { totalMs, services, rows } = waterfallRows(spans);
  const el = (tag: string, className: string, ...children: (ElementLike | string)[]) => {
    const node = doc.createElement(tag);
    if (className) node.className = className;
    node.append(...children);
    return node;
  };
  const table = el('table', 'trace-waterfall');
  // the site's tables scroll sideways when too wide: a keyboard must be able to reach it too
  table.setAttribute('tabindex', '0');
  const slowest = rows.find((r) => r.slowest);
  table.append(
    el(
      'caption',
      '',
      `Trace ${traceId}: ${rows.length} spans across ${services.length} ${services.length === 1 ? 'service' : 'services'}, ${formatMs(totalMs)} in all`,
      ...(slowest ? [`; most time in ${slowest.service} ${slowest.name} (${formatMs(slowest.selfMs)} of its own)`] : []),
    ),
  );
  const header = el('tr', '');
  for (const [label, className] of [['Service', ''], ['Span', ''], ['Starts at', 'trace-num'], ['Duration', 'trace-num'], ['Timeline', 'trace-timeline']] as const) {
    const th = el('th', className, label);
    th.setAttribute('scope', 'col');
    header.append(th);
  }
  table.append(el('thead', '', header));
  const body = el('tbody', '');
  for (const row of rows) {
    const tr = el('tr', `trace-row trace-kind-${row.kind}${row.error ? ' trace-error' : ''}${row.slowest ? ' trace-slowest' : ''}`);
    tr.setAttribute('data-span-id', row.spanId);
    tr.setAttribute('data-depth', String(row.depth));
    const name = el('th', 'trace-name', row.name);
    name.setAttribute('scope', 'row');
    name.style.setProperty('--depth', String(row.depth));
    if (row.error) name.append(' ', el('span', 'trace-badge trace-failed', 'failed'));
    if (row.slowest) name.append(' ', el('span', 'trace-badge trace-slow', 'slowest'));
    // the indent shows the parent; a screen reader is told (the class is the site's own)
    if (row.parentLabel) name.append(' ', el('span', 'visually-hidden', `(under ${row.parentLabel})`));
    const bar = el('div', 'trace-bar');
    bar.setAttribute('aria-hidden', 'true');
    bar.style.setProperty('--offset', `${row.offsetPct}%`);
    bar.style.setProperty('--width', `${row.widthPct}%`);
    tr.append(
      el('td', 'trace-service', row.service),
      name,
      el('td', 'trace-num', `+${formatMs(row.offsetMs)}`),
      el('td', 'trace-num', formatMs(row.durationMs)),
      el('td', 'trace-timeline', bar),
    );
    body.append(tr);
  }
  table.append(body);
  return table;
}
// #endregion render-waterfall
