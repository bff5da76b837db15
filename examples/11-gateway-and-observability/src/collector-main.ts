// The collector process (stage 11): receives every service's spans and keeps the latest
// traces in memory (src/observability/collector.ts). Internal: the gateway passes
// GET /ops/traces and GET /ops/traces/:traceId through to it, with a token.
//
//   PORT=3700 node src/collector-main.ts        (MAX_TRACES: how many it keeps, 200 unless set)

import { createCollectorServer, TraceStore } from './observability/collector.ts';
import { exitWithSupervisor } from './supervisor.ts';

// #region collector-main
const port = Number(process.env.PORT);
if (!Number.isInteger(port) || port < 1) {
  console.error('collector-main.ts needs PORT (src/start.ts sets it)');
  process.exit(1);
}
const server = createCollectorServer(new TraceStore({ maxTraces: Number(process.env.MAX_TRACES) || 200 }));
server.on('error', (error) => {
  console.error(`collector could not start: ${error.message}`);
  process.exit(1);
});
server.listen(port, '127.0.0.1', () => console.log(`span collector listening on http://127.0.0.1:${port} (the latest traces, in memory)`));
// #endregion collector-main
exitWithSupervisor();

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
