// One contract, three implementations of the Payments interface:
//   1. the in-process module, on an in-memory Postgres;
//   2. HttpPayments, over HTTP, to the payments API served from this process;
//   3. HttpPayments to the real payments service process, started with `npm start`.
// Run just this file: node --test test/payments-contract.test.ts

import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { startStage } from '../../contract/src/launch.ts';
import { FakeCardProcessor, SandboxCardProcessor } from '../src/adapters/card-processor.ts';
import { RandomIds } from '../src/adapters/clock-and-ids.ts';
import { HttpPayments } from '../src/adapters/http-payments.ts';
import { createPaymentsServer } from '../src/adapters/payments-api.ts';
import { createPayments } from '../src/modules/payments/index.ts';
import { paymentsContract } from './payments-contract.ts';
import { openTestDatabase } from './support.ts';

const ids = new RandomIds();

// #region both-implementations
paymentsContract('in-process module', async () => {
  const db = await openTestDatabase();
  return { payments: createPayments({ db, cards: new FakeCardProcessor(), ids }), close: () => db.close() };
});

paymentsContract('HttpPayments -> payments API', async () => {
  const db = await openTestDatabase();
  const server = createPaymentsServer({
    real: createPayments({ db, cards: new FakeCardProcessor(), ids }),
    shadow: createPayments({ db, cards: new SandboxCardProcessor(), ids, shadow: true }),
  }, () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    payments: new HttpPayments({ baseUrl }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
});
// #endregion both-implementations

const dataDir = mkdtempSync(join(tmpdir(), 'shop-payments-contract-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

paymentsContract('HttpPayments -> the payments service process (npm start)', async () => {
  const stage = await startStage(new URL('..', import.meta.url), { env: { DATA_DIR: dataDir } });
  // src/start.ts: the payments service listens on PORT + 100
  return { payments: new HttpPayments({ baseUrl: `http://127.0.0.1:${stage.port + 100}` }), close: async () => void (await stage.stop()) };
});
