-- Stage 8: inventory is a service of its own that reserves stock when it hears of an order.
-- #region inventory-events-schema
-- What inventory did for each order it heard of: reserved its lines, refused them, or put
-- them back. The row decides, so stock is taken and given back at most once per order.
CREATE TABLE inventory.reservations (
  order_id   text PRIMARY KEY,
  lines      jsonb NOT NULL,
  status     text NOT NULL CHECK (status IN ('reserved', 'refused', 'released')),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Its inbox (events handled) and its outbox (events to publish), as the orders module has.
CREATE TABLE inventory.processed_events (
  event_id     text PRIMARY KEY,
  processed_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE inventory.outbox (
  id           text PRIMARY KEY,
  position     bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  type         text NOT NULL,
  payload      jsonb NOT NULL,
  occurred_at  timestamptz NOT NULL,
  published_at timestamptz
);
CREATE INDEX inventory_outbox_unpublished ON inventory.outbox (position) WHERE published_at IS NULL;
-- #endregion inventory-events-schema
