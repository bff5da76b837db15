-- Stage 8: the orders module talks to inventory and notifications through the broker.
-- #region orders-broker-schema
-- The outbox's rows are "published" once the broker has acknowledged them (PUBACK).
ALTER TABLE orders.outbox RENAME COLUMN delivered_at TO published_at;

-- A cancellation is asked for first and finished once the stock is back and the money
-- refunded; until then the order keeps its status.
ALTER TABLE orders.orders ADD COLUMN cancel_requested_at timestamptz;
ALTER TABLE orders.orders ADD COLUMN cancel_note text;

-- The inbox: the id of every event the orders module has handled, written in the same
-- transaction as what the event changed.
CREATE TABLE orders.processed_events (
  event_id     text PRIMARY KEY,
  processed_at timestamptz NOT NULL DEFAULT now()
);
-- #endregion orders-broker-schema
