// Metrics in the Prometheus text format (stage 11): counters that only go up, gauges, and a
// latency histogram, rendered by GET /metrics for a Prometheus server to scrape every few
// seconds. A scrape is a snapshot of running totals; rates and percentiles are worked out
// by Prometheus from two snapshots (`rate(http_requests_total[1m])`,
// `histogram_quantile(0.99, rate(http_request_duration_seconds_bucket[5m]))`).
//
// Written here rather than taken from prom-client: counters, gauges and one histogram are
// about a hundred lines, the format is the lesson, and prom-client's default metrics read
// the process table and event loop in ways WebContainer does not promise to support.

export type Labels = Record<string, string>;

// #region buckets
// Upper bounds in seconds, for requests between a millisecond and ten seconds (the stage's
// longest timeout). Each bucket counts the observations at or below its bound.
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
// #endregion buckets

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const escapeHelp = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const formatValue = (value: number) => (value === Infinity ? '+Inf' : value === -Infinity ? '-Inf' : Number.isNaN(value) ? 'NaN' : String(value));

function labelText(names: string[], labels: Labels, extra?: [string, string]): string {
  const pairs = names.map((name) => `${name}="${escapeLabel(labels[name] ?? '')}"`);
  if (extra) pairs.push(`${extra[0]}="${escapeLabel(extra[1])}"`);
  return pairs.length ? `{${pairs.join(',')}}` : '';
}

// One time series per combination of label values, kept by a key made of the values.
abstract class Metric<S> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: string[];
  protected series = new Map<string, { labels: Labels; state: S }>();

  constructor(name: string, help: string, labelNames: string[]) {
    if (!NAME.test(name)) throw new Error(`not a Prometheus metric name: ${name}`);
    for (const label of labelNames) if (!LABEL.test(label) || label === 'le') throw new Error(`not a label name for ${name}: ${label}`);
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
  }

  protected stateFor(labels: Labels, fresh: () => S): S {
    for (const key of Object.keys(labels)) if (!this.labelNames.includes(key)) throw new Error(`${this.name} has no label ${key}`);
    const key = JSON.stringify(this.labelNames.map((name) => labels[name] ?? ''));
    let entry = this.series.get(key);
    if (!entry) {
      entry = { labels: { ...labels }, state: fresh() };
      this.series.set(key, entry);
    }
    return entry.state;
  }

  abstract render(): string[];
}

// #region counter
export class Counter extends Metric<{ value: number }> {
  inc(labels: Labels = {}, by = 1): void {
    if (!(by >= 0)) throw new Error(`${this.name}: a counter only goes up (got ${by})`);
    this.stateFor(labels, () => ({ value: 0 })).value += by;
  }
  get(labels: Labels = {}): number {
    return this.stateFor(labels, () => ({ value: 0 })).value;
  }
  render(): string[] {
    return [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} counter`,
      ...[...this.series.values()].map(({ labels, state }) => `${this.name}${labelText(this.labelNames, labels)} ${formatValue(state.value)}`)];
  }
}
// #endregion counter

export class Gauge extends Metric<{ value: number }> {
  set(labels: Labels, value: number): void {
    this.stateFor(labels, () => ({ value: 0 })).value = value;
  }
  render(): string[] {
    return [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} gauge`,
      ...[...this.series.values()].map(({ labels, state }) => `${this.name}${labelText(this.labelNames, labels)} ${formatValue(state.value)}`)];
  }
}

// #region histogram
// Cumulative buckets as Prometheus wants them: `le="0.1"` counts everything at or below
// 100 ms, `le="+Inf"` everything, and `_sum` / `_count` give the mean.
export class Histogram extends Metric<{ counts: number[]; sum: number; count: number }> {
  readonly buckets: number[];

  constructor(name: string, help: string, labelNames: string[], buckets: number[] = LATENCY_BUCKETS) {
    super(name, help, labelNames);
    if (buckets.some((b, i) => i > 0 && b <= buckets[i - 1]!)) throw new Error(`${name}: buckets must increase`);
    this.buckets = buckets;
  }

  observe(labels: Labels, value: number): void {
    const state = this.stateFor(labels, () => ({ counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
    this.buckets.forEach((bound, i) => {
      if (value <= bound) state.counts[i]! += 1;
    });
    state.sum += value;
    state.count += 1;
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} histogram`];
    for (const { labels, state } of this.series.values()) {
      this.buckets.forEach((bound, i) => lines.push(`${this.name}_bucket${labelText(this.labelNames, labels, ['le', String(bound)])} ${state.counts[i]}`));
      lines.push(`${this.name}_bucket${labelText(this.labelNames, labels, ['le', '+Inf'])} ${state.count}`);
      lines.push(`${this.name}_sum${labelText(this.labelNames, labels)} ${formatValue(state.sum)}`);
      lines.push(`${this.name}_count${labelText(this.labelNames, labels)} ${state.count}`);
    }
    return lines;
  }
}
// #endregion histogram

// #region registry
export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export class Registry {
  private metrics = new Map<string, { name: string; render(): string[] }>();

  private add<M extends { name: string; render(): string[] }>(metric: M): M {
    if (this.metrics.has(metric.name)) throw new Error(`metric ${metric.name} is registered twice`);
    this.metrics.set(metric.name, metric);
    return metric;
  }
  counter(name: string, help: string, labelNames: string[] = []): Counter {
    return this.add(new Counter(name, help, labelNames));
  }
  gauge(name: string, help: string, labelNames: string[] = []): Gauge {
    return this.add(new Gauge(name, help, labelNames));
  }
  histogram(name: string, help: string, labelNames: string[] = [], buckets?: number[]): Histogram {
    return this.add(new Histogram(name, help, labelNames, buckets));
  }
  // The text GET /metrics answers with CONTENT_TYPE.
  render(): string {
    return `${[...this.metrics.values()].flatMap((metric) => metric.render()).join('\n')}\n`;
  }
}
// #endregion registry
