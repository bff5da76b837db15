-- The place-order saga's state, in the orders schema: the orders module runs the saga. One
-- row per order (the saga's id is the order's), rewritten after every step, and a log with
-- one row per step that ran. The runner commits each transition before it makes the next
-- call to another service, so a crash loses at most the step in flight, which is then run
-- again under the same idempotency key.
-- #region sagas-schema
CREATE TABLE orders.sagas (
  id               text PRIMARY KEY REFERENCES orders.orders (id),
  position         bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  customer_id      text NOT NULL,
  lines            jsonb NOT NULL,
  total_cents      integer NOT NULL,
  status           text NOT NULL CHECK (status IN ('running', 'compensating', 'confirmed', 'rejected', 'cancelled')),
  -- the steps still to run, in order, e.g. ["charge", "confirm"]; [] once finished
  todo             jsonb NOT NULL,
  reason           text CHECK (reason IN ('out_of_stock', 'payment_declined', 'unknown_sku')),
  -- written by the shop (POST /orders/:id/cancel), read by the runner between two steps
  cancel_requested boolean NOT NULL DEFAULT false,
  version          integer NOT NULL,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL
);
-- the runner's question, "which sagas have work left?", stays quick as the table grows
CREATE INDEX sagas_with_work ON orders.sagas (position)
  WHERE status IN ('running', 'compensating') OR (status = 'confirmed' AND cancel_requested);

CREATE TABLE orders.saga_log (
  saga_id  text NOT NULL REFERENCES orders.sagas (id),
  seq      integer NOT NULL,
  step     text NOT NULL,
  outcome  text NOT NULL,
  at       timestamptz NOT NULL,
  PRIMARY KEY (saga_id, seq)
);
-- #endregion sagas-schema
