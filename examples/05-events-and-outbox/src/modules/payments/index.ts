// The payments module: charging cards and refunding them. This file is its public interface,
// the only file other code may import; everything else in this folder is private to the
// module, and so is its table in the payments schema.

import type { Database, IdGenerator } from '../../shared/ports.ts';
import { PostgresPayments } from './payments.ts';
import type { Payment } from './payments.ts';

// #region payments-index
export type { Payment } from './payments.ts';

// The card processor: a payment provider outside our walls. A port of this module; the
// adapters (src/adapters/card-processor.ts) implement it.
export interface CardProcessor {
  charge(orderId: string, amountCents: number): Promise<'captured' | 'declined'>;
  refund(orderId: string, amountCents: number): Promise<void>;
}

export interface Payments {
  // Charges the card and records the attempt, captured or declined.
  charge(orderId: string, amountCents: number): Promise<Payment>;
  // Refunds every captured payment of the order.
  refund(orderId: string): Promise<void>;
  listForOrder(orderId: string): Promise<Payment[]>;
}

export function createPayments(options: { db: Database; cards: CardProcessor; ids: IdGenerator }): Payments {
  const payments = new PostgresPayments(options.db);
  return {
    async charge(orderId, amountCents) {
      const payment: Payment = {
        id: options.ids.next('pay'),
        orderId,
        amountCents,
        status: await options.cards.charge(orderId, amountCents),
      };
      // Declined attempts are kept too: they are what tells support why an order failed.
      await payments.add(payment);
      return payment;
    },
    async refund(orderId) {
      for (const payment of await payments.markRefunded(orderId)) {
        await options.cards.refund(orderId, payment.amountCents);
      }
    },
    listForOrder: (orderId) => payments.listByOrder(orderId),
  };
}
// #endregion payments-index
