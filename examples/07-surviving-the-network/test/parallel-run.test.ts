// The switch and the parallel run, in one process: the flag moves orders between the two
// implementations, the shadow's answers are compared and logged, and with the shadow on no
// card is charged twice: real money moves once per charge, whoever answers.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { FakeCardProcessor } from '../src/adapters/card-processor.ts';
import { RandomIds } from '../src/adapters/clock-and-ids.ts';
import type { Database } from '../src/shared/ports.ts';
import { HttpPayments } from '../src/adapters/http-payments.ts';
import { bucketOf, PaymentsSwitch, validateFlags } from '../src/adapters/parallel-run.ts';
import { createPaymentsServer } from '../src/adapters/payments-api.ts';
import { createPayments } from '../src/modules/payments/index.ts';
import type { Payment, Payments } from '../src/modules/payments/index.ts';
import { ShopError } from '../src/shared/errors.ts';
import { openTestDatabase } from './support.ts';

const orderId = () => `ord_${randomBytes(5).toString('hex')}`;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// A card processor that counts what it was asked to do.
class CountingCards extends FakeCardProcessor {
  calls: string[] = [];
  override async charge(orderId: string, amountCents: number) {
    this.calls.push(orderId);
    return super.charge(orderId, amountCents);
  }
}

// A stand-in implementation that answers from a function, and remembers who it answered.
function fake(answer: (orderId: string, amountCents: number) => Payment['status'] | Error): Payments & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async charge(orderId, amountCents) {
      asked.push(orderId);
      const status = answer(orderId, amountCents);
      if (status instanceof Error) throw status;
      return { id: `pay_${asked.length}`, orderId, amountCents, status };
    },
    async refund(orderId) {
      asked.push(orderId);
    },
    async listForOrder() {
      return [];
    },
  };
}

function switchWith(parts: { inProcess?: Payments; service?: Payments; shadowIn?: Payments; shadowSvc?: Payments }, paymentsService: number, shadow: boolean) {
  const lines: string[] = [];
  const captured = () => 'captured' as const;
  const sw = new PaymentsSwitch({
    inProcess: parts.inProcess ?? fake(captured),
    service: parts.service ?? fake(captured),
    shadows: { inProcess: parts.shadowIn ?? fake(captured), service: parts.shadowSvc ?? fake(captured) },
    flags: { paymentsService, shadow },
    print: (line) => lines.push(line),
  });
  return { sw, lines };
}

describe('the flag', () => {
  it('0 % keeps every order in process, 100 % sends every one to the service', async () => {
    for (const [percent, side] of [[0, 'in-process'], [100, 'service']] as const) {
      const inProcess = fake(() => 'captured');
      const service = fake(() => 'captured');
      const { sw } = switchWith({ inProcess, service }, percent, false);
      for (let i = 0; i < 20; i++) await sw.charge(orderId(), 100);
      assert.equal((side === 'service' ? service : inProcess).asked.length, 20);
      assert.equal((side === 'service' ? inProcess : service).asked.length, 0);
    }
  });

  it('50 % sends about half, and an order always goes the same way (its charge and its refund)', async () => {
    const ids = Array.from({ length: 400 }, orderId);
    const toService = ids.filter((id) => bucketOf(id) < 50).length;
    assert.ok(toService > 140 && toService < 260, `${toService} of 400 went to the service`);
    const inProcess = fake(() => 'captured');
    const service = fake(() => 'captured');
    const { sw } = switchWith({ inProcess, service }, 50, false);
    for (const id of ids.slice(0, 40)) {
      await sw.charge(id, 100);
      await sw.refund(id);
    }
    for (const id of ids.slice(0, 40)) {
      const where = [inProcess.asked.filter((a) => a === id).length, service.asked.filter((a) => a === id).length];
      assert.ok(where[0] === 2 || where[1] === 2, `${id} was split: ${where}`);
    }
    assert.deepEqual(sw.served, { 'in-process': inProcess.asked.length, service: service.asked.length }, 'calls served by each side');
  });

  it('changes at run time, from the next call on', async () => {
    const inProcess = fake(() => 'captured');
    const service = fake(() => 'captured');
    const { sw, lines } = switchWith({ inProcess, service }, 0, false);
    await sw.charge(orderId(), 100);
    assert.deepEqual(sw.setFlags({ paymentsService: 100 }), { paymentsService: 100, shadow: false });
    await sw.charge(orderId(), 100);
    assert.deepEqual([inProcess.asked.length, service.asked.length], [1, 1]);
    assert.equal(lines[0], 'flags: paymentsService 0 -> 100 % (now 100 % of orders to the payments service, parallel run off)');
  });
});

describe('flag validation', () => {
  it('takes either flag, or both', () => {
    assert.deepEqual(validateFlags({ paymentsService: 50, shadow: true }), { paymentsService: 50, shadow: true });
    assert.deepEqual(validateFlags({ shadow: false }), { shadow: false });
    assert.deepEqual(validateFlags({}), {});
  });

  it('refuses anything else with invalid_request, naming the field', () => {
    const cases: [unknown, RegExp][] = [
      [{ paymentsService: 101 }, /^paymentsService must be an integer from 0 to 100/],
      [{ paymentsService: -1 }, /^paymentsService/],
      [{ paymentsService: 12.5 }, /^paymentsService/],
      [{ paymentsService: '50' }, /^paymentsService/],
      [{ shadow: 'yes' }, /^shadow must be true or false$/],
      [{ payments: 50 }, /^payments is not a flag/],
      [[1], /^body must be a JSON object/],
      [null, /^body must be a JSON object/],
    ];
    for (const [body, message] of cases) {
      assert.throws(() => validateFlags(body), (error: unknown) => error instanceof ShopError && error.code === 'invalid_request' && message.test(error.message), JSON.stringify(body));
    }
  });
});

