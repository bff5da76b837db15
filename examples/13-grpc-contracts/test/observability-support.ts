// Shared by the gateway's and the observability kit's tests (stage 11): servers on free ports,
// an upstream that echoes what reached it, a logger that keeps its lines, and a strict reader
// of the Prometheus text format.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../src/observability/logger.ts';
import type { Logger } from '../src/observability/logger.ts';
export async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export type Echo = { upstream: string; method: string; url: string; headers: http.IncomingHttpHeaders; body: string };

// A stand-in for a service: answers every request with what it received, as JSON, with the
// status in `x-answer-status` (201 unless told) and a header of its own.
export function echoServer(name: string, seen: Echo[] = []): http.Server {
  return http.createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const echo: Echo = { upstream: name, method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
    seen.push(echo);
    const text = JSON.stringify(echo);
    res.writeHead(Number(req.headers['x-answer-status'] ?? 200), { 'content-type': 'application/json', 'x-served-by': name });
    res.end(text);
  });
}

export function collectingLogger(service: string): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  return { log: createLogger(service, { level: 'debug', write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) }), lines };
}

// #region parse-prometheus
// Reads the text exposition format 0.0.4 and throws on any line that is not a comment, a
// HELP or TYPE line, or a sample `name{label="value",...} number`. Checks what Prometheus
// would refuse too: a TYPE after the metric's samples, a sample of an undeclared family.
export type Sample = { name: string; labels: Record<string, string>; value: number };
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/;
const LABEL_PAIR = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\["\\n])*)"(,|$)/;

export function parsePrometheus(text: string): { types: Record<string, string>; samples: Sample[] } {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a line feed');
  const types: Record<string, string> = {};
  const samples: Sample[] = [];
  for (const [i, line] of text.slice(0, -1).split('\n').entries()) {
    const where = `line ${i + 1} (${line})`;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      if (meta[1] === 'TYPE') {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(meta[3]!)) throw new Error(`${where}: unknown type`);
        if (samples.some((s) => s.name === meta[2] || s.name.startsWith(`${meta[2]}_`))) throw new Error(`${where}: TYPE after samples`);
        types[meta[2]!] = meta[3]!;
      }
      continue;
    }
    if (line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`${where}: not a sample`);
    const labels: Record<string, string> = {};
    let rest = match[3] ?? '';
    while (rest) {
      const pair = LABEL_PAIR.exec(rest);
      if (!pair) throw new Error(`${where}: bad labels at ${rest}`);
      labels[pair[1]!] = pair[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
      rest = rest.slice(pair[0].length);
    }
    const value = match[4] === '+Inf' ? Infinity : match[4] === '-Inf' ? -Infinity : Number(match[4]);
    if (Number.isNaN(value) && match[4] !== 'NaN') throw new Error(`${where}: not a number`);
    const family = Object.keys(types).find((name) => match[1] === name || (types[name] === 'histogram' && /^_(bucket|sum|count)$/.test(match[1]!.slice(name.length)) && match[1]!.startsWith(name)));
    if (!family) throw new Error(`${where}: no TYPE for ${match[1]}`);
    samples.push({ name: match[1]!, labels, value });
  }
  return { types, samples };
}
// #endregion parse-prometheus

export function sampleValue(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}
