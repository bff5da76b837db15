// Structured logs (stage 11): one JSON object per line, so a log store (Loki, Elasticsearch,
// CloudWatch, `grep` and `jq`) can filter by service, level, request or trace instead of by
// the wording of a sentence. Every line names its service, and, when it is written while a
// request or an event is being handled, the request id and the trace and span ids: the
// active OpenTelemetry context says which (src/observability/tracing.ts).
//
//   {"time":"2026-11-29T19:02:03.120Z","level":"info","service":"shop","msg":"order placed",
//    "requestId":"4b0c...","traceId":"8f1e...","spanId":"a2c3...","orderId":"ord_..."}

import { activeIds } from './tracing.ts';

export type Level = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type Fields = Record<string, unknown>;

export type Logger = {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  // A logger whose lines all carry these fields too (e.g. { consumer: 'inventory' }).
  child(fields: Fields): Logger;
};

// #region logger
// `write`: where lines go (stdout unless told; tests collect them). `level`: the lowest level
// written (LOG_LEVEL, info unless set).
export function createLogger(service: string, options: { level?: Level; write?: (line: string) => void; fields?: Fields } = {}): Logger {
  const level = options.level ?? (Object.hasOwn(RANK, process.env.LOG_LEVEL ?? '') ? (process.env.LOG_LEVEL as Level) : 'info');
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const base = options.fields ?? {};
  const log = (lineLevel: Level, msg: string, fields: Fields = {}) => {
    if (RANK[lineLevel] < RANK[level]) return;
    const line: Fields = { time: new Date().toISOString(), level: lineLevel, service, msg, ...activeIds(), ...base };
    for (const [key, value] of Object.entries(fields)) {
      // an Error has no enumerable fields: keep what helps (its message, and the stack for us)
      line[key] = value instanceof Error ? { message: value.message, stack: value.stack } : value;
    }
    write(JSON.stringify(line));
  };
  return {
    debug: (msg, fields) => log('debug', msg, fields),
    info: (msg, fields) => log('info', msg, fields),
    warn: (msg, fields) => log('warn', msg, fields),
    error: (msg, fields) => log('error', msg, fields),
    child: (fields) => createLogger(service, { level, write, fields: { ...base, ...fields } }),
  };
}
// #endregion logger