describe('the parallel run', () => {
  it('asks the other side\'s shadow too, and logs whether the answers agree', async () => {
    const shadowSvc = fake(() => 'captured');
    const { sw, lines } = switchWith({ shadowSvc }, 0, true);
    const id = orderId();
    await sw.charge(id, 2490);
    await sleep(10);
    assert.deepEqual(shadowSvc.asked, [id]);
    const [entry] = sw.report().entries;
    assert.equal(entry?.same, true);
    assert.equal(entry?.primary, 'in-process');
    assert.deepEqual(entry?.answers, {
      'in-process': { orderId: id, amountCents: 2490, status: 'captured' },
      service: { orderId: id, amountCents: 2490, status: 'captured' },
    });
    assert.match(lines[0] ?? '', new RegExp(`^parallel run: same charge ${id}: in-process captured 2490 \\(.+ ms\\) \\| service captured 2490 \\(.+ ms\\); in-process answered$`));
  });

  it('a different answer is logged as DIFFERENT; the caller gets the primary\'s answer', async () => {
    // a service that declines above 1,000 cents: a bug the parallel run should catch
    const shadowSvc = fake((_, cents) => (cents > 1000 ? 'declined' : 'captured'));
    const { sw, lines } = switchWith({ shadowSvc }, 0, true);
    const payment = await sw.charge(orderId(), 2490);
    assert.equal(payment.status, 'captured');
    await sleep(10);
    assert.equal(sw.report().different, 1);
    assert.match(lines[0] ?? '', /^parallel run: DIFFERENT charge/);
  });

  it('a failing or slow shadow neither breaks nor delays the caller', async () => {
    const shadowSvc: Payments = {
      charge: () => sleep(300).then(() => Promise.reject(new Error('the payments service is not answering'))),
      refund: async () => {},
      listForOrder: async () => [],
    };
    const { sw } = switchWith({ shadowSvc }, 0, true);
    const started = performance.now();
    assert.equal((await sw.charge(orderId(), 100)).status, 'captured');
    assert.ok(performance.now() - started < 200, 'the caller did not wait for the shadow');
    await sleep(400);
    const [entry] = sw.report().entries;
    assert.deepEqual(entry?.answers.service, { error: 'the payments service is not answering' });
    assert.equal(entry?.same, false);
  });

  it('with the shadow off nothing else is asked and nothing is logged', async () => {
    const shadowIn = fake(() => 'captured');
    const shadowSvc = fake(() => 'captured');
    const { sw } = switchWith({ shadowIn, shadowSvc }, 50, false);
    for (let i = 0; i < 10; i++) await sw.charge(orderId(), 100);
    assert.deepEqual([shadowIn.asked.length, shadowSvc.asked.length, sw.report().compared], [0, 0, 0]);
  });
});

// #region no-double-charge
describe('the parallel run never charges twice', () => {
  let db: Database;
  let server: ReturnType<typeof createPaymentsServer>;
  const cards = { inProcess: new CountingCards(), service: new CountingCards(), sandboxIn: new CountingCards(), sandboxSvc: new CountingCards() };
  let sw: PaymentsSwitch;

  before(async () => {
    db = await openTestDatabase();
    const ids = new RandomIds();
    // the service, over real HTTP, with its own real and sandbox card processors
    server = createPaymentsServer({
      real: createPayments({ db, cards: cards.service, ids }),
      shadow: createPayments({ db, cards: cards.sandboxSvc, ids, shadow: true }),
    }, () => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    sw = new PaymentsSwitch({
      inProcess: createPayments({ db, cards: cards.inProcess, ids }),
      // A generous timeout: this test is about money moving once, and a busy machine can take
      // seconds to answer 40 charges at once; a shadow that times out would count as a difference.
      service: new HttpPayments({ baseUrl, resilience: { timeoutMs: 15_000 } }),
      shadows: {
        inProcess: createPayments({ db, cards: cards.sandboxIn, ids, shadow: true }),
        service: new HttpPayments({ baseUrl, shadow: true, waitMs: 0, resilience: { timeoutMs: 15_000 } }),
      },
      flags: { paymentsService: 50, shadow: true },
      print: () => {},
    });
  });
  after(async () => {
    server.closeAllConnections();
    server.close();
    await db.close();
  });

  it('40 orders at 50 % with the shadow on: 40 real charges, one recorded payment per order, every answer the same', async () => {
    const ids = Array.from({ length: 40 }, orderId);
    await Promise.all(ids.map((id) => sw.charge(id, 1500)));
    await Promise.all(ids.slice(0, 10).map((id) => sw.refund(id)));
    await sleep(200);
    const real = [...cards.inProcess.calls, ...cards.service.calls];
    assert.equal(real.length, 40, 'real money moved once per order');
    assert.deepEqual([...real].sort(), [...ids].sort());
    assert.ok(cards.inProcess.calls.length > 0 && cards.service.calls.length > 0, 'both sides took orders');
    // the shadows asked the sandbox instead, once per order each side did not handle
    assert.equal(cards.sandboxIn.calls.length + cards.sandboxSvc.calls.length, 40);
    for (const id of ids) {
      const payments = await sw.listForOrder(id);
      assert.equal(payments.length, 1, `${id}: ${JSON.stringify(payments)}`);
      assert.equal(payments[0]?.status, ids.indexOf(id) < 10 ? 'refunded' : 'captured');
    }
    await sleep(100);
    const report = sw.report();
    assert.equal(report.different, 0, JSON.stringify(report.entries.filter((e) => !e.same), null, 1));
    assert.equal(report.compared, 90, '40 charges, 10 refunds, 40 reads');
  });
});
// #endregion no-double-charge
