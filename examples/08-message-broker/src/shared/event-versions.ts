// A change an old consumer cannot tolerate, done as a new version beside the old one (chapter
// 8, "When an event changes"). OrderConfirmed's total is a count of cents (`totalCents`);
// version 2 carries it as money, a decimal amount with its currency, under a new name. A
// consumer that read a v2 event as v1 would find no `totalCents` and tell the customer a total
// of nothing, so v2 travels as an event type of its own, on its own topic, and the consumers
// move to it one at a time while the shop publishes both.
//
// Only stage 8 has it: the shop's code writes OrderConfirmed as before, and the relay publishes
// it in the versions the experiment's switch (PUT /ops/relay/order-confirmed) asks for.

import type { Envelope, Money, ShopEvents } from './events.ts';

// #region versions
// The upcaster: an old event in the new shape (the two are declared side by side in
// events.ts). The relay uses it to publish v2 beside v1; integer arithmetic, so 1005 cents is
// "10.05" and never "10.04".
export function orderConfirmedV2(v1: ShopEvents['OrderConfirmed']): ShopEvents['OrderConfirmedV2'] {
  const { totalCents, ...rest } = v1;
  const amount = `${Math.floor(totalCents / 100)}.${String(totalCents % 100).padStart(2, '0')}`;
  return { ...rest, total: { amount, currency: 'USD' } };
}

// Back to cents, exactly: "12.50" is 1250, with no floating point on the way.
export function centsOf(money: Money): number {
  const parts = /^(\d+)\.(\d{2})$/.exec(money.amount);
  if (!parts || money.currency !== 'USD') throw new Error(`total ${JSON.stringify(money)} is not an amount in USD with two decimals`);
  return Number(parts[1]) * 100 + Number(parts[2]);
}
// #endregion versions

// #region publish-versions
// What the relay publishes for one OrderConfirmed from the outbox: each version the switch
// names, all under the event's one id. A consumer that reads both versions handles whichever
// comes first; its inbox finds the id of the other and ignores it. `extraField` adds a field no
// consumer knows, the change a tolerant reader absorbs without a new version.
export type OrderConfirmedVersions = { versions: (1 | 2)[]; extraField: boolean };
export const ONLY_V1: OrderConfirmedVersions = { versions: [1], extraField: false };
export const EXTRA_FIELD = { giftWrap: true };

export function asPublished(event: Envelope, switched: OrderConfirmedVersions): Envelope[] {
  if (event.type !== 'OrderConfirmed') return [event];
  const extra = switched.extraField ? EXTRA_FIELD : {};
  return switched.versions.map((version) =>
    version === 1
      ? { ...event, data: { ...event.data, ...extra } }
      : ({ ...event, type: 'OrderConfirmedV2', data: { ...orderConfirmedV2(event.data), ...extra } } as Envelope),
  );
}
// #endregion publish-versions
