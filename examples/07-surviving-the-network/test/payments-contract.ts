// The payments module's contract: what any implementation of the Payments interface must
// do, written once as a function of the implementation. test/payments-contract.test.ts runs
// it against the in-process module, against HttpPayments talking to the payments API, and
// against HttpPayments talking to the real payments service process.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Payments } from '../src/modules/payments/index.ts';

export type Implementation = { payments: Payments; close(): Promise<void> };

// #region payments-contract
export function paymentsContract(name: string, make: () => Promise<Implementation>): void {
  describe(`payments contract: ${name}`, () => {
    let impl: Implementation;
    before(async () => {
      impl = await make();
    });
    after(() => impl.close());
    const orderId = () => `ord_${randomBytes(5).toString('hex')}`;

    it('captures a charge within the card limit and records it', async () => {
      const id = orderId();
      const payment = await impl.payments.charge(id, 2490);
      assert.match(payment.id, /^pay_/);
      assert.deepEqual({ ...payment, id: 'x' }, { id: 'x', orderId: id, amountCents: 2490, status: 'captured' });
      assert.deepEqual(await impl.payments.listForOrder(id), [payment]);
    });

    it('declines a charge above 500,000 cents, and records the attempt too', async () => {
      const id = orderId();
      const payment = await impl.payments.charge(id, 500_001);
      assert.equal(payment.status, 'declined');
      assert.deepEqual(await impl.payments.listForOrder(id), [payment]);
      assert.equal((await impl.payments.charge(orderId(), 500_000)).status, 'captured', 'the limit itself is fine');
    });

    it('refunds every captured payment of the order once; a second refund changes nothing', async () => {
      const id = orderId();
      const payment = await impl.payments.charge(id, 1200);
      await impl.payments.refund(id);
      assert.deepEqual(await impl.payments.listForOrder(id), [{ ...payment, status: 'refunded' }]);
      await impl.payments.refund(id);
      assert.deepEqual(await impl.payments.listForOrder(id), [{ ...payment, status: 'refunded' }]);
    });

    it('leaves declined payments alone when refunding, and other orders too', async () => {
      const [a, b] = [orderId(), orderId()];
      const declined = await impl.payments.charge(a, 600_000);
      const other = await impl.payments.charge(b, 700);
      await impl.payments.refund(a);
      assert.deepEqual(await impl.payments.listForOrder(a), [declined]);
      assert.deepEqual(await impl.payments.listForOrder(b), [other]);
    });

    it('knows nothing of an order it never charged', async () => {
      const id = orderId();
      assert.deepEqual(await impl.payments.listForOrder(id), []);
      await impl.payments.refund(id);
      assert.deepEqual(await impl.payments.listForOrder(id), []);
    });

    it('lists an order\'s payments in the order they were made', async () => {
      const id = orderId();
      const first = await impl.payments.charge(id, 900_000);
      const second = await impl.payments.charge(id, 900);
      assert.deepEqual(await impl.payments.listForOrder(id), [first, second]);
    });
  });
}
// #endregion payments-contract
