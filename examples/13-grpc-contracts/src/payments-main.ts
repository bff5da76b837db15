// The payments service: the payments module in a process of its own. It connects to the
// database (DATABASE_URL), brings its own schema up to date (migrations/payments/, the tables that
// moved out with it) and serves the module's interface over HTTP on PORT.

import { FakeCardProcessor, PostgresProcessorLedger, SandboxCardProcessor } from './adapters/card-processor.ts';
import { RandomIds } from './adapters/clock-and-ids.ts';
import { connectDatabase } from './adapters/database.ts';
import { checkSchemaBoundaries, migrate } from './adapters/migrations.ts';
import { FaultInjector } from './adapters/faults.ts';
import { createPaymentsServer, PostgresIdempotencyStore } from './adapters/payments-api.ts';
import { createPayments } from './modules/payments/index.ts';
import { listenHost } from './adapters/process.ts';
import { exitWithSupervisor } from './supervisor.ts';
import { readyWhen, useKit } from './observability/service-kit.ts';

// first, before anything that waits (src/supervisor.ts says why)
exitWithSupervisor();

// #region payments-service
useKit('payments');
const port = Number(process.env.PORT);
const databaseUrl = process.env.DATABASE_URL;
if (!Number.isInteger(port) || !databaseUrl) {
  console.error('payments-main.ts needs PORT and DATABASE_URL (src/start.ts sets them)');
  process.exit(1);
}
const db = connectDatabase({ url: databaseUrl, name: 'payments' });
const applied = await migrate(db, new URL('../migrations/payments/', import.meta.url));
const problems = await checkSchemaBoundaries(db);
if (problems.length > 0) {
  console.error('payments could not start: the migrations break the schema boundaries');
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}
readyWhen({ database: () => db.query('SELECT 1') });
const ids = new RandomIds();
// CARD_PROCESSOR_ANSWER_DELAY_MS holds the processor's answer back after the charge is made:
// the window test/double-charge.test.ts kills payments in.
const cards = new FakeCardProcessor({ ledger: new PostgresProcessorLedger(db), answerDelayMs: Number(process.env.CARD_PROCESSOR_ANSWER_DELAY_MS ?? 0) });
// FAULT_SEED makes a fault run repeatable; PUT /ops/faults changes the faults at run time.
const faults = new FaultInjector();
if (process.env.FAULT_SEED) faults.set({ seed: Number(process.env.FAULT_SEED) });
const server = createPaymentsServer({
  real: createPayments({ db, cards, ids }),
  shadow: createPayments({ db, cards: new SandboxCardProcessor(), ids, shadow: true }),
  keys: new PostgresIdempotencyStore(db),
  faults,
  cards,
});
server.on('error', (error) => {
  console.error(`payments could not start: ${error.message}`);
  process.exit(1);
});
server.listen(port, listenHost(), () => {
  console.log(`payments service listening on http://${listenHost()}:${port} (migrations applied: ${applied.join(', ') || 'none'})`);
});

const stop = () => {
  server.close();
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 3000).unref();
  db.close().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
// #endregion payments-service
