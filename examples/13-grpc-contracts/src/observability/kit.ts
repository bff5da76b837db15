// What every process of stage 11 sets up first: its logger, its metrics and its tracer, the
// finished spans going to COLLECTOR_URL (src/start.ts sets it; without it, spans are dropped).
import { createLogger } from './logger.ts';
import { Registry } from './metrics.ts';
import { setupTracing } from './tracing.ts';
import type { Observability } from './instrument.ts';

// #region kit
export function observability(service: string): Observability {
  const collectorUrl = process.env.COLLECTOR_URL;
  return { log: createLogger(service), metrics: new Registry(), tracing: setupTracing({ service, ...(collectorUrl ? { collectorUrl } : {}) }) };
}
// #endregion kit
