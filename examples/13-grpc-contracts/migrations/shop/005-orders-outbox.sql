-- The orders module's outbox: every event it publishes is first written here, in the same
-- transaction as the change it announces. The relay reads the rows nobody has delivered
-- yet, publishes them in order, and marks them delivered.
-- #region outbox-table
CREATE TABLE orders.outbox (
  id           text PRIMARY KEY,
  position     bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  type         text NOT NULL,
  payload      jsonb NOT NULL,
  occurred_at  timestamptz NOT NULL,
  delivered_at timestamptz
);
-- only the rows still to deliver are indexed: the relay's query stays quick as the table grows
CREATE INDEX outbox_undelivered ON orders.outbox (position) WHERE delivered_at IS NULL;
-- #endregion outbox-table
