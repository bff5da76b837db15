// Private to the orders module: what the saga needs from the other services, as ports. The
// orchestrator's adapters implement them over the network; the tests with in-memory fakes.
//
// Every command carries the key of its saga step (stepKey in model.ts). A service that sees
// a key again answers as it did the first time and changes nothing, so the runner may send a
// command again whenever it does not know whether the first one arrived: after a timeout,
// a lost connection, or its own crash.

import type { RejectReason } from '../model.ts';
import type { StockLine } from './model.ts';

// #region saga-ports
export interface SagaInventory {
  // Takes the stock of every line, or of none; the reservation is named by the key. Stock
  // already released under that key is not taken again: a late reserve stays undone.
  // Stage 13: `deadline` (epoch ms), the order's, which the command must not outlive.
  reserve(key: string, lines: StockLine[], deadline?: number): Promise<'reserved' | 'out_of_stock' | 'unknown_sku'>;
  // Puts back the stock reserved under the key, once; a key never reserved is remembered
  // as released, so its reserve, if it arrives late, takes nothing.
  release(key: string): Promise<void>;
}

export interface SagaPayments {
  // Charges the card once per key: the same key again replays the first answer.
  charge(key: string, orderId: string, amountCents: number, deadline?: number): Promise<'captured' | 'declined'>;
  // Refunds the charge made under the key, once; a charge not made yet under that key
  // never will be (a late one is answered as refunded, and moves no money).
  refund(key: string, orderId: string, amountCents: number): Promise<void>;
}

export interface SagaOrders {
  // Gives the order its final status and queues its event (OrderConfirmed, OrderRejected,
  // OrderCancelled) in the outbox, in one transaction; an order already there is left as is.
  settle(orderId: string, status: 'confirmed' | 'rejected' | 'cancelled', reason?: RejectReason): Promise<void>;
}
// #endregion saga-ports
