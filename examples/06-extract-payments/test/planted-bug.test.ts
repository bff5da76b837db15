// Chapter 6's planted bug: off, the extracted service charges what it is asked; switched on
// (PUT /ops/planted-bug), it rounds up to whole euros, and the parallel run, with the flag
// still at 0 %, logs the difference while every customer is charged the right amount.

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { FakeCardProcessor, SandboxCardProcessor } from '../src/adapters/card-processor.ts';
import { RandomIds } from '../src/adapters/clock-and-ids.ts';
import { HttpPayments } from '../src/adapters/http-payments.ts';
import { PaymentsSwitch } from '../src/adapters/parallel-run.ts';
import { createPaymentsServer } from '../src/adapters/payments-api.ts';
import { chargedAmount, plantInService, validatePlanted } from '../src/adapters/planted-bug.ts';
import { createPayments } from '../src/modules/payments/index.ts';
import { ShopError } from '../src/shared/errors.ts';
import type { Database } from '../src/shared/ports.ts';
import { openTestDatabase } from './support.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('the planted rounding', () => {
  it('rounds up to whole euros only when switched on', () => {
    assert.equal(chargedAmount(850, { rounding: false }), 850);
    assert.equal(chargedAmount(850, { rounding: true }), 900);
    assert.equal(chargedAmount(1200, { rounding: true }), 1200);
    assert.equal(chargedAmount(2490, { rounding: true }), 2500);
  });

  it('takes {"rounding": true|false} and refuses anything else with invalid_request, naming it', () => {
    assert.deepEqual(validatePlanted({ rounding: true }), { rounding: true });
    for (const [body, message] of [
      [null, /body must be/],
      [{ rounding: 'yes' }, /body must be/],
      [{ rounding: true, rates: 1 }, /rates is not a planted bug/],
    ] as const) {
      assert.throws(() => validatePlanted(body), (error: unknown) => error instanceof ShopError && error.code === 'invalid_request' && message.test(error.message));
    }
  });
});

describe('the parallel run catches the planted bug at 0 %', () => {
  let db: Database;
  let server: ReturnType<typeof createPaymentsServer>;
  let baseUrl: string;
  const lines: string[] = [];
  let sw: PaymentsSwitch;

  before(async () => {
    db = await openTestDatabase();
    const ids = new RandomIds();
    server = createPaymentsServer({
      real: createPayments({ db, cards: new FakeCardProcessor(), ids }),
      shadow: createPayments({ db, cards: new SandboxCardProcessor(), ids, shadow: true }),
    }, () => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    sw = new PaymentsSwitch({
      inProcess: createPayments({ db, cards: new FakeCardProcessor(), ids }),
      service: new HttpPayments({ baseUrl }),
      shadows: {
        inProcess: createPayments({ db, cards: new SandboxCardProcessor(), ids, shadow: true }),
        service: new HttpPayments({ baseUrl, shadow: true, waitMs: 0 }),
      },
      flags: { paymentsService: 0, shadow: true },
      print: (line) => lines.push(line),
    });
  });
  after(async () => {
    server.closeAllConnections();
    server.close();
    await db.close();
  });

  it('off: the same answers; on: DIFFERENT for 850 cents, the same for 1200, and the caller charged what it asked', async () => {
    assert.equal((await sw.charge('ord_before', 850)).amountCents, 850);
    assert.deepEqual(await plantInService(baseUrl, { rounding: true }), { rounding: true });
    const tea = await sw.charge('ord_tea', 850);
    const mug = await sw.charge('ord_mug', 1200);
    await sleep(100);
    assert.equal(tea.amountCents, 850, 'the in-process module answered, with the right amount');
    assert.equal(mug.amountCents, 1200);
    const report = sw.report();
    assert.equal(report.different, 1, JSON.stringify(report.entries, null, 1));
    const different = report.entries.find((e) => !e.same)!;
    assert.equal(different.orderId, 'ord_tea');
    assert.deepEqual(different.answers, { 'in-process': { orderId: 'ord_tea', amountCents: 850, status: 'captured' }, service: { orderId: 'ord_tea', amountCents: 900, status: 'captured' } });
    assert.ok(lines.some((l) => /^parallel run: DIFFERENT charge ord_tea: in-process captured 850 .*\| service captured 900 .*; in-process answered$/.test(l)), lines.join('\n'));

    // switched off again, the service agrees again
    assert.deepEqual(await plantInService(baseUrl, { rounding: false }), { rounding: false });
    await sw.charge('ord_after', 850);
    await sleep(100);
    assert.equal(sw.report().different, 1);
  });

  it('the service refuses a bad switch with the contract error shape', async () => {
    const res = await fetch(`${baseUrl}/ops/planted-bug`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"rounding": 1}' });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'invalid_request');
  });
});
