-- The stand-in card processor's own books (src/adapters/card-processor.ts): every charge it
-- made, under the idempotency key it was asked with, and every refund it sent (no key). A real processor keeps these on its
-- side of the wire; the stand-in keeps them here, in the payments schema, only because the
-- stage has no processor of its own to keep them. They outlive a restart of payments, as a
-- real processor's books do, so a charge made just before payments died is still known.
-- #region card-processor-ledger-schema
CREATE TABLE payments.card_processor_ledger (
  position        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  idempotency_key text UNIQUE, -- NULL: the request came without a key
  order_id        text NOT NULL,
  amount_cents    integer NOT NULL CHECK (amount_cents > 0),
  outcome         text NOT NULL CHECK (outcome IN ('captured', 'declined', 'refunded')),
  charged_at      timestamptz NOT NULL DEFAULT now()
);
-- #endregion card-processor-ledger-schema
