-- The orders module's tables. Order lines name products by sku: an id, not a foreign key
-- into the inventory schema, which belongs to another module.
-- #region orders-schema
CREATE SCHEMA orders;

CREATE TABLE orders.orders (
  id          text PRIMARY KEY,
  -- the order in which orders were placed, for "newest first"
  position    bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  customer_id text NOT NULL,
  status      text NOT NULL CHECK (status IN ('pending', 'confirmed', 'rejected', 'cancelled')),
  reason      text CHECK (reason IN ('out_of_stock', 'payment_declined', 'unknown_sku')),
  created_at  timestamptz NOT NULL
);
CREATE INDEX orders_by_customer ON orders.orders (customer_id, position DESC);

CREATE TABLE orders.order_lines (
  -- a foreign key inside the module's own schema is fine
  order_id         text NOT NULL REFERENCES orders.orders (id),
  line_no          integer NOT NULL,
  sku              text NOT NULL,
  quantity         integer NOT NULL CHECK (quantity > 0),
  unit_price_cents integer NOT NULL,
  PRIMARY KEY (order_id, line_no)
);

CREATE TABLE orders.idempotency_keys (
  key         text PRIMARY KEY,
  fingerprint text NOT NULL,
  order_id    text NOT NULL REFERENCES orders.orders (id)
);
-- #endregion orders-schema
