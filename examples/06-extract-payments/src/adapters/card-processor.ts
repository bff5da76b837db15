import type { CardProcessor } from '../modules/payments/index.ts';

// #region card-processor
// A pretend card processor behind the CardProcessor port. A real one is a network call away
// and can be slow or down; this one answers at once, and declines any single charge above
// 500,000 cents so a failed payment can be shown on demand.
const CARD_LIMIT_CENTS = 500_000;

export class FakeCardProcessor implements CardProcessor {
  async charge(_orderId: string, amountCents: number): Promise<'captured' | 'declined'> {
    return amountCents > CARD_LIMIT_CENTS ? 'declined' : 'captured';
  }

  async refund(_orderId: string, _amountCents: number): Promise<void> {
    // Nothing to do: no real money ever moved.
  }
}
// #endregion card-processor

// #region sandbox
// The provider's test mode: the same answers, and no money moves. The parallel run's shadow
// instances use it, so comparing two implementations never charges a card twice.
export class SandboxCardProcessor extends FakeCardProcessor {}
// #endregion sandbox
