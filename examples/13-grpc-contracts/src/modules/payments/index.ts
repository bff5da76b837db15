// The payments module: charging cards and refunding them. This file is its public interface,
// the only file other code may import; everything else in this folder is private to the
// module, and so is its table in the payments schema.

import type { Database, IdGenerator } from '../../shared/ports.ts';
import { PostgresPayments } from './payments.ts';
import type { Payment } from './payments.ts';

// #region payments-index
export type { Payment } from './payments.ts';

// The card processor: a payment provider outside our walls. A port of this module; the
// adapters (src/adapters/card-processor.ts) implement it. Like a real processor it takes an
// idempotency key: a charge repeated under the same key is answered, not made again.
export type ChargeOutcome = 'captured' | 'declined';
export interface CardProcessor {
  charge(orderId: string, amountCents: number, idempotencyKey?: string): Promise<ChargeOutcome>;
  refund(orderId: string, amountCents: number): Promise<void>;
  // The charge made under a key, if any: processors let you look a payment up by your own
  // reference, which is how a charge made just before payments died is found again.
  findCharge(idempotencyKey: string): Promise<{ orderId: string; amountCents: number; outcome: ChargeOutcome } | undefined>;
}

export interface Payments {
  // Charges the card and records the attempt, captured or declined. The key goes on to the
  // card processor, so a retry after a crash between the charge and the record is not a
  // second charge.
  charge(orderId: string, amountCents: number, idempotencyKey?: string): Promise<Payment>;
  // Refunds every captured payment of the order. Given the key of a charge, also one the
  // processor made under it that was never recorded here (payments died in between).
  refund(orderId: string, chargeKey?: string): Promise<void>;
  listForOrder(orderId: string): Promise<Payment[]>;
}

// #region shadow-instance
// With `shadow: true` the module answers as it always does but changes nothing: it records
// no payment and refunds nothing, and it should be handed a card processor that moves no
// money (the provider's sandbox). The parallel run asks such an instance the same questions
// as the real one and compares the answers, without charging anyone twice.
export function createPayments(options: { db: Database; cards: CardProcessor; ids: IdGenerator; shadow?: boolean }): Payments {
  const payments = new PostgresPayments(options.db);
  const shadow = options.shadow ?? false;
  return {
    async charge(orderId, amountCents, idempotencyKey) {
      const payment: Payment = {
        id: options.ids.next('pay'),
        orderId,
        amountCents,
        status: await options.cards.charge(orderId, amountCents, idempotencyKey),
      };
      // Declined attempts are kept too: they are what tells support why an order failed.
      if (!shadow) await payments.add(payment);
      return payment;
    },
    async refund(orderId, chargeKey) {
      if (shadow) return;
      const lost = chargeKey === undefined ? undefined : await options.cards.findCharge(chargeKey);
      if (lost?.outcome === 'captured' && lost.orderId === orderId) {
        const recorded = (await payments.listByOrder(orderId)).some((p) => p.amountCents === lost.amountCents);
        if (!recorded) await payments.add({ id: options.ids.next('pay'), orderId, amountCents: lost.amountCents, status: 'captured' });
      }
      for (const payment of await payments.markRefunded(orderId)) {
        await options.cards.refund(orderId, payment.amountCents);
      }
    },
    listForOrder: (orderId) => payments.listByOrder(orderId),
  };
}
// #endregion shadow-instance
// #endregion payments-index
