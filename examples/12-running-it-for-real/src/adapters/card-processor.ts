import type { CardProcessor } from '../modules/payments/index.ts';

// #region card-processor
// A pretend card processor behind the CardProcessor port. A real one is a network call away
// and can be slow or down; this one answers at once, and declines any single charge above
// 500,000 cents so a failed payment can be shown on demand.
const CARD_LIMIT_CENTS = 500_000;

export class FakeCardProcessor implements CardProcessor {
  // How many times each order's card was actually charged: what the customer's bank
  // statement would show. GET /ops/charges reports it, so a double charge is visible.
  readonly charges = new Map<string, number>();

  async charge(orderId: string, amountCents: number): Promise<'captured' | 'declined'> {
    if (amountCents > CARD_LIMIT_CENTS) return 'declined';
    this.charges.set(orderId, (this.charges.get(orderId) ?? 0) + 1);
    return 'captured';
  }

  async refund(_orderId: string, _amountCents: number): Promise<void> {
    // Nothing to do: no real money ever moved.
  }
}
// #endregion card-processor

// #region sandbox
// The provider's test mode: the same answers, and no money moves. The parallel run's shadow
// instances use it, so comparing two implementations never charges a card twice.
export class SandboxCardProcessor extends FakeCardProcessor {
  override async charge(_orderId: string, amountCents: number): Promise<'captured' | 'declined'> {
    return amountCents > CARD_LIMIT_CENTS ? 'declined' : 'captured';
  }
}
// #endregion sandbox
