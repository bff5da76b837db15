// Figures for the "cost of distribution" panel, computed from the latencies of the requests
// the page really sent: nothing here is an estimate.

/** The nearest-rank percentile: a latency some request really had, never an interpolation. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((Math.min(Math.max(p, 0), 100) / 100) * sorted.length);
  return sorted[Math.max(rank, 1) - 1]!;
}

export interface LatencySummary {
  requests: number;
  /** Requests per second, sent one at a time: requests ÷ the time the stage took to answer them. */
  rps: number;
  p50: number;
  p95: number;
}

/** `ms`: each request's round trip as the runtime measured it, beside the stage. */
export function summarise(ms: readonly number[]): LatencySummary {
  const total = ms.reduce((sum, value) => sum + value, 0);
  return { requests: ms.length, rps: total > 0 ? ms.length / (total / 1000) : NaN, p50: percentile(ms, 50), p95: percentile(ms, 95) };
}
