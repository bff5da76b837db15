// The chapter's numbers: the same payments charge as JSON over HTTP/1.1 (stage 12's client),
// as the Connect protocol over HTTP/1.1, and as gRPC over HTTP/2, against the stage's own
// payments server in this process (in-memory payments, so the wire is what differs). For each:
// bytes on the wire per call (both directions, counted on the server's sockets, after a
// warm-up so connection set-up is not counted) and the median and p95 latency per call.
//
//   node scripts/rpc-wire.ts [--calls 300] [--record]
//
// With --record the figures go into the project's measurements.json, section `rpc-wire-13`,
// for chapter 13's <Measured figure="rpc-wire-13/..." />: for each way, json-http1, connect-http1
// and grpc-http2, `<way>-bytes-per-call` (bytes), `<way>-median` and `<way>-p95` (ms); and
// `calls` (count), the calls timed per way. The section also holds the machine and its load.

import type { Socket } from 'node:net';
import { HttpSagaPayments } from '../src/adapters/saga-services.ts';
import { RpcSagaPayments } from '../src/adapters/rpc-saga-services.ts';
import { startPayments } from '../test/rpc-support.ts';
import { recorderIfAsked } from './record.ts';
import type { Figure } from './record.ts';

const record = await recorderIfAsked();

const callsAt = process.argv.indexOf('--calls');
const calls = callsAt > 0 ? Number(process.argv[callsAt + 1]) : 300;
const service = await startPayments();
const sockets = new Set<Socket>();
service.server.on('connection', (socket: Socket) => sockets.add(socket));
const bytes = () => [...sockets].reduce((sum, s) => sum + s.bytesRead + s.bytesWritten, 0);

// each way under its name in the table, and its key in measurements.json
const clients = [
  ['JSON over HTTP/1.1', 'json-http1', new HttpSagaPayments(service.url)],
  ['Connect over HTTP/1.1', 'connect-http1', new RpcSagaPayments(service.url, 'connect')],
  ['gRPC over HTTP/2', 'grpc-http2', new RpcSagaPayments(service.url, 'grpc')],
] as const;
const rows: { way: string; bytesPerCall: number; medianMs: number; p95Ms: number }[] = [];
const figures: Record<string, Figure> = { calls: { value: calls, unit: 'count' } };
for (const [way, key, client] of clients) {
  for (let i = 0; i < 20; i++) await client.charge(`warm-${way}-${i}`, `ord_warm_${i}`, 2490);
  const before = bytes();
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    await client.charge(`key-${way}-${i}`, `ord_${i}`, 2490);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => Number((times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0).toFixed(2));
  const row = { way, bytesPerCall: Math.round((bytes() - before) / calls), medianMs: at(0.5), p95Ms: at(0.95) };
  rows.push(row);
  figures[`${key}-bytes-per-call`] = { value: row.bytesPerCall, unit: 'bytes' };
  figures[`${key}-median`] = { value: row.medianMs, unit: 'ms' };
  figures[`${key}-p95`] = { value: row.p95Ms, unit: 'ms' };
}
console.table(rows);
record?.('rpc-wire-13', `cd examples/13-grpc-contracts && node scripts/rpc-wire.ts --calls ${calls} --record`, figures);
await service.stop();
process.exit(0);
